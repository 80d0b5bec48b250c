/**
 * Compose services: `deploy.replicas` (or the older `scale`) copies of what
 * `deploy.resources.reservations` sets aside, else of its limits; the older service-level
 * `cpus`, `mem_reservation` and `mem_limit` fill in when `deploy` says nothing. A service in
 * `deploy.mode: global` runs once per node, like a DaemonSet.
 */
import { asMap, get } from "../../diff/summary/access.js";
import type { CostEstimator } from "../estimator.js";
import { GIB, parseComposeBytes, parseComposeCpus } from "../quantity.js";

export const composeServices: CostEstimator = {
  name: "compose-service",
  kinds: ["compose|Service"],
  estimate(resource, ctx) {
    const body = resource.body;
    const notes: string[] = [];
    const reservations = asMap(get(body, "deploy", "resources", "reservations"));
    const limits = asMap(get(body, "deploy", "resources", "limits"));
    const cpu = amount("CPU", [reservations.cpus, limits.cpus, body.cpus], parseComposeCpus, notes);
    const memory = amount("memory", [reservations.memory, limits.memory, body.mem_reservation, body.mem_limit], parseComposeBytes, notes);
    const hourly = cpu * ctx.prices.cpuCoreHour + (memory / GIB) * ctx.prices.memoryGiBHour;
    const global = get(body, "deploy", "mode") === "global";
    if (global) notes.unshift(`deploy.mode global: one container on each of ${ctx.daemonSetNodes} nodes (cost.daemonSetNodes)`);
    const copies = global ? ctx.daemonSetNodes : replicasOf(body);
    const incomplete = notes.some((n) => n.endsWith("counted as 0"));
    return { monthly: copies * hourly * ctx.hoursPerMonth, notes, ...(incomplete ? { incomplete } : {}) };
  },
};

function amount(label: string, candidates: unknown[], parse: (v: unknown) => number | undefined, notes: string[]): number {
  const raw = candidates.find((v) => v !== undefined && v !== null);
  if (raw === undefined) {
    notes.push(`no ${label} reservation or limit: counted as 0`);
    return 0;
  }
  const value = parse(raw);
  if (value !== undefined) return value;
  notes.push(`unreadable ${label} amount ${JSON.stringify(raw)}: counted as 0`);
  return 0;
}

function replicasOf(body: Record<string, unknown>): number {
  const v = get(body, "deploy", "replicas") ?? body.scale;
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : 1;
}
