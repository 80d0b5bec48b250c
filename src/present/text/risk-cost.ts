/** The risk and cost blocks of the terminal report, shown before the targets table. */
import { formatSignedMoney } from "../../core/cost/format-money.js";
import type { CostReport } from "../../core/model/cost.js";
import type { RiskLevel, RiskReport } from "../../core/model/risk.js";
import { plural } from "../format.js";
import { approvalCount, approvalWords, costFacts, costHeadline, itemRange, itemRef, topMovers, zeroLine } from "../risk-cost.js";
import { sanitizeForTerminal, type Paint, type Style } from "./ansi.js";

export const LEVEL_STYLE: Record<RiskLevel, Style> = {
  none: "dim",
  low: "green",
  medium: "yellow",
  high: "red",
  critical: "red",
};

const INDENT = "      ";

export function riskSection(risk: RiskReport | undefined, paint: Paint): string[] {
  if (!risk) return [];
  const level = paint(LEVEL_STYLE[risk.level], risk.level.toUpperCase());
  if (risk.reasons.length === 0) return [`${paint("bold", "Risk")}: ${level} (no change matched a risk rule)`, ""];
  const needing = approvalCount(risk.reasons);
  const count = plural(risk.reasons.length, "reason");
  const approval = needing > 0 ? `approval required for ${needing} of ${count}` : count;
  const lines = [`${paint("bold", "Risk")}: ${level} — ${approval}`];
  const width = Math.max(...risk.reasons.map((r) => r.level.length));
  for (const r of risk.reasons) {
    const tag = paint(LEVEL_STYLE[r.level], r.level.padEnd(width));
    const [first = "", ...rest] = r.message.split("\n");
    lines.push(`  ${tag}  ${sanitizeForTerminal(r.target)}: ${sanitizeForTerminal(first)} ${paint("dim", `[${sanitizeForTerminal(r.ruleId)}]`)}`);
    for (const l of rest) lines.push(`${INDENT}${sanitizeForTerminal(l)}`);
    const words = approvalWords(r);
    if (words) lines.push(`${" ".repeat(width + 4)}needs ${sanitizeForTerminal(words)}`);
  }
  lines.push(paint("dim", `  digest ${risk.digest}`), "");
  return lines;
}

export function costSection(cost: CostReport | undefined, paint: Paint): string[] {
  if (!cost) return [];
  const facts = costFacts(cost).map(sanitizeForTerminal).join("; ");
  const lines = [`${paint("bold", "Cost")}: ${sanitizeForTerminal(costHeadline(cost))}${facts ? `; ${facts}` : ""}`];
  const { shown, more, zero } = topMovers(cost);
  const deltas = shown.map((i) => formatSignedMoney(i.deltaMonthly, cost.currency));
  const width = Math.max(0, ...deltas.map((d) => d.length));
  shown.forEach((item, i) => {
    const delta = deltas[i]!.padStart(width);
    const style: Style = item.deltaMonthly > 0 ? "yellow" : item.deltaMonthly < 0 ? "green" : "dim";
    const where = sanitizeForTerminal(`${itemRef(item)} in ${item.target}`);
    lines.push(`  ${paint(style, delta)}  ${where}: ${sanitizeForTerminal(itemRange(item, cost.currency))}`);
    if (item.note) lines.push(`${" ".repeat(width + 4)}${paint("dim", sanitizeForTerminal(item.note))}`);
  });
  if (more > 0) lines.push(`  …and ${plural(more, "more resource")} (see --format json)`);
  const folded = zeroLine(zero);
  if (folded) lines.push(`  ${paint("dim", sanitizeForTerminal(folded))}`);
  return [...lines, ""];
}

/** ", risk: high, cost: +$12.00/month" for the closing line; empty without either. */
export function riskCostSummary(risk: RiskReport | undefined, cost: CostReport | undefined): string {
  const parts: string[] = [];
  if (risk) parts.push(`risk: ${risk.level}${risk.requiresApproval ? " (approval required)" : ""}`);
  if (cost) parts.push(`cost: ${formatSignedMoney(cost.deltaMonthly, cost.currency)}/month`);
  return parts.length ? `, ${parts.join(", ")}` : "";
}
