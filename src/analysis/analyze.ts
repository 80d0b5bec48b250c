/**
 * One analysis, shared by the CLI, the GitHub App and the Action: given both sides as
 * trees and the config (already read from the base side or the default branch), build the
 * adapters — renderers, validator, policies — and run the pure review pipeline. Entry points
 * differ only in where the trees and the config come from and where the report goes.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { toReviewOptions } from "../config/review-options.js";
import type { ShipshapeConfig } from "../config/types.js";
import type { Report } from "../core/model/report.js";
import type { Logger } from "../core/ports.js";
import { review } from "../core/pipeline/review.js";
import type { SecretSet } from "../core/secrets/secret-set.js";
import { createRenderers } from "../render/registry.js";
import type { ChartCredentials } from "../render/chart-credentials.js";
import type { ToolOptions } from "../render/tool-options.js";
import type { LazyTree } from "../repo/lazy-tree.js";
import { createValidator } from "../schema/index.js";
import { loadPolicySet } from "./load-policies.js";

export interface AnalysisRequest {
  base: LazyTree;
  head: LazyTree;
  config: ShipshapeConfig;
  /** Already normalised (`normalizeKubernetesVersion`); overrides the config. */
  kubernetesVersion?: string;
  concurrency?: number;
}

export interface AnalysisEnvironment {
  /** PATH, only to find helm/kustomize/kubectl. */
  path: string;
  /** Binaries the operator chose (flags, environment); never from the config. */
  binaries: ToolOptions["binaries"];
  /** SHIPSHAPE_NETWORK_ISOLATION (render/network-isolation.ts); absent: `auto`. */
  network?: ToolOptions["network"];
  /** Where `npm ci` provisioned helm and kubectl. */
  toolsDir: string;
  /** The operator's credentials for private chart hosts (never the repository's); each value is in `secrets` too. */
  chartCredentials?: ChartCredentials;
  /** A private folder for this analysis; renders write their inputs below it. */
  workDir: string;
  /** YYYY-MM-DD, for waiver expiry. */
  today: string;
  logger: Logger;
  /**
   * The run's secret set, seeded with the operator's own secrets; the analysis adds what it
   * finds in the pull request. Entry points scrub every output with it (the result's `secrets`).
   */
  secrets?: SecretSet;
}

export interface AnalysisResult {
  /** Scrubbed with `secrets`. */
  report: Report;
  /** Shipshape or a tool broke (not the user's change): exit 3, check "errored". Scrubbed. */
  toolErrors: string[];
  /** Every value treated as secret in this run: apply it at every sink. */
  secrets: SecretSet;
}

export async function analyze(request: AnalysisRequest, env: AnalysisEnvironment): Promise<AnalysisResult> {
  const { base, head, config } = request;
  const scratchDir = join(env.workDir, "scratch");
  await mkdir(scratchDir, { recursive: true });
  const renderers = createRenderers(
    {
      binaries: env.binaries,
      searchPath: env.path,
      toolsDir: env.toolsDir,
      scratchDir,
      network: env.network,
      // The base side's config (see above): a pull request cannot add a host to pull charts from.
      gitops: { allowedHosts: config.gitops.allowedHosts, repositoryUrls: config.gitops.repositoryUrls, chartCacheDir: join(env.workDir, "chart-cache"), ...(env.chartCredentials ? { credentials: env.chartCredentials } : {}) },
    },
    config.gitops,
  );
  const options = toReviewOptions(config, {
    ...(request.concurrency ? { concurrency: request.concurrency } : {}),
    ...(request.kubernetesVersion ? { kubernetesVersion: request.kubernetesVersion } : {}),
  });
  const validator = createValidator({
    strict: config.schema.strict,
    missingSchema: config.schema.missingSchema,
    crdGlobs: config.schema.crds,
    builtinCrds: config.schema.builtinCrds,
    ...(config.schema.localSchemas ? { localSchemaDir: config.schema.localSchemas } : {}),
    schemaTree: base,
  });
  const policySet = await loadPolicySet(config, base);
  const waivers = {
    rules: config.waivers.map((w) => ({ ...w, where: `${config.source}${w.line ? `:${w.line}` : ""}` })),
    today: env.today,
    configFile: config.source,
  };
  return review(base, head, { ...options, waivers, setupFindings: policySet.findings }, {
    renderers,
    validator,
    ...(policySet.evaluator ? { policy: policySet.evaluator } : {}),
    logger: env.logger,
    ...(env.secrets ? { secrets: env.secrets } : {}),
  });
}
