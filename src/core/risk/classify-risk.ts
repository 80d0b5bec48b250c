/**
 * Gives every change a risk level with reasons naming the rule and the resource, raises
 * reasons in sensitive environments, attaches who must approve, and hashes what was judged.
 * Pure: changes, renders and config in, a RiskReport out.
 */
import { compileIgnoreFields } from "../diff/ignore-fields.js";
import type { Change } from "../model/change.js";
import type { CostReport } from "../model/cost.js";
import { identityKey, type Resource, type ResourceRef } from "../model/resource.js";
import { maxRiskLevel, riskRank, type ChangeRisk, type RiskLevel, type RiskReason, type RiskReport } from "../model/risk.js";
import { approvalRequirement, approverList, approverRule } from "./approvers.js";
import type { RiskConfig } from "./config.js";
import { raised, raiseLookup, type RaiseLookup } from "./environments.js";
import { changeContent, digestOf, itemHash } from "./item-hash.js";
import { RISK_RULES, UnknownRiskRuleError } from "./registry.js";
import type { ChangeContext, ChangeRule, ReportRule, RiskRule } from "./rule.js";

export interface RiskTargetInput {
  id: string;
  path: string;
  base?: readonly Resource[];
  head?: readonly Resource[];
}

export interface RiskInput {
  changes: readonly Change[];
  /** The renders behind the changes; rules that compare content skip changes they cannot find here. */
  targets: readonly RiskTargetInput[];
  cost?: CostReport;
  config: RiskConfig;
  /** `diff.ignoreFields`: noise left out of comparisons and item hashes. */
  ignoreFields?: readonly string[];
}

interface Active<R extends RiskRule> {
  rule: R;
  level: RiskLevel;
}

/** A rule's verdict before environments, approvals and hashing. */
interface Hit {
  ruleId: string;
  category: RiskRule["category"];
  level: RiskLevel;
  target: string;
  ref: ResourceRef;
  message: string;
  content: unknown;
  /** False for rules that environments do not raise (cost: the bar is an amount, not a place). */
  raisable: boolean;
}

interface IndexedTarget {
  path: string;
  base: Map<string, Resource>;
  head: Map<string, Resource>;
}

export function classifyRisk(input: RiskInput): RiskReport {
  const { changeRules, reportRules } = activeRules(input.config);
  const withoutNoise = compileIgnoreFields(input.ignoreFields ?? []);
  const targets = indexTargets(input.targets);
  const baseResources = input.targets.flatMap((t) => t.base ?? []);
  const headResources = input.targets.flatMap((t) => t.head ?? []);

  const hits: Hit[] = [];
  for (const change of input.changes) {
    const t = targets.get(change.target);
    const head = change.action === "removed" ? undefined : t?.head.get(identityKey(change));
    const base = change.action === "added" ? undefined : t?.base.get(identityKey({ ...change, name: change.previousName ?? change.name }));
    const ctx: ChangeContext = { change, ...(base ? { base } : {}), ...(head ? { head } : {}), baseResources, headResources, withoutNoise };
    const fired = changeRules.flatMap(({ rule, level }) => {
      const message = rule.evaluate(ctx);
      return message === undefined ? [] : [{ rule, level, message }];
    });
    if (fired.length === 0) continue;
    const superseded = new Set(fired.flatMap((f) => f.rule.supersedes ?? []));
    // Redacting and cloning is the costly part: only for changes some rule fired on.
    const content = changeContent(head, base, withoutNoise);
    for (const f of fired) {
      if (superseded.has(f.rule.id)) continue;
      hits.push({ ruleId: f.rule.id, category: f.rule.category, level: f.level, target: change.target, ref: change, message: f.message, content, raisable: f.rule.environmentRaise !== false });
    }
  }
  for (const { rule, level } of reportRules) {
    for (const h of rule.evaluate({ ...(input.cost ? { cost: input.cost } : {}) })) {
      hits.push({ ruleId: rule.id, category: rule.category, level, target: h.target, ref: h.resource, message: h.message, content: h.content, raisable: rule.environmentRaise !== false });
    }
  }

  const raiseOf = raiseLookup(input.config.environments);
  const reasons = hits.map((h) => toReason(h, input.config, raiseOf, targets)).sort(compareReasons);
  return {
    level: maxRiskLevel(reasons.map((r) => r.level)),
    requiresApproval: reasons.some((r) => r.approval !== undefined),
    digest: digestOf(reasons.map((r) => r.itemHash)),
    reasons,
    changes: changeLevels(input.changes, reasons),
  };
}

function activeRules(config: RiskConfig): { changeRules: Active<ChangeRule>[]; reportRules: Active<ReportRule>[] } {
  for (const id of Object.keys(config.rules)) if (!RISK_RULES.has(id)) throw new UnknownRiskRuleError(id);
  const changeRules: Active<ChangeRule>[] = [];
  const reportRules: Active<ReportRule>[] = [];
  for (const rule of RISK_RULES.values()) {
    const setting = config.rules[rule.id];
    if (setting?.enabled === false) continue;
    const level = setting?.level ?? rule.level;
    if (rule.scope === "change") changeRules.push({ rule, level });
    else reportRules.push({ rule, level });
  }
  return { changeRules, reportRules };
}

function indexTargets(targets: readonly RiskTargetInput[]): Map<string, IndexedTarget> {
  const byKey = (resources: readonly Resource[] | undefined) => new Map((resources ?? []).map((r) => [identityKey(r), r]));
  return new Map(targets.map((t) => [t.id, { path: t.path, base: byKey(t.base), head: byKey(t.head) }]));
}

function toReason(hit: Hit, config: RiskConfig, raiseOf: RaiseLookup, targets: Map<string, IndexedTarget>): RiskReason {
  const raise = hit.raisable ? raiseOf({ id: hit.target, path: targets.get(hit.target)?.path ?? hit.target }) : undefined;
  const level = raise ? raised(hit.level, raise.by) : hit.level;
  const message = level === hit.level ? hit.message : `${hit.message} (raised from ${hit.level}: ${raise!.environment} target)`;
  const rule = approverRule(config.approvals, hit.category);
  const approval = approvalRequirement(config.approvals, rule, level);
  return {
    ruleId: hit.ruleId,
    level,
    category: hit.category,
    target: hit.target,
    apiVersion: hit.ref.apiVersion,
    kind: hit.ref.kind,
    namespace: hit.ref.namespace,
    name: hit.ref.name,
    message,
    itemHash: itemHash({ ruleId: hit.ruleId, target: hit.target, ref: hit.ref, content: hit.content }),
    approvers: approverList(rule),
    ...(approval ? { approval } : {}),
  };
}

function changeLevels(changes: readonly Change[], reasons: readonly RiskReason[]): ChangeRisk[] {
  const key = (target: string, ref: ResourceRef) => `${target}\u0000${identityKey(ref)}`;
  const levels = new Map<string, RiskLevel>();
  for (const r of reasons) levels.set(key(r.target, r), maxRiskLevel([levels.get(key(r.target, r)) ?? "none", r.level]));
  return changes.map((c) => ({
    target: c.target,
    apiVersion: c.apiVersion,
    kind: c.kind,
    namespace: c.namespace,
    name: c.name,
    level: levels.get(key(c.target, c)) ?? "none",
  }));
}

/** Most severe first, then by place, so the order never depends on rule registration. */
function compareReasons(a: RiskReason, b: RiskReason): number {
  return (
    riskRank(b.level) - riskRank(a.level) ||
    a.target.localeCompare(b.target) ||
    a.kind.localeCompare(b.kind) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}
