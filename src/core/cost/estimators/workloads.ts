/**
 * Pods cost their reserved CPU and memory for every hour of the month, times how many of
 * them run: replicas (an autoscaler's minimum, with its maximum as the ceiling), one per
 * node for DaemonSets, parallelism for Jobs when they are counted at all.
 */
import { asArray, asMap, get, podSpec } from "../../diff/summary/access.js";
import type { Resource } from "../../model/resource.js";
import type { CostEstimator, Estimate, EstimateContext } from "../estimator.js";
import { podAmounts } from "../pod-amounts.js";
import { GIB, parseQuantity } from "../quantity.js";
import { declaredReplicas } from "../scaling.js";
import { storageMonthly } from "./storage.js";

interface PodCount {
  min: number;
  max?: number;
  notes: string[];
}

/** Hourly price of one pod of this workload, with notes on how its amounts were read. */
function podHourly(resource: Resource, ctx: EstimateContext): { hourly: number; notes: string[]; incomplete: boolean } {
  const amounts = podAmounts(podSpec(resource.body));
  const hourly = amounts.cpu * ctx.prices.cpuCoreHour + (amounts.memoryBytes / GIB) * ctx.prices.memoryGiBHour;
  return { hourly, notes: amounts.notes, incomplete: amounts.incomplete };
}

function scaledCount(resource: Resource, ctx: EstimateContext): PodCount {
  const scaling = ctx.scaling(resource);
  if (!scaling) return { min: declaredReplicas(resource.body), notes: [] };
  const note = `scaled by ${scaling.by}: ${scaling.min} to ${scaling.max} replicas, estimated at ${scaling.min}`;
  return { min: scaling.min, max: scaling.max, notes: [note] };
}

function fromCount(count: PodCount, perPodMonthly: number, extraNotes: string[], incomplete: boolean): Estimate {
  return {
    monthly: count.min * perPodMonthly,
    ...(count.max !== undefined ? { monthlyMax: count.max * perPodMonthly } : {}),
    notes: [...count.notes, ...extraNotes],
    ...(incomplete ? { incomplete } : {}),
  };
}

export const replicatedWorkloads: CostEstimator = {
  name: "replicated-workload",
  kinds: ["apps|Deployment", "apps|ReplicaSet", "|ReplicationController", "argoproj.io|Rollout"],
  estimate(resource, ctx) {
    const pod = podHourly(resource, ctx);
    return fromCount(scaledCount(resource, ctx), pod.hourly * ctx.hoursPerMonth, pod.notes, pod.incomplete);
  },
};

export const pods: CostEstimator = {
  name: "pod",
  kinds: ["|Pod"],
  estimate(resource, ctx) {
    const pod = podHourly(resource, ctx);
    return { monthly: pod.hourly * ctx.hoursPerMonth, notes: pod.notes, ...(pod.incomplete ? { incomplete: true } : {}) };
  },
};

/** Each replica also gets its own volume from every volumeClaimTemplate. */
export const statefulSets: CostEstimator = {
  name: "statefulset",
  kinds: ["apps|StatefulSet"],
  estimate(resource, ctx) {
    const pod = podHourly(resource, ctx);
    const templates = asArray(get(resource.body, "spec", "volumeClaimTemplates"));
    let storage = 0;
    const storageNotes: string[] = [];
    for (const t of templates) {
      const name = String(get(t, "metadata", "name") ?? "(unnamed)");
      const raw = get(t, "spec", "resources", "requests", "storage");
      const bytes = parseQuantity(raw);
      if (bytes === undefined) {
        storageNotes.push(`volumeClaimTemplate ${name} has no readable storage request: counted as 0`);
        continue;
      }
      storage += storageMonthly(bytes, get(t, "spec", "storageClassName"), ctx.prices);
    }
    const count = scaledCount(resource, ctx);
    if (templates.length > 0) {
      const volumes = templates.length === 1 ? "1 volume" : `${templates.length} volumes`;
      storageNotes.push(`includes ${volumes} per replica from volumeClaimTemplates`);
    }
    const unreadable = storageNotes.some((n) => n.endsWith("counted as 0"));
    return fromCount(count, pod.hourly * ctx.hoursPerMonth + storage, [...pod.notes, ...storageNotes], pod.incomplete || unreadable);
  },
};

export const daemonSets: CostEstimator = {
  name: "daemonset",
  kinds: ["apps|DaemonSet"],
  estimate(resource, ctx) {
    const pod = podHourly(resource, ctx);
    const nodes = ctx.daemonSetNodes;
    const note = `one pod on each of ${nodes} node${nodes === 1 ? "" : "s"} (cost.daemonSetNodes)`;
    return { monthly: nodes * pod.hourly * ctx.hoursPerMonth, notes: [note, ...pod.notes], ...(pod.incomplete ? { incomplete: true } : {}) };
  },
};

/**
 * A Job runs until it is done, not all month, so by default it is left out. When counted
 * (cost.includeJobs), it is priced as if its parallel pods ran all month: an upper bound.
 */
export const jobs: CostEstimator = {
  name: "job",
  kinds: ["batch|Job", "batch|CronJob"],
  estimate(resource, ctx) {
    if (!ctx.includeJobs) return { monthly: 0, notes: ["Jobs and CronJobs are not estimated (cost.includeJobs is off)"], incomplete: true };
    const jobSpec = asMap(resource.kind === "CronJob" ? get(resource.body, "spec", "jobTemplate", "spec") : get(resource.body, "spec"));
    const parallelism = countOf(jobSpec.parallelism) ?? 1;
    const completions = countOf(jobSpec.completions);
    const running = completions === undefined ? parallelism : Math.min(parallelism, completions);
    const pod = podHourly(resource, ctx);
    const note = `counted as ${running} pod${running === 1 ? "" : "s"} running all month (cost.includeJobs): an upper bound`;
    return { monthly: running * pod.hourly * ctx.hoursPerMonth, notes: [note, ...pod.notes], ...(pod.incomplete ? { incomplete: true } : {}) };
  },
};

function countOf(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
}
