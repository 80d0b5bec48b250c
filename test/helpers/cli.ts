import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliEnvironment } from "../../src/cli/environment.js";

export const PROJECT_ROOT = join(import.meta.dirname, "..", "..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with a captured environment. PATH is empty so only the tools
 * provisioned into tools/bin are used, whatever this machine has installed.
 */
export async function runCli(argv: string[], overrides: Partial<CliEnvironment> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const env: CliEnvironment = {
    cwd: PROJECT_ROOT,
    path: "",
    cpus: 2,
    today: "2026-11-23",
    tmpDir: tmpdir(),
    toolsDir: join(PROJECT_ROOT, "tools", "bin"),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    ...overrides,
  };
  const code = await main(argv, env);
  return { code, stdout, stderr };
}
