/** The cost section: the monthly total on both sides and the resources that moved it most. */
import { formatSignedMoney } from "../../core/cost/format-money.js";
import type { CostItem, CostReport } from "../../core/model/cost.js";
import { plural } from "../format.js";
import { costFacts, costHeadline, itemRange, topMovers, zeroLine } from "../risk-cost.js";
import { escapeMarkdown, markdownCode } from "./escape.js";

export function costSection(cost: CostReport | undefined): string {
  if (!cost) return "";
  const facts = costFacts(cost).map((f) => ` · ${escapeMarkdown(f)}`).join("");
  const headline = `### Cost\n\n**${escapeMarkdown(costHeadline(cost))}**${facts}\n\n`;
  if (cost.items.length === 0) return `${headline}No workload, volume or load balancer changes its estimate.\n\n`;
  const { shown, more, zero } = topMovers(cost);
  const folded = zeroLine(zero);
  const zeroText = folded ? `_${escapeMarkdown(folded)}_\n\n` : "";
  if (shown.length === 0) return `${headline}${zeroText}`;
  const rows = shown.map((item) => moverRow(item, cost.currency)).join("");
  const rest = more > 0 ? `\n_…and ${plural(more, "more resource")} in the JSON report_\n` : "";
  return `${headline}| Change | Resource | Target | Monthly | Note |\n| ---: | --- | --- | --- | --- |\n${rows}${rest}\n${zeroText}`;
}

function moverRow(item: CostItem, currency: string): string {
  const ref = item.namespace ? `${item.namespace}/${item.name}` : item.name;
  const cells = [
    escapeMarkdown(formatSignedMoney(item.deltaMonthly, currency)),
    `${escapeMarkdown(item.kind)} ${markdownCode(ref)}`,
    markdownCode(item.target),
    escapeMarkdown(itemRange(item, currency)),
    escapeMarkdown(item.note ?? ""),
  ];
  return `| ${cells.join(" | ")} |\n`;
}
