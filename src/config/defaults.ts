/** The one place where config defaults live. */
import type { RawConfig, ShipshapeConfig } from "./types.js";

export const DEFAULT_CONFIG_PATH = ".github/shipshape.yml";
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_OUTPUT_BYTES = 50 * 1024 * 1024;

/**
 * Fields that change on every release without changing behaviour. Paths are dotted;
 * see `diff.ignoreFields` in the README for the matching rules.
 */
export const DEFAULT_IGNORE_FIELDS: readonly string[] = [
  "metadata.labels.helm.sh/chart",
  "spec.template.metadata.labels.helm.sh/chart",
  "metadata.annotations.checksum/*",
  "spec.template.metadata.annotations.checksum/*",
  "metadata.creationTimestamp",
  "metadata.generation",
  "metadata.resourceVersion",
  "metadata.uid",
  "metadata.managedFields",
  "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration",
  "metadata.annotations.deployment.kubernetes.io/revision",
  "status",
];

export interface DefaultsContext {
  /** CPU count of this machine: the default render concurrency. */
  cpus: number;
  source: string;
}

export function applyDefaults(raw: RawConfig, ctx: DefaultsContext): ShipshapeConfig {
  const render = raw.render ?? {};
  const diff = raw.diff ?? {};
  const ignoreFields = [...(diff.defaultIgnoreFields === false ? [] : DEFAULT_IGNORE_FIELDS), ...(diff.ignoreFields ?? [])];
  return {
    source: ctx.source,
    ...(raw.kubernetesVersion ? { kubernetesVersion: raw.kubernetesVersion } : {}),
    discovery: raw.discovery ?? true,
    ignore: raw.ignore ?? [],
    targets: raw.targets ?? [],
    render: {
      timeoutSeconds: render.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      maxOutputBytes: render.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      concurrency: render.concurrency ?? Math.max(1, ctx.cpus),
      binaries: { ...(render.binaries ?? {}) },
    },
    diff: { ignoreFields },
    schema: {
      strict: raw.schema?.strict ?? true,
      missingSchema: raw.schema?.missingSchema ?? "info",
      crds: raw.schema?.crds ?? [],
      ...(raw.schema?.localSchemas ? { localSchemas: raw.schema.localSchemas } : {}),
    },
  };
}
