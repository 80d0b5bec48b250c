/** How the cost threshold reads in messages: the same words in the risk reason and the cost section. */
import type { CostThreshold } from "../model/cost.js";
import { formatSignedMoney } from "./format-money.js";

/** "+$1,000.00, or +25 % when at least +$100.00". */
export function thresholdWords(threshold: Omit<CostThreshold, "exceeded">, currency: string): string {
  const floor = threshold.minimumMonthly > 0 ? ` when at least ${formatSignedMoney(threshold.minimumMonthly, currency)}` : "";
  return `${formatSignedMoney(threshold.monthly, currency)}, or +${threshold.percent} %${floor}`;
}
