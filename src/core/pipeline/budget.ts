/**
 * The review's time budget (render.budgetSeconds): the signal that stops renders when it
 * runs out, and the finding on each target it left unrendered.
 */
import type { Finding } from "../model/finding.js";
import { problemToFinding } from "./findings.js";
import type { SideRender } from "./scheduler.js";

/** Aborts after `ms`; its timer does not keep the process alive. Undefined: no budget. */
export function budgetSignal(ms: number | undefined): AbortSignal | undefined {
  return ms === undefined ? undefined : AbortSignal.timeout(ms);
}

/**
 * An error, always introduced: a target left unrendered was not reviewed, and a pull
 * request that makes rendering slow on purpose must not pass because of it.
 */
export function budgetExhaustedFinding(id: string, budgetMs: number | undefined, base: SideRender | undefined, head: SideRender | undefined): Finding | undefined {
  const sides = [base?.budgetExhausted ? "base" : undefined, head?.budgetExhausted ? "head" : undefined].filter(Boolean);
  if (sides.length === 0) return undefined;
  const budget = budgetMs === undefined ? "" : ` (${Math.round(budgetMs / 1000)} s)`;
  const finding = problemToFinding(
    {
      ruleId: "render/budget-exhausted",
      severity: "error",
      message:
        `not reviewed: the review's time budget${budget} ran out before the ${sides.join(" and ")} of this target rendered. ` +
        "Raise render.budgetSeconds, or find the slow render among this change's targets",
    },
    id,
  );
  return { ...finding, introduced: true };
}

export const BUDGET_EXHAUSTED_MESSAGE = "not rendered: the review's time budget (render.budgetSeconds) ran out";
