/**
 * Summaries of the pod spec beyond images and sizes: probes, where pods may run
 * (nodeSelector, tolerations, affinity), the service account, and args/command.
 */
import { asArray, asMap, equal, mapDelta, podSpec, show, showPair, type Body } from "./access.js";
import { describeField, fieldChanges, listWords, shortValue } from "./fields.js";
import { listDelta, perSharedContainer } from "./workload.js";

const PROBES = [
  ["livenessProbe", "liveness"],
  ["readinessProbe", "readiness"],
  ["startupProbe", "startup"],
] as const;

/** How many field changes a "changed (…)" detail names before counting the rest. */
const MAX_DETAILS = 2;

/** "probes api: liveness added, readiness changed (httpGet.path: /healthz → /ready)". */
export function probes(base: Body | undefined, head: Body | undefined): string[] {
  return perSharedContainer(base, head, (name, b, h) => {
    const parts: string[] = [];
    for (const [field, label] of PROBES) {
      const from = b[field];
      const to = h[field];
      if (equal(from, to)) continue;
      if (from === undefined) parts.push(`${label} added`);
      else if (to === undefined) parts.push(`${label} removed`);
      else parts.push(`${label} changed (${details(from, to)})`);
    }
    return parts.length ? `probes ${name}: ${parts.join(", ")}` : undefined;
  });
}

/** nodeSelector, tolerations and affinity: where the pods may be scheduled. */
export function scheduling(base: Body | undefined, head: Body | undefined): string[] {
  if (!base || !head) return [];
  const b = podSpec(base);
  const h = podSpec(head);
  if (!b && !h) return [];
  const out: string[] = [];
  const selector = mapDelta(asMap(b?.nodeSelector), asMap(h?.nodeSelector), (k, f, t) => `${k}: ${shortValue(f)} → ${shortValue(t)}`);
  if (selector.length) out.push(`nodeSelector: ${selector.join(", ")}`);
  const tb = asArray(b?.tolerations).map(toleration);
  const th = asArray(h?.tolerations).map(toleration);
  const tolerations = listDelta(tb, th);
  if (tolerations.length > 3) out.push(`tolerations: ${listWords(tb, th)}`);
  else if (tolerations.length) out.push(`tolerations: ${tolerations.join(", ")}`);
  const from = b?.affinity;
  const to = h?.affinity;
  if (!equal(from, to)) {
    if (from === undefined) out.push(`affinity added (${Object.keys(asMap(to)).sort().join(", ")})`);
    else if (to === undefined) out.push("affinity removed");
    else out.push(`affinity changed (${details(from, to)})`);
  }
  return out;
}

/** "dedicated=gpu:NoSchedule", "node.kubernetes.io/unreachable:NoExecute for 300s". */
function toleration(t: Record<string, unknown>): string {
  const key = t.key === undefined ? "*" : show(t.key);
  const value = t.operator === "Exists" ? "" : t.value !== undefined ? `=${show(t.value)}` : "";
  const effect = t.effect !== undefined ? `:${show(t.effect)}` : "";
  const seconds = t.tolerationSeconds !== undefined ? ` for ${show(t.tolerationSeconds)}s` : "";
  return `${key}${value}${effect}${seconds}`;
}

export function serviceAccount(base: Body | undefined, head: Body | undefined): string[] {
  if (!base || !head) return [];
  const name = (b: Body | undefined) => {
    const spec = podSpec(b);
    return spec?.serviceAccountName ?? spec?.serviceAccount;
  };
  const from = name(base);
  const to = name(head);
  if (equal(from, to) || (!podSpec(base) && !podSpec(head))) return [];
  return [`serviceAccountName: ${showPair(from, to)}`];
}

/** "args api: -"--port=8080", +"--port=9090"", "command api: 2 items changed". */
export function argsAndCommand(base: Body | undefined, head: Body | undefined): string[] {
  const out: string[] = [];
  for (const field of ["command", "args"] as const) {
    out.push(
      ...perSharedContainer(base, head, (name, b, h) => {
        const from = b[field];
        const to = h[field];
        if (equal(from, to)) return undefined;
        if (from === undefined) return `${field} ${name}: set (${listWords([], asList(to))})`;
        if (to === undefined) return `${field} ${name}: removed (${listWords(asList(from), [])})`;
        return `${field} ${name}: ${listWords(asList(from), asList(to))}`;
      }),
    );
  }
  return out;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

/** "initialDelaySeconds: 5 → 10, periodSeconds: 10 → 5", at most MAX_DETAILS and a count. */
export function details(from: unknown, to: unknown): string {
  const changes = fieldChanges(from, to);
  const shown = changes.slice(0, MAX_DETAILS).map((c) => describeField(c));
  const more = changes.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}
