/** Writes a repository given as `{ path: content }` under `root` (created if needed), for tests that run the CLI on folders. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [path, data] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), data);
  }
}
