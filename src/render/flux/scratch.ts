/** A fresh folder of our own under the scratch directory, for files Shipshape writes for a render. */
import { mkdtemp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ToolOptions } from "../tool-options.js";

export async function scratchFolder(opts: ToolOptions, prefix: string): Promise<string> {
  const parent = join(opts.scratchDir, "gitops");
  await mkdir(parent, { recursive: true });
  return mkdtemp(join(parent, `${prefix}-`));
}
