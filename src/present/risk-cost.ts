/**
 * Wording for risk and cost shared by the text and Markdown renderers, so both say the
 * same thing in the same order. Plain text: each renderer escapes for its own context.
 */
import { formatMoney, formatPercent, formatSignedMoney } from "../core/cost/format-money.js";
import { thresholdWords } from "../core/cost/threshold-words.js";
import type { Change } from "../core/model/change.js";
import type { CostItem, CostReport } from "../core/model/cost.js";
import { identityKey } from "../core/model/resource.js";
import type { Report } from "../core/model/report.js";
import type { RiskLevel, RiskReason } from "../core/model/risk.js";

/** How many cost items the human formats list; the JSON has them all. */
export const TOP_MOVERS = 10;

export const LEVEL_EMOJI: Record<RiskLevel, string> = {
  none: "⚪",
  low: "🟢",
  medium: "🟡",
  high: "🟠",
  critical: "🔴",
};

const TEAM_PREFIX = "team:";

/**
 * "@alice or team platform", "anyone with write access other than the author"; a minimum
 * above write is said for named approvers too ("@alice (with admin access)").
 */
export function approverWords(reason: RiskReason): string {
  const min = reason.approval?.minPermission ?? "write";
  const who = reason.approvers.map((a) => (a.startsWith(TEAM_PREFIX) ? `team ${a.slice(TEAM_PREFIX.length)}` : `@${a.replace(/^@/, "")}`));
  if (who.length === 0) return `anyone with ${min} access${reason.approval?.allowAuthor ? "" : " other than the author"}`;
  const list = who.length === 1 ? who[0]! : `${who.slice(0, -1).join(", ")} or ${who[who.length - 1]}`;
  return min === "write" ? list : `${list} (with ${min} access)`;
}

/** "1 approval from @alice or team platform", or undefined when none is needed. */
export function approvalWords(reason: RiskReason): string | undefined {
  if (!reason.approval) return undefined;
  const n = reason.approval.count;
  return `${n} approval${n === 1 ? "" : "s"} from ${approverWords(reason)}`;
}

export function approvalCount(reasons: readonly RiskReason[]): number {
  return reasons.filter((r) => r.approval).length;
}

/** The level each change got, looked up by target and identity. */
export function changeLevels(report: Report): (change: Change) => RiskLevel | undefined {
  const levels = new Map((report.risk?.changes ?? []).map((c) => [`${c.target}\u0000${identityKey(c)}`, c.level]));
  return (change) => levels.get(`${change.target}\u0000${identityKey(change)}`);
}

/** "$92.55 → $141.73 per month (+$49.18, +53.1 %)". */
export function costHeadline(cost: CostReport): string {
  const percent = formatPercent(cost.deltaPercent);
  const delta = [formatSignedMoney(cost.deltaMonthly, cost.currency), ...(percent && cost.deltaMonthly !== 0 ? [percent] : [])].join(", ");
  return `${formatMoney(cost.baseMonthly, cost.currency)} → ${formatMoney(cost.headMonthly, cost.currency)} per month (${delta})`;
}

/** Extra facts after the headline: autoscaler ceiling, threshold. */
export function costFacts(cost: CostReport): string[] {
  const facts: string[] = [];
  if (cost.headMonthlyMax !== undefined && cost.headMonthlyMax !== cost.headMonthly) {
    facts.push(`up to ${formatMoney(cost.headMonthlyMax, cost.currency)} with autoscalers at their maximum`);
  }
  if (cost.threshold.exceeded) {
    facts.push(`over the threshold (${thresholdWords(cost.threshold, cost.currency)})`);
  }
  return facts;
}

/**
 * The largest movers, and apart from them the items that cost nothing on either side (a
 * CronJob left out, a test Pod without requests): listed, they are rows of `$0.00 → $0.00`.
 */
export function topMovers(cost: CostReport): { shown: CostItem[]; more: number; zero: CostItem[] } {
  const zero = cost.items.filter(isZero);
  const moving = cost.items.filter((i) => !isZero(i));
  return { shown: moving.slice(0, TOP_MOVERS), more: Math.max(0, moving.length - TOP_MOVERS), zero };
}

function isZero(item: CostItem): boolean {
  return item.baseMonthly === 0 && item.headMonthly === 0 && !item.baseMonthlyMax && !item.headMonthlyMax;
}

/** "3 resources without cost: CronJob batch/mailer, … — Jobs and CronJobs are not estimated …". */
export function zeroLine(zero: readonly CostItem[]): string | undefined {
  if (zero.length === 0) return undefined;
  const names = zero.slice(0, 3).map(itemRef);
  const list = zero.length > 3 ? `${names.join(", ")} and ${zero.length - 3} more` : names.join(", ");
  const notes = [...new Set(zero.map((i) => i.note).filter((n): n is string => n !== undefined))];
  return `${zero.length} resource${zero.length === 1 ? "" : "s"} without cost: ${list}${notes.length ? ` — ${notes.join("; ")}` : ""}`;
}

/** "$28.07 → $53.94", with the ceiling when an autoscaler sets one. */
export function itemRange(item: CostItem, currency: string): string {
  const range = `${formatMoney(item.baseMonthly, currency)} → ${formatMoney(item.headMonthly, currency)}`;
  const max = item.headMonthlyMax ?? item.baseMonthlyMax;
  return max !== undefined ? `${range} (up to ${formatMoney(max, currency)})` : range;
}

export function itemRef(item: CostItem): string {
  return `${item.kind} ${item.namespace ? `${item.namespace}/` : ""}${item.name}`;
}
