/**
 * The CEL environment of Shipshape's policies: @bufbuild/cel (the CEL conformance data ships
 * with it, it is maintained, and its `matches` uses RE2, so a regex cannot backtrack for ever)
 * with the strings extension, optional values and the Kubernetes libraries.
 *
 * Limits, so a hostile expression from a pull request cannot run away: expressions longer
 * than MAX_EXPRESSION_LENGTH are refused; every comprehension step (`all`, `exists`, `map`,
 * `filter`...) is charged to a budget, one unit plus the size of the value it builds (a string
 * or list that doubles each step exhausts it quickly), and the evaluation stops with an error
 * when the budget or the time limit is spent.
 */
import { celEnv, celFunc, CelScalar, isCelError, parse, plan, type CelEnv, type CelInput, type CelValue } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { create } from "@bufbuild/protobuf";
import { Expr_CallSchema, ExprSchema, type Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { kubernetesFuncs } from "./kubernetes-library.js";
import { desugarOptionals } from "./optional-syntax.js";
import { sizeOf } from "./values.js";

export const MAX_EXPRESSION_LENGTH = 10_000;
export const DEFAULT_LIMITS: CelLimits = { cost: 1_000_000, millis: 500 };

export interface CelLimits {
  /** Budget of comprehension steps (plus the sizes of what they build) per evaluation. */
  cost: number;
  /** Wall-clock limit of one evaluation. */
  millis: number;
}

export class CelLimitError extends Error {}

export interface CelBudget {
  left: number;
  deadline: number;
  ticks: number;
  exceeded?: string;
}

type Budget = CelBudget;

export function createBudget(limits: CelLimits = DEFAULT_LIMITS): CelBudget {
  return { left: limits.cost, deadline: Date.now() + limits.millis, ticks: 0 };
}

// Evaluation is synchronous, so one budget at a time is enough.
let budget: Budget | undefined;

function check(): void {
  if (!budget) return;
  if (!budget.exceeded && budget.left < 0) budget.exceeded = "the expression exceeded its cost budget";
  if (!budget.exceeded && ++budget.ticks % 256 === 0 && Date.now() > budget.deadline) budget.exceeded = "the expression exceeded its time limit";
  if (budget.exceeded) throw new CelLimitError(budget.exceeded);
}

/**
 * The step of a comprehension is charged (one unit plus the size of what it built); its
 * condition checks the budget: an error there ends the comprehension at once, and every
 * enclosing one at its next condition (a failing step alone would not: `all` goes on).
 */
const STEP = "costStep__";
const COND = "costCond__";
const stepFunc = celFunc(STEP, [CelScalar.DYN], CelScalar.DYN, (value) => {
  if (budget) budget.left -= 1 + Math.floor(sizeOf(value) / 16);
  return value;
});
const condFunc = celFunc(COND, [CelScalar.DYN], CelScalar.DYN, (value) => {
  check();
  return value;
});

let env: CelEnv | undefined;
function environment(): CelEnv {
  return (env ??= celEnv({ funcs: [...strings, ...kubernetesFuncs, stepFunc, condFunc] }));
}

function call(fn: string, arg: Expr, ids: { next: bigint }): Expr {
  return create(ExprSchema, { id: ids.next++, exprKind: { case: "callExpr", value: create(Expr_CallSchema, { function: fn, args: [arg] }) } });
}

/** Wraps every comprehension's step so each iteration is charged. */
function meter(expr: Expr | undefined, ids: { next: bigint }): void {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case "callExpr":
      meter(kind.value.target, ids);
      for (const a of kind.value.args) meter(a, ids);
      return;
    case "listExpr":
      for (const e of kind.value.elements) meter(e, ids);
      return;
    case "structExpr":
      for (const e of kind.value.entries) {
        if (e.keyKind.case === "mapKey") meter(e.keyKind.value, ids);
        meter(e.value, ids);
      }
      return;
    case "selectExpr":
      meter(kind.value.operand, ids);
      return;
    case "comprehensionExpr": {
      const c = kind.value;
      for (const e of [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]) meter(e, ids);
      if (c.loopStep) c.loopStep = call(STEP, c.loopStep, ids);
      if (c.loopCondition) c.loopCondition = call(COND, c.loopCondition, ids);
      return;
    }
    default:
      return;
  }
}

export interface CelProgram {
  source: string;
  /** Runs under `shared` (several expressions of one rule share a budget) or a fresh budget. */
  run(bindings: Record<string, CelInput>, shared?: CelBudget): CelOutcome;
}

export type CelOutcome = { ok: true; value: CelValue } | { ok: false; error: string };

/** Compiles an expression once; throws with the parser's message when it is not valid CEL. */
export function compileCel(source: string): CelProgram {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new Error(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const parsed = parse(desugarOptionals(source));
  meter(parsed.expr, { next: 1_000_000_000n });
  const evaluate = plan(environment(), parsed);
  return {
    source,
    run(bindings, shared) {
      const outer = budget;
      budget = shared ?? createBudget();
      try {
        const value = evaluate(bindings);
        // `a || b` absorbs an error in `a`: a spent budget fails the evaluation whatever the value.
        if (budget.exceeded || budget.left < 0) return { ok: false, error: budget.exceeded ?? "the expression exceeded its cost budget" };
        if (isCelError(value)) return { ok: false, error: limitCause(value) ?? value.message };
        return { ok: true, value };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      } finally {
        budget = outer;
      }
    },
  };
}

/** Charges a value computed outside a comprehension (Kyverno variables) to the running budget. */
export function chargeValue(value: unknown, target: CelBudget): void {
  target.left -= 1 + Math.floor(sizeOf(value) / 16);
  if (target.left < 0) target.exceeded ??= "the expression exceeded its cost budget";
  if (target.exceeded) throw new CelLimitError(target.exceeded);
}

function limitCause(err: Error): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    if (e instanceof CelLimitError) return e.message;
    e = e.cause;
  }
  return undefined;
}
