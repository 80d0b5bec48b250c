/** Maps the validated config onto the core pipeline's options (the core never sees config files). */
import type { ReviewOptions } from "../core/pipeline/review.js";
import { targetId, type TargetSpec } from "../core/model/target.js";
import { normalizeKubernetesVersion, UnknownKubernetesVersionError } from "../schema/index.js";
import { ConfigError } from "./errors.js";
import type { RawTarget, ShipshapeConfig } from "./types.js";

/**
 * `overrides.kubernetesVersion` comes from --kube-version and must already be normalised;
 * versions in the config are normalised here ("1.31.4" → "1.31") and an unknown one is a
 * ConfigError naming its key.
 */
export function toReviewOptions(config: ShipshapeConfig, overrides: { concurrency?: number; kubernetesVersion?: string } = {}): ReviewOptions {
  const configured = config.kubernetesVersion ? version(config.kubernetesVersion, config.source, "kubernetesVersion") : undefined;
  const kubernetesVersion = overrides.kubernetesVersion ?? configured;
  return {
    explicitTargets: config.targets.map((t, i) => toSpec(t, version(t.kubernetesVersion, config.source, `targets[${i}].kubernetesVersion`))),
    discovery: config.discovery,
    ignore: config.ignore,
    limits: {
      timeoutMs: config.render.timeoutSeconds * 1000,
      maxOutputBytes: config.render.maxOutputBytes,
      maxTotalOutputBytes: config.render.maxTotalOutputBytes,
      maxMemoryBytes: config.render.maxMemoryMiB * 1024 * 1024,
    },
    budgetMs: config.render.budgetSeconds * 1000,
    concurrency: overrides.concurrency ?? config.render.concurrency,
    ignoreFields: config.diff.ignoreFields,
    includeHelmTests: config.helm.includeTests,
    cost: config.cost,
    risk: config.risk,
    policyPaths: config.policies.paths,
    admissionPolicies: config.policies.admission,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  };
}

function version<T extends string | undefined>(v: T, file: string, keyPath: string): T {
  if (v === undefined) return v;
  try {
    return normalizeKubernetesVersion(v) as T;
  } catch (err) {
    if (err instanceof UnknownKubernetesVersionError) throw new ConfigError(file, err.message, keyPath);
    throw err;
  }
}

function toSpec(t: RawTarget, kubernetesVersion: string | undefined): TargetSpec {
  const path = normalisePath(t.path);
  const composeEnv = t.composeEnv ? Object.fromEntries(Object.entries(t.composeEnv).map(([k, v]) => [k, String(v)])) : undefined;
  return {
    id: targetId(path, t.name),
    type: t.type,
    path,
    explicit: true,
    ...(t.name ? { name: t.name } : {}),
    ...(t.releaseName ? { releaseName: t.releaseName } : {}),
    ...(t.namespace ? { namespace: t.namespace } : {}),
    ...(t.valueFiles ? { valueFiles: t.valueFiles } : {}),
    ...(t.composeFiles ? { composeFiles: t.composeFiles } : {}),
    ...(t.composeProfiles ? { composeProfiles: t.composeProfiles } : {}),
    ...(composeEnv ? { composeEnv } : {}),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  };
}

/** "./apps/api/" → "apps/api"; "" or "./" → ".". */
export function normalisePath(p: string): string {
  const trimmed = p.replace(/^\.\/+/, "").replace(/\/+$/, "");
  return trimmed === "" || trimmed === "." ? "." : trimmed;
}
