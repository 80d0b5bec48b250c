/**
 * The monthly cost of every rendered resource on each side of the change, and what moved.
 * Pure: rendered resources and config in, a CostReport out.
 */
import { deepEqual } from "../diff/deep-equal.js";
import { pairResources } from "../diff/match.js";
import type { CostItem, CostReport } from "../model/cost.js";
import type { Resource } from "../model/resource.js";
import type { CostConfig } from "./config.js";
import type { EstimateContext } from "./estimator.js";
import { fromCents, toCents } from "./money.js";
import { priceResolver } from "./prices.js";
import { estimatorFor } from "./registry.js";
import { scalingLookup } from "./scaling.js";

export interface CostTargetInput {
  id: string;
  path: string;
  /** Undefined when the target does not exist on that side (added or removed by the change). */
  base?: readonly Resource[];
  head?: readonly Resource[];
}

export interface CostInput {
  targets: readonly CostTargetInput[];
  config: CostConfig;
}

/** One resource on one side, in cents. */
interface SideCost {
  cents: number;
  maxCents?: number;
  notes: string[];
  incomplete: boolean;
}

interface Totals {
  base: number;
  head: number;
  baseMax: number;
  headMax: number;
  scaled: boolean;
}

export function estimateCost(input: CostInput): CostReport {
  const { config } = input;
  const pricesFor = priceResolver(config);
  const totals: Totals = { base: 0, head: 0, baseMax: 0, headMax: 0, scaled: false };
  const items: CostItem[] = [];
  for (const target of input.targets) {
    const prices = pricesFor(target);
    const base = target.base ?? [];
    const head = target.head ?? [];
    const ctx = (side: readonly Resource[]): EstimateContext => ({
      prices,
      hoursPerMonth: config.hoursPerMonth,
      daemonSetNodes: config.daemonSetNodes,
      includeJobs: config.includeJobs,
      scaling: scalingLookup(side),
    });
    const baseCtx = ctx(base);
    const headCtx = ctx(head);
    const { pairs, added, removed } = pairResources(base, head);
    const entries = [
      ...pairs.map((p) => ({ b: p.base, h: p.head, changed: p.renamed || !deepEqual(p.base.body, p.head.body) })),
      ...added.map((h) => ({ b: undefined, h, changed: true })),
      ...removed.map((b) => ({ b, h: undefined, changed: true })),
    ];
    for (const { b, h, changed } of entries) {
      const bc = b ? costOf(b, baseCtx) : undefined;
      const hc = h ? costOf(h, headCtx) : undefined;
      addTo(totals, bc, "base");
      addTo(totals, hc, "head");
      const item = itemOf(target.id, (h ?? b)!, bc, hc, changed);
      if (item) items.push(item);
    }
  }
  return report(config, totals, items.sort(compareItems));
}

function costOf(resource: Resource, ctx: EstimateContext): SideCost | undefined {
  const estimate = estimatorFor(resource)?.estimate(resource, ctx);
  if (!estimate) return undefined;
  return {
    cents: toCents(estimate.monthly),
    ...(estimate.monthlyMax !== undefined ? { maxCents: toCents(estimate.monthlyMax) } : {}),
    notes: estimate.notes,
    incomplete: estimate.incomplete === true,
  };
}

function addTo(totals: Totals, cost: SideCost | undefined, side: "base" | "head"): void {
  if (!cost) return;
  totals[side] += cost.cents;
  if (cost.maxCents !== undefined) totals.scaled = true;
  const max = side === "base" ? "baseMax" : "headMax";
  totals[max] += cost.maxCents ?? cost.cents;
}

/**
 * An item for everything that moved: the estimate or its ceiling changed, or the resource
 * changed and could not be fully priced (no requests, a Job left out), which a reader of
 * an unchanged total would otherwise never learn.
 */
function itemOf(target: string, r: Resource, bc: SideCost | undefined, hc: SideCost | undefined, changed: boolean): CostItem | undefined {
  if (!bc && !hc) return undefined;
  const baseCents = bc?.cents ?? 0;
  const headCents = hc?.cents ?? 0;
  const maxMoved = (bc?.maxCents !== undefined || hc?.maxCents !== undefined) && (bc?.maxCents ?? baseCents) !== (hc?.maxCents ?? headCents);
  const shown = (hc ?? bc)!;
  const notes = [...new Set(shown.notes)];
  if (baseCents === headCents && !maxMoved && !(changed && shown.incomplete)) return undefined;
  return {
    target,
    apiVersion: r.apiVersion,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    baseMonthly: fromCents(baseCents),
    headMonthly: fromCents(headCents),
    deltaMonthly: fromCents(headCents - baseCents),
    ...(bc?.maxCents !== undefined ? { baseMonthlyMax: fromCents(bc.maxCents) } : {}),
    ...(hc?.maxCents !== undefined ? { headMonthlyMax: fromCents(hc.maxCents) } : {}),
    ...(notes.length > 0 ? { note: notes.join("; ") } : {}),
  };
}

function report(config: CostConfig, totals: Totals, items: CostItem[]): CostReport {
  const delta = totals.head - totals.base;
  const percent = totals.base > 0 ? (delta * 100) / totals.base : null;
  const { monthly, percent: percentLimit, minimumMonthly } = config.threshold;
  const relative = percent !== null && percent >= percentLimit && delta >= toCents(minimumMonthly);
  const exceeded = delta > 0 && (delta >= toCents(monthly) || relative);
  return {
    currency: config.currency,
    baseMonthly: fromCents(totals.base),
    headMonthly: fromCents(totals.head),
    deltaMonthly: fromCents(delta),
    deltaPercent: percent === null ? null : Math.round(percent * 10) / 10,
    ...(totals.scaled ? { baseMonthlyMax: fromCents(totals.baseMax), headMonthlyMax: fromCents(totals.headMax) } : {}),
    threshold: { monthly, percent: percentLimit, minimumMonthly, exceeded },
    items,
  };
}

/** Largest movers first; ties in a stable, input-independent order. */
function compareItems(a: CostItem, b: CostItem): number {
  return (
    Math.abs(b.deltaMonthly) - Math.abs(a.deltaMonthly) ||
    a.target.localeCompare(b.target) ||
    a.kind.localeCompare(b.kind) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}
