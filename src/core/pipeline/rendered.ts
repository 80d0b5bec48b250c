/**
 * One affected target after rendering both sides, and what the review reads from it: its
 * resources (namespaces given once kind scopes are known), findings, status and verdict.
 */
import type { Finding } from "../model/finding.js";
import type { TargetStatus } from "../model/report.js";
import type { Resource } from "../model/resource.js";
import type { TargetSpec } from "../model/target.js";
import { defaultNamespaces, type ScopeLookup } from "../namespaces.js";
import type { InputProblem, InputSet, Validator } from "../ports.js";
import type { Variance } from "../diff/nondeterminism.js";
import { BUDGET_EXHAUSTED_MESSAGE } from "./budget.js";
import type { RenderVerdict } from "./coverage.js";
import { problemToFinding } from "./findings.js";
import type { SideRender } from "./scheduler.js";
import { scopeLookup } from "./scopes.js";
import { collectCrds } from "./validate.js";

/** One affected target after rendering both sides. */
export interface Rendered {
  id: string;
  spec: TargetSpec;
  /** Given to namespaced resources rendered without one. */
  namespace: string;
  base?: SideRender;
  head?: SideRender;
  baseResources?: Resource[];
  headResources?: Resource[];
  kubernetesVersion?: string;
  /** Rendered alone because these users of it did not render (coverage). */
  standaloneFor?: string[];
  /** What the second head render showed to differ on every render (pipeline/variance.ts). */
  variance?: Variance;
}


export const sideOk = (side: SideRender | undefined) => !side || side.outcome?.status === "ok";
export const bothOk = (r: Rendered) => sideOk(r.base) && sideOk(r.head);

/** A smaller render may get around invalid input or a blocked one; not a spent budget or a broken tool. */
export function canRetry(r: Rendered): boolean {
  return [r.base, r.head].every((s) => !s?.budgetExhausted && s?.outcome?.status !== "tool-error");
}

export function verdictOf(r: Rendered): RenderVerdict {
  if (bothOk(r)) return "ok";
  if (r.base?.budgetExhausted || r.head?.budgetExhausted) return "budget-exhausted";
  return r.head && sideOk(r.head) ? "base-failed" : "failed";
}

/** As rendered (test hooks left out where asked): namespaces are given once every side is in and kind scopes are known. */
export function resourcesOf<K extends "baseResources" | "headResources">(key: K, side: SideRender | undefined, keep?: (r: Resource) => boolean): Partial<Record<K, Resource[]>> {
  if (side?.outcome?.status !== "ok") return {};
  return { [key]: keep ? side.outcome.resources.filter(keep) : side.outcome.resources } as Partial<Record<K, Resource[]>>;
}

/** Every namespaced object gets its target's namespace; cluster-scoped ones none. Returns the scope lookup. */
export async function giveNamespaces(rendered: Rendered[], validator: Validator | undefined): Promise<ScopeLookup> {
  const sides = rendered.flatMap((r) => [r.baseResources, r.headResources].flatMap((resources) => (resources ? [{ resources, ...(r.kubernetesVersion ? { kubernetesVersion: r.kubernetesVersion } : {}) }] : [])));
  const scopeOf = await scopeLookup(sides, collectCrds(sides.map((s) => s.resources)), validator);
  for (const r of rendered) {
    if (r.baseResources) r.baseResources = defaultNamespaces(r.baseResources, r.namespace, scopeOf);
    if (r.headResources) r.headResources = defaultNamespaces(r.headResources, r.namespace, scopeOf);
  }
  return scopeOf;
}

export function sideFindings(side: SideRender | undefined, inputs: InputSet | undefined, id: string): Finding[] {
  if (!side) return [];
  const problems: InputProblem[] = [...side.blocked, ...(inputs?.warnings ?? [])];
  const o = side.outcome;
  if (o?.status === "ok") problems.push(...o.warnings);
  if (o?.status === "invalid") problems.push(...o.problems);
  return problems.map((p) => problemToFinding(p, id));
}

export function statusOf(head: SideRender | undefined, base: SideRender | undefined): TargetStatus {
  if (head?.budgetExhausted || base?.budgetExhausted) return "skipped";
  const side = head ?? base;
  if (!side) return "skipped";
  if (side.blocked.length > 0) return "skipped";
  const o = side.outcome;
  // Stopped by nothing but warnings (a chart host not allowed or not answering): not reviewed,
  // like a target blocked before rendering — "failed" is for errors in what the change holds.
  if (o?.status === "invalid" && o.problems.length > 0 && o.problems.every((p) => p.severity !== "error")) return "skipped";
  return o?.status === "ok" ? "rendered" : "failed";
}

export function errorOf(side: SideRender | undefined): string | undefined {
  if (!side) return undefined;
  if (side.budgetExhausted) return BUDGET_EXHAUSTED_MESSAGE;
  if (side.blocked.length > 0) return side.blocked[0]!.message;
  const o = side.outcome;
  if (o?.status === "invalid") return o.problems[0]?.message ?? "render failed";
  if (o?.status === "tool-error") return o.message;
  return undefined;
}
