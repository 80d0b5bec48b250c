/**
 * The shape of a risk rule. Most rules look at one change at a time (with both sides of
 * the resource when the renders are known); a few look at the whole report (cost). Rules
 * register by id in registry.ts, where `risk.rules.<id>` can disable or re-level them.
 */
import type { Change } from "../model/change.js";
import type { CostReport } from "../model/cost.js";
import type { RiskLevel } from "../model/risk.js";
import type { Resource, ResourceRef } from "../model/resource.js";
import type { RiskCategory } from "./categories.js";

export interface ChangeContext {
  change: Change;
  /** The resource as rendered on each side, when the classifier was given the renders. */
  base?: Resource;
  head?: Resource;
  /** Every resource of the same side of every target, for rules that follow references (RBAC). */
  baseResources: readonly Resource[];
  headResources: readonly Resource[];
  /** A body with the configured noise fields removed, for "is only X different" questions. */
  withoutNoise: (body: Record<string, unknown>) => Record<string, unknown>;
}

export interface ReportContext {
  cost?: CostReport;
}

/** A report-level hit names the resource it is pinned to and what its item hash covers. */
export interface ReportHit {
  target: string;
  resource: ResourceRef;
  message: string;
  /** The content the approval is tied to; hashed, never shown. */
  content: unknown;
}

interface RuleBase {
  id: string;
  category: RiskCategory;
  /** The level when `risk.rules.<id>.level` does not say otherwise. */
  level: Exclude<RiskLevel, "none">;
  /** One line for the README and `--help`-style listings. */
  description: string;
  /** Rules whose reason on the same change this one replaces (it says the same, more precisely). */
  supersedes?: readonly string[];
  /** False when `risk.environments` must not raise this rule's level (default: raised). */
  environmentRaise?: false;
}

export interface ChangeRule extends RuleBase {
  scope: "change";
  /** The message when the rule fires on this change, else undefined. */
  evaluate(ctx: ChangeContext): string | undefined;
}

export interface ReportRule extends RuleBase {
  scope: "report";
  evaluate(ctx: ReportContext): ReportHit[];
}

export type RiskRule = ChangeRule | ReportRule;
