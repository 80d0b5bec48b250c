/** `shipshape doctor`: which binary and version each renderer would use, and why not when missing. */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { EXIT } from "../core/outcome.js";
import { createRenderers } from "../render/registry.js";
import type { CliEnvironment } from "./environment.js";

export async function runDoctor(env: CliEnvironment): Promise<number> {
  const scratchDir = await mkdtemp(join(env.tmpDir, "shipshape-doctor-"));
  try {
    const renderers = createRenderers({ binaries: {}, searchPath: env.path, toolsDir: env.toolsDir, scratchDir });
    let missing = 0;
    env.stdout(`platform: ${process.platform}-${process.arch}${process.platform === "linux" && process.arch === "x64" ? "" : " (npm ci provisions helm/kubectl only on linux-x64; elsewhere they must be on PATH)"}\n`);
    for (const [type, renderer] of renderers) {
      try {
        const info = await renderer.info();
        env.stdout(`${type.padEnd(10)} ${info.name}${info.version ? ` ${info.version}` : ""}${info.path ? `  (${info.path})` : ""}\n`);
      } catch (err) {
        missing += 1;
        env.stdout(`${type.padEnd(10)} unavailable: ${(err as Error).message}\n`);
      }
    }
    return missing > 0 ? EXIT.toolError : EXIT.ok;
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}
