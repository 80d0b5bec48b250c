/**
 * The review's output budget (render.maxTotalOutputBytes). Each render's output is capped on
 * its own (render.maxOutputBytes), but Shipshape keeps every render's resources until the
 * report is written, and parsed resources take many times their text in memory: many charts
 * each printing just under the cap exhausted the heap and ended the run (and, in the App,
 * every review in flight). The budget counts the output of all renders as it streams in; once
 * spent, the render producing it is stopped and renders not started yet do not start. Each is
 * an error finding, always introduced: a target left unrendered was not reviewed.
 */
import type { InputProblem, OutputBudget } from "../ports.js";

export const OUTPUT_BUDGET_RULE = "render/output-budget-exhausted";

export function createOutputBudget(limit: number | undefined): OutputBudget | undefined {
  if (limit === undefined) return undefined;
  let used = 0;
  return {
    limit,
    take(bytes) {
      used += bytes;
      return used <= limit;
    },
    get exhausted() {
      return used >= limit;
    },
  };
}

export function outputBudgetProblem(limit: number, file?: string): InputProblem {
  return {
    ruleId: OUTPUT_BUDGET_RULE,
    severity: "error",
    message:
      `not reviewed: the renders of this review printed more than ${limit} bytes together (render.maxTotalOutputBytes), ` +
      "so this target was not rendered or its render was stopped. Split the change, or raise render.maxTotalOutputBytes if the machine has the memory",
    ...(file ? { file } : {}),
  };
}
