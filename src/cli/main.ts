/**
 * The CLI entry point: read the environment once, dispatch, map failures to exit codes. Every
 * byte written to stdout and stderr is scrubbed with the run's secret set.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runPolicyTests } from "../policy/index.js";
import { EXIT } from "../core/outcome.js";
import { ScrubError, scrubOrWithhold, SecretSet } from "../core/secrets/secret-set.js";
import { chartCredentialSecrets } from "../render/chart-credentials.js";
import { parseCliArgs, POLICY_TEST_USAGE, USAGE } from "./args.js";
import { runCheck } from "./check.js";
import { runDoctor } from "./doctor.js";
import { packageRoot } from "../package-root.js";
import { readEnvironment, type CliEnvironment } from "./environment.js";

export async function main(argv: string[], given: CliEnvironment = readEnvironment()): Promise<number> {
  // One set for the whole run: the operator's secrets now, the pull request's once the
  // analysis has read it. Everything the CLI prints goes through it.
  const charts = given.chartCredentials?.ok ? chartCredentialSecrets(given.chartCredentials.credentials) : [];
  const secrets = SecretSet.ofCredentials([...(given.operatorSecrets ?? []), ...charts]);
  // Fails closed: text that cannot be scrubbed is not written, a fixed line says so on
  // stderr, and the run ends as a tool error.
  let withheld = false;
  const onWithheld = () => (withheld = true);
  const env: CliEnvironment = {
    ...given,
    stdout: (t) => given.stdout(scrubOrWithhold(secrets, t, "", onWithheld)),
    stderr: (t) => given.stderr(scrubOrWithhold(secrets, t, "", onWithheld)),
  };
  const code = await dispatch(argv, env, secrets);
  if (!withheld) return code;
  given.stderr(`shipshape: ${new ScrubError().message}\n`);
  return EXIT.toolError;
}

async function dispatch(argv: string[], env: CliEnvironment, secrets: SecretSet): Promise<number> {
  const args = parseCliArgs(argv);
  try {
    switch (args.command) {
      case "help":
        env.stdout(args.topic === "policy-test" ? POLICY_TEST_USAGE : USAGE);
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
        return (await runPolicyTests(resolve(env.cwd, args.dir), { stdout: env.stdout, stderr: env.stderr }, { format: args.format })).exitCode;
      case "check":
        // At start, before any work: the message names the variable and the problem, never a value.
        if (env.chartCredentials?.ok === false) {
          env.stderr(`shipshape: ${env.chartCredentials.error}\n`);
          return EXIT.usage;
        }
        return await runCheck(args, env, secrets);
    }
  } catch (err) {
    if (err instanceof ScrubError) {
      env.stderr(`shipshape: ${err.message}\n`);
      return EXIT.toolError;
    }
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
