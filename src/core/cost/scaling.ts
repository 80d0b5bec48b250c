/**
 * Autoscalers of one side of a target, looked up by the workload they scale. With one,
 * the estimate uses its minimum and reports its maximum as the ceiling; `spec.replicas`
 * is then only the starting point and does not count.
 */
import { asMap, get } from "../diff/summary/access.js";
import { apiGroup, type Resource } from "../model/resource.js";

export interface Scaling {
  min: number;
  max: number;
  /** "HorizontalPodAutoscaler api" — for the note. */
  by: string;
}

export type ScalingLookup = (workload: Resource) => Scaling | undefined;

interface ScalerKind {
  min: (spec: Record<string, unknown>) => unknown;
  max: (spec: Record<string, unknown>) => unknown;
  defaultMin: number;
  defaultMax?: number;
  /** The kind scaled when `scaleTargetRef.kind` is left out. */
  defaultTargetKind?: string;
}

/** Keyed by `group|Kind`; KEDA creates an HPA from its ScaledObject, so both count. */
const SCALERS: Record<string, ScalerKind> = {
  "autoscaling|HorizontalPodAutoscaler": { min: (s) => s.minReplicas, max: (s) => s.maxReplicas, defaultMin: 1 },
  "keda.sh|ScaledObject": {
    min: (s) => s.minReplicaCount,
    max: (s) => s.maxReplicaCount,
    defaultMin: 0,
    defaultMax: 100,
    defaultTargetKind: "Deployment",
  },
};

export function scalingLookup(resources: readonly Resource[]): ScalingLookup {
  const byTarget = new Map<string, Scaling>();
  for (const r of resources) {
    const scaler = SCALERS[`${apiGroup(r.apiVersion)}|${r.kind}`];
    if (!scaler) continue;
    const spec = asMap(r.body.spec);
    const ref = asMap(spec.scaleTargetRef);
    const kind = typeof ref.kind === "string" ? ref.kind : scaler.defaultTargetKind;
    if (!kind || typeof ref.name !== "string") continue;
    const min = count(scaler.min(spec)) ?? scaler.defaultMin;
    const max = count(scaler.max(spec)) ?? scaler.defaultMax ?? min;
    byTarget.set(key(r.namespace, kind, ref.name), { min, max: Math.max(min, max), by: `${r.kind} ${r.name}` });
  }
  return (w) => byTarget.get(key(w.namespace, w.kind, w.name));
}

function key(namespace: string, kind: string, name: string): string {
  return `${namespace}|${kind}|${name}`;
}

function count(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** `spec.replicas` as written; a missing field means 1, as the API server defaults it. */
export function declaredReplicas(body: Record<string, unknown>): number {
  const v = get(body, "spec", "replicas");
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : 1;
}
