/** Maps the validated config onto the core pipeline's options (the core never sees config files). */
import type { ReviewOptions } from "../core/pipeline/review.js";
import { targetId, type TargetSpec } from "../core/model/target.js";
import type { RawTarget, ShipshapeConfig } from "./types.js";

export function toReviewOptions(config: ShipshapeConfig, overrides: { concurrency?: number; kubernetesVersion?: string } = {}): ReviewOptions {
  const kubernetesVersion = overrides.kubernetesVersion ?? config.kubernetesVersion;
  return {
    explicitTargets: config.targets.map(toSpec),
    discovery: config.discovery,
    ignore: config.ignore,
    limits: { timeoutMs: config.render.timeoutSeconds * 1000, maxOutputBytes: config.render.maxOutputBytes },
    concurrency: overrides.concurrency ?? config.render.concurrency,
    ignoreFields: config.diff.ignoreFields,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
  };
}

function toSpec(t: RawTarget): TargetSpec {
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
    ...(t.kubernetesVersion ? { kubernetesVersion: t.kubernetesVersion.replace(/^v/, "") } : {}),
  };
}

/** "./apps/api/" → "apps/api"; "" or "./" → ".". */
export function normalisePath(p: string): string {
  const trimmed = p.replace(/^\.\/+/, "").replace(/\/+$/, "");
  return trimmed === "" || trimmed === "." ? "." : trimmed;
}
