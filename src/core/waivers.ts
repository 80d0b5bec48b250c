/**
 * Waivers: a team's decision to accept a policy finding, written in the base config or as
 * annotations on the resource. A waived finding stays in the report (marked, with reason
 * and where the waiver is written) and no longer fails the check. An expired config waiver
 * stops applying and becomes a finding of its own, so it cannot rot silently.
 */
import picomatch from "picomatch";
import { makeFinding, type Finding, type Waiver } from "./model/finding.js";
import type { Resource } from "./model/resource.js";

export const WAIVE_ANNOTATION = "shipshape.dev/waive";
export const WAIVE_REASON_ANNOTATION = "shipshape.dev/waive-reason";

export interface WaiverRule {
  /** "<policy>" or "<policy>/<rule>"; globs allowed. */
  policy: string;
  /** Globs on the resource identity; all optional. */
  resource?: { kind?: string; namespace?: string; name?: string };
  /** Glob on the target id. */
  target?: string;
  reason: string;
  expires?: string;
  /** `file:line` of the entry in the config. */
  where: string;
}

export interface WaiverContext {
  rules: readonly WaiverRule[];
  /** Today's date (YYYY-MM-DD), read once by the entry point. */
  today: string;
  /** Config file name, for the expired-waiver finding. */
  configFile: string;
}

/** Policy findings get `waived` when a rule or an annotation covers them. */
export function applyWaivers(findings: readonly Finding[], resourcesByTarget: ReadonlyMap<string, readonly Resource[]>, ctx: WaiverContext): Finding[] {
  const active = ctx.rules.filter((r) => !r.expires || r.expires >= ctx.today);
  const matchers = active.map((r) => ({ rule: r, test: compile(r) }));
  // Resources by identity, per target, built on first use: findings can number in the tens
  // of thousands on a large render.
  const indexes = new Map<string, Map<string, Resource>>();
  const indexFor = (target: string) => {
    let index = indexes.get(target);
    if (!index) {
      index = new Map((resourcesByTarget.get(target) ?? []).map((r) => [`${r.kind}|${r.namespace}|${r.name}`, r] as const));
      indexes.set(target, index);
    }
    return index;
  };
  return findings.map((f) => {
    if (f.source !== "policy" || !f.ruleId.startsWith("policy/")) return f;
    const policyRule = f.ruleId.slice("policy/".length);
    const byConfig = matchers.find((m) => m.test(f, policyRule));
    if (byConfig) return { ...f, waived: toWaiver(byConfig.rule) };
    const byAnnotation = annotationWaiver(f, policyRule, indexFor(f.target));
    return byAnnotation ? { ...f, waived: byAnnotation } : f;
  });
}

/** One warning per expired waiver in the config. */
export function expiredWaivers(ctx: WaiverContext): Finding[] {
  return ctx.rules
    .filter((r) => r.expires && r.expires < ctx.today)
    .map((r) =>
      makeFinding({
        source: "config",
        ruleId: "config/waiver-expired",
        severity: "warning",
        message: `waiver for ${r.policy} expired on ${r.expires} (${r.reason}); renew it with a new date or remove it, the findings it covered are reported again`,
        target: ".",
        file: r.where.replace(/:\d+$/, ""),
        ...(lineOf(r.where) ? { line: lineOf(r.where)! } : {}),
      }),
    );
}

function compile(rule: WaiverRule): (f: Finding, policyRule: string) => boolean {
  const glob = (pattern: string | undefined) => (pattern ? picomatch(pattern, { dot: true }) : () => true);
  const policy = picomatch(rule.policy.includes("/") ? rule.policy : `${rule.policy}/*`, { dot: true });
  const kind = glob(rule.resource?.kind);
  const namespace = glob(rule.resource?.namespace);
  const name = glob(rule.resource?.name);
  const target = glob(rule.target);
  return (f, policyRule) =>
    policy(policyRule) && target(f.target) && kind(f.resource?.kind ?? "") && namespace(f.resource?.namespace ?? "") && name(f.resource?.name ?? "");
}

function annotationWaiver(f: Finding, policyRule: string, resources: ReadonlyMap<string, Resource>): Waiver | undefined {
  if (!f.resource) return undefined;
  const { kind, namespace, name } = f.resource;
  const resource = resources.get(`${kind}|${namespace}|${name}`);
  const annotations = (resource?.body.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  const listed = typeof annotations?.[WAIVE_ANNOTATION] === "string" ? (annotations[WAIVE_ANNOTATION] as string) : undefined;
  if (!listed) return undefined;
  const policy = policyRule.split("/")[0]!;
  const covered = listed.split(",").map((p) => p.trim()).some((p) => p === policy || p === policyRule);
  if (!covered) return undefined;
  const reason = typeof annotations?.[WAIVE_REASON_ANNOTATION] === "string" ? (annotations[WAIVE_REASON_ANNOTATION] as string) : "no reason given";
  const where = resource?.source ? `${resource.source.file}${resource.source.line ? `:${resource.source.line}` : ""}` : f.target;
  return { reason, source: "annotation", where };
}

function toWaiver(rule: WaiverRule): Waiver {
  return { reason: rule.reason, source: "config", where: rule.where, ...(rule.expires ? { expires: rule.expires } : {}) };
}

function lineOf(where: string): number | undefined {
  const m = /:(\d+)$/.exec(where);
  return m ? Number(m[1]) : undefined;
}
