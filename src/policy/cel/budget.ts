/**
 * The budget of the CEL evaluation that is running. Evaluation is synchronous, so one budget
 * at a time is enough; library functions that build large values (`lists.range`, `findAll`,
 * `flatten`...) charge it here, comprehension steps are charged by environment.ts.
 */

export interface CelLimits {
  /** Budget of comprehension steps (plus the sizes of what they build) per evaluation. */
  cost: number;
  /** Wall-clock limit of one evaluation. */
  millis: number;
}

export const DEFAULT_LIMITS: CelLimits = { cost: 1_000_000, millis: 500 };

export class CelLimitError extends Error {}

export interface CelBudget {
  left: number;
  deadline: number;
  ticks: number;
  exceeded?: string;
}

export function createBudget(limits: CelLimits = DEFAULT_LIMITS): CelBudget {
  return { left: limits.cost, deadline: Date.now() + limits.millis, ticks: 0 };
}

let current: CelBudget | undefined;

/** Runs `fn` with `budget` as the running budget (restores the outer one after). */
export function withBudget<T>(budget: CelBudget, fn: () => T): T {
  const outer = current;
  current = budget;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** Throws once the running budget or its time is spent (the clock is read every 256 calls). */
export function checkBudget(): void {
  const b = current;
  if (!b) return;
  if (!b.exceeded && b.left < 0) b.exceeded = "the expression exceeded its cost budget";
  if (!b.exceeded && ++b.ticks % 256 === 0 && Date.now() > b.deadline) b.exceeded = "the expression exceeded its time limit";
  if (b.exceeded) throw new CelLimitError(b.exceeded);
}

/**
 * Charges `units` to the running budget and throws when it is spent. Library functions call it
 * before building a value of that size, so a hostile `lists.range(1 << 40)` never allocates.
 * Without `check`, only charges (a comprehension step: its condition does the checking).
 */
export function charge(units: number, check = true): void {
  if (!current) return;
  current.left -= units;
  if (check) checkBudget();
}

/** Checks the clock now (for loops inside library functions that may run long). */
export function checkDeadline(): void {
  const b = current;
  if (!b) return;
  if (!b.exceeded && Date.now() > b.deadline) b.exceeded = "the expression exceeded its time limit";
  if (b.exceeded) throw new CelLimitError(b.exceeded);
}
