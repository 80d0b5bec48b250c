/** A change that raises the monthly bill past `cost.threshold`. */
import { formatPercent, formatSignedMoney } from "../../cost/format-money.js";
import type { ReportRule } from "../rule.js";
import { thresholdWords } from "../../cost/threshold-words.js";

export const costThreshold: ReportRule = {
  id: "cost-threshold",
  scope: "report",
  category: "cost",
  level: "high",
  // The threshold is an amount of money: +$1,000 is the same bill in production and in dev.
  environmentRaise: false,
  description: "The monthly cost estimate grows by more than `cost.threshold` (amount, or percentage above a minimum amount).",
  evaluate({ cost }) {
    if (!cost || !cost.threshold.exceeded) return [];
    const top = cost.items.find((i) => i.deltaMonthly > 0) ?? cost.items[0];
    if (!top) return [];
    const percent = formatPercent(cost.deltaPercent);
    const delta = `${formatSignedMoney(cost.deltaMonthly, cost.currency)}/month${percent ? ` (${percent})` : ""}`;
    const limit = thresholdWords(cost.threshold, cost.currency);
    const ref = `${top.kind} ${top.namespace ? `${top.namespace}/` : ""}${top.name}`;
    const largest = `largest: ${ref} ${formatSignedMoney(top.deltaMonthly, cost.currency)}`;
    return [
      {
        target: top.target,
        resource: { apiVersion: top.apiVersion, kind: top.kind, namespace: top.namespace, name: top.name },
        message: `monthly cost estimate ${delta} is over the threshold (${limit}); ${largest}`,
        // Tied to the figures approved: any change to what the change costs makes the approval stale.
        content: {
          currency: cost.currency,
          headMonthly: cost.headMonthly,
          deltaMonthly: cost.deltaMonthly,
          items: cost.items.map((i) => [i.target, i.kind, i.namespace, i.name, i.headMonthly, i.headMonthlyMax ?? null]),
        },
      },
    ];
  },
};
