/** Summaries of annotations (object and pod template), pod template labels and autoscaler bounds. */
import { asMap, equal, get, show, showPair, type Body, unionKeys } from "./access.js";
import { shortValue } from "./fields.js";
import { podMetadataPrefix } from "./paths.js";

/** "annotations: +a=b, x: 1 → 2, -c" for the object and, separately, its pod template. */
export function annotations(base: Body | undefined, head: Body | undefined, kind: string): string[] {
  if (!base || !head) return [];
  const out: string[] = [];
  const own = annotationDelta(get(base, "metadata", "annotations"), get(head, "metadata", "annotations"));
  if (own.length) out.push(`annotations: ${own.join(", ")}`);
  const pod = podMetadataPrefix(kind);
  if (pod) {
    const tpl = annotationDelta(get(base, ...pod, "annotations"), get(head, ...pod, "annotations"));
    if (tpl.length) out.push(`pod annotations: ${tpl.join(", ")}`);
  }
  return out;
}

/** "pod labels: +tier=backend": what Services and NetworkPolicies select pods by. */
export function podLabels(base: Body | undefined, head: Body | undefined, kind: string): string[] {
  const pod = podMetadataPrefix(kind);
  if (!base || !head || !pod || !get(head, ...pod)) return [];
  const delta = annotationDelta(get(base, ...pod, "labels"), get(head, ...pod, "labels"));
  return delta.length ? [`pod labels: ${delta.join(", ")}`] : [];
}

function annotationDelta(before: unknown, after: unknown): string[] {
  const b = asMap(before);
  const a = asMap(after);
  const out: string[] = [];
  for (const key of unionKeys(Object.keys(b), Object.keys(a))) {
    if (!(key in a)) out.push(`-${key}`);
    else if (!(key in b)) out.push(`+${key}=${shortValue(a[key])}`);
    else if (!equal(b[key], a[key])) out.push(`${key}: ${shortValue(b[key])} → ${shortValue(a[key])}`);
  }
  return out;
}

const HPA_FIELDS = [
  ["minReplicas", "min"],
  ["maxReplicas", "max"],
] as const;

/** "autoscaling: min 1 → 2, max 4 → 6"; for a new autoscaler, its bounds. */
export function autoscalerBounds(base: Body | undefined, head: Body | undefined, kind: string): string[] {
  if (kind !== "HorizontalPodAutoscaler" || !head) return [];
  const target = get(head, "spec", "scaleTargetRef");
  if (!base) {
    const ref = asMap(target);
    // minReplicas defaults to 1 in the API.
    return [`autoscales ${show(ref.kind)} ${show(ref.name)}: ${show(get(head, "spec", "minReplicas") ?? 1)} to ${show(get(head, "spec", "maxReplicas"))} replicas`];
  }
  const parts: string[] = [];
  for (const [field, label] of HPA_FIELDS) {
    const from = get(base, "spec", field);
    const to = get(head, "spec", field);
    if (!equal(from, to)) parts.push(`${label} ${showPair(from, to)}`);
  }
  return parts.length ? [`autoscaling: ${parts.join(", ")}`] : [];
}
