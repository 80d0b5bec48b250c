/** The CLI entry point: read the environment once, dispatch, map failures to exit codes. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runPolicyTests } from "../policy/index.js";
import { EXIT } from "../core/outcome.js";
import { parseCliArgs, USAGE } from "./args.js";
import { runCheck } from "./check.js";
import { runDoctor } from "./doctor.js";
import { packageRoot } from "../package-root.js";
import { readEnvironment, type CliEnvironment } from "./environment.js";

export async function main(argv: string[], env: CliEnvironment = readEnvironment()): Promise<number> {
  const args = parseCliArgs(argv);
  try {
    switch (args.command) {
      case "help":
        env.stdout(USAGE);
        return EXIT.ok;
      case "version":
        env.stdout(`${version()}\n`);
        return EXIT.ok;
      case "usage-error":
        env.stderr(`shipshape: ${args.message}\n\n${USAGE}`);
        return EXIT.usage;
      case "doctor":
        return await runDoctor(env, args.binaries);
      case "policy-test":
        return (await runPolicyTests(resolve(env.cwd, args.dir), { stdout: env.stdout, stderr: env.stderr })).exitCode;
      case "check":
        return await runCheck(args, env);
    }
  } catch (err) {
    env.stderr(`shipshape: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.toolError;
  }
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
