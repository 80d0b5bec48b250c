/** `shipshape check`: snapshot both sides, load config, run the shared pipeline, print. */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../config/errors.js";
import { EXIT } from "../core/outcome.js";
import { decideOutcome } from "../core/outcome-explain.js";
import { rendererLabel } from "../present/format.js";
import { writeReport } from "./write-report.js";
import { normalizeKubernetesVersion, UnknownKubernetesVersionError } from "../schema/index.js";
import { SourceError } from "../repo/errors.js";
import type { LazyTree } from "../repo/lazy-tree.js";
import type { CheckArgs } from "./args.js";
import type { CliEnvironment } from "./environment.js";
import { analyze } from "../analysis/analyze.js";
import { loadConfig } from "../analysis/load-config.js";
import { openSource } from "../analysis/sources.js";
import { resolveSourceArg } from "./sources.js";
import { binariesFor } from "./binary-flags.js";
import { createStderrLogger } from "./logger.js";
import { SecretSet } from "../core/secrets/secret-set.js";
import { chartCredentialSecrets, type ChartCredentials } from "../render/chart-credentials.js";

/** `env`'s stdout and stderr already scrub with `secrets`; the --output file is scrubbed here. */
export async function runCheck(args: CheckArgs, env: CliEnvironment, secrets: SecretSet = new SecretSet()): Promise<number> {
  // main() seeded the set with them already; a caller that did not still scrubs them.
  if (env.chartCredentials?.ok) for (const v of chartCredentialSecrets(env.chartCredentials.credentials)) secrets.addCredential(v);
  const work = await mkdtemp(join(env.tmpDir, "shipshape-"));
  const logger = createStderrLogger(env.stderr, args.verbose);
  let trees: LazyTree[] = [];
  try {
    const [baseSpec, headSpec] = await Promise.all([
      resolveSourceArg("--base", args.base, args.repo, env.cwd),
      resolveSourceArg("--head", args.head, args.repo, env.cwd),
    ]);
    const opened = await Promise.allSettled([openSource(baseSpec, join(work, "base")), openSource(headSpec, join(work, "head"))]);
    trees = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    for (const o of opened) if (o.status === "rejected") throw o.reason;
    const [base, head] = trees as [LazyTree, LazyTree];
    const config = await loadConfig(args.config, base, env.cwd, env.cpus);
    logger.debug("config loaded", { source: config.source });
    const kubeVersion = args.kubeVersion ? normalizeKubernetesVersion(args.kubeVersion) : undefined;
    const { report: analysed, toolErrors } = await analyze(
      { base, head, config, ...(kubeVersion ? { kubernetesVersion: kubeVersion } : {}), ...(args.concurrency ? { concurrency: args.concurrency } : {}) },
      { path: env.path, binaries: binariesFor(args.binaries, env), network: env.network, toolsDir: env.toolsDir, ...chartCredentialsOf(env), workDir: work, today: env.today, logger, secrets },
    );
    const outcome = decideOutcome(analysed, args.failOn, { toolErrors: toolErrors.length });
    const report = { ...analysed, outcome };
    if (args.verbose) {
      for (const t of report.targets) {
        // Built-in renderers run in-process: there is no binary to name.
        logger.info("target", { id: t.id, status: t.status, renderer: rendererLabel(t.renderer), path: t.renderer.path ?? "built-in", ms: t.durationMs });
      }
    }
    await writeReport(report, args, env, secrets);
    for (const e of toolErrors) env.stderr(`shipshape: tool error: ${e}\n`);
    return outcome.exitCode;
  } catch (err) {
    if (err instanceof UnknownKubernetesVersionError) {
      env.stderr(`shipshape: --kube-version: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError || err instanceof SourceError) {
      env.stderr(`shipshape: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  } finally {
    await Promise.all(trees.map((t) => t.close()));
    await rm(work, { recursive: true, force: true });
  }
}

/** The operator's chart credentials for the analysis, when there are any. */
function chartCredentialsOf(env: CliEnvironment): { chartCredentials?: ChartCredentials } {
  return env.chartCredentials?.ok && env.chartCredentials.credentials.size > 0 ? { chartCredentials: env.chartCredentials.credentials } : {};
}
