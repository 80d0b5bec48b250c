/** `shipshape check`: snapshot both sides, load config, run the shared pipeline, print. */
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigError } from "../config/errors.js";
import { toReviewOptions } from "../config/review-options.js";
import { EXIT, failsCheck } from "../core/outcome.js";
import { review } from "../core/pipeline/review.js";
import { renderReport } from "../present/index.js";
import { createRenderers } from "../render/registry.js";
import { createValidator, normalizeKubernetesVersion, UnknownKubernetesVersionError } from "../schema/index.js";
import { SourceError } from "../repo/errors.js";
import type { LazyTree } from "../repo/lazy-tree.js";
import type { CheckArgs } from "./args.js";
import type { CliEnvironment } from "./environment.js";
import { loadConfig } from "./load-config.js";
import { loadPolicySet } from "./load-policies.js";
import { openSource } from "./sources.js";
import { createStderrLogger } from "./logger.js";

export async function runCheck(args: CheckArgs, env: CliEnvironment): Promise<number> {
  const work = await mkdtemp(join(env.tmpDir, "shipshape-"));
  const logger = createStderrLogger(env.stderr, args.verbose);
  let trees: LazyTree[] = [];
  try {
    const opened = await Promise.allSettled([
      openSource(args.base, args.repo, env.cwd, join(work, "base")),
      openSource(args.head, args.repo, env.cwd, join(work, "head")),
    ]);
    trees = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    for (const o of opened) if (o.status === "rejected") throw o.reason;
    const [base, head] = trees as [LazyTree, LazyTree];
    const config = await loadConfig(args.config, base, env.cwd, env.cpus);
    logger.debug("config loaded", { source: config.source });
    const scratchDir = join(work, "scratch");
    await mkdir(scratchDir, { recursive: true });
    const renderers = createRenderers({ binaries: config.render.binaries, searchPath: env.path, toolsDir: env.toolsDir, scratchDir });
    const kubeVersion = args.kubeVersion ? normalizeKubernetesVersion(args.kubeVersion) : undefined;
    const options = toReviewOptions(config, {
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      ...(kubeVersion ? { kubernetesVersion: kubeVersion } : {}),
    });
    const validator = createValidator({
      strict: config.schema.strict,
      missingSchema: config.schema.missingSchema,
      crdGlobs: config.schema.crds,
      ...(config.schema.localSchemas ? { localSchemaDir: config.schema.localSchemas } : {}),
      schemaTree: base,
    });
    const policySet = await loadPolicySet(config, base);
    const waivers = {
      rules: config.waivers.map((w) => ({ ...w, where: `${config.source}${w.line ? `:${w.line}` : ""}` })),
      today: env.today,
      configFile: config.source,
    };
    const { report, toolErrors } = await review(base, head, { ...options, waivers, setupFindings: policySet.findings }, {
      renderers,
      validator,
      ...(policySet.evaluator ? { policy: policySet.evaluator } : {}),
      logger,
    });
    if (args.verbose) {
      for (const t of report.targets) {
        logger.info("target", { id: t.id, status: t.status, renderer: `${t.renderer.name} ${t.renderer.version ?? "?"}`, path: t.renderer.path, ms: t.durationMs });
      }
    }
    const text = renderReport(report, args.format, { color: env.isTTY && !args.output, verbose: args.verbose });
    if (args.output) await writeFile(resolve(env.cwd, args.output), text);
    else env.stdout(text);
    for (const e of toolErrors) env.stderr(`shipshape: tool error: ${e}\n`);
    if (toolErrors.length > 0) return EXIT.toolError;
    return failsCheck(report, args.failOn) ? EXIT.failed : EXIT.ok;
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
