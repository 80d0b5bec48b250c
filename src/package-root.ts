/**
 * Where Shipshape is installed. The code runs from src/ under vitest and bundled into
 * dist/cli.js otherwise, so paths relative to a module differ; the package root (the folder
 * with package.json and bin/shipshape.js) is the same for both.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "bin", "shipshape.js"))) {
      cached = dir;
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`cannot find Shipshape's package root above ${start}`);
  }
}
