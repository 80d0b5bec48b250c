/**
 * Where things live in an object, for the summarisers to declare which fields they speak
 * for: the generic summary describes every changed field that no summariser covers.
 */
import type { Path } from "./fields.js";

/** A path pattern: `*` matches any one segment; a pattern covers everything below it. */
export type Pattern = readonly string[];

export function covers(pattern: Pattern, path: Path): boolean {
  if (path.length < pattern.length) return false;
  return pattern.every((seg, i) => seg === "*" || seg === path[i]);
}

/** Where the pod spec of a workload is, as `podSpec` in access.ts reads it. */
export function podPrefix(kind: string): Pattern {
  if (kind === "Pod") return ["spec"];
  if (kind === "CronJob") return ["spec", "jobTemplate", "spec", "template", "spec"];
  return ["spec", "template", "spec"];
}

/** Where the pod template's metadata is; undefined for a bare Pod (its own metadata). */
export function podMetadataPrefix(kind: string): Pattern | undefined {
  if (kind === "Pod") return undefined;
  if (kind === "CronJob") return ["spec", "jobTemplate", "spec", "template", "metadata"];
  return ["spec", "template", "metadata"];
}

/** One field of every container and init container: `containerField("Deployment", "args")`. */
export function containerField(kind: string, field?: string): Pattern[] {
  const pod = podPrefix(kind);
  return ["containers", "initContainers"].map((list) => [...pod, list, "*", ...(field ? [field] : [])]);
}

/** A whole container (added or removed), not its fields. */
export function isWholeContainer(kind: string, path: Path): boolean {
  const pod = podPrefix(kind);
  return path.length === pod.length + 2 && containerField(kind).some((p) => covers(p, path));
}
