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
import { create } from "@bufbuild/protobuf";
import { Expr_CallSchema, ExprSchema, type Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { charge, checkBudget, CelLimitError, createBudget, withBudget, type CelBudget } from "./budget.js";
import { twoVarFuncs } from "./comprehensions-v2.js";
import { kubernetesFuncs } from "./kubernetes-library.js";
import { COND, expandMacros, namesOf, STEP } from "./macros.js";
import { desugarOptionals } from "./optional-syntax.js";
import { sizeOf } from "./values.js";

export const MAX_EXPRESSION_LENGTH = 10_000;
export { CelLimitError, createBudget, DEFAULT_LIMITS, type CelBudget, type CelLimits } from "./budget.js";

/**
 * The step of a comprehension is charged (one unit plus the size of what it built); its
 * condition checks the budget: an error there ends the comprehension at once, and every
 * enclosing one at its next condition (a failing step alone would not: `all` goes on).
 */
const stepFunc = celFunc(STEP, [CelScalar.DYN], CelScalar.DYN, (value) => {
  charge(1 + Math.floor(sizeOf(value) / 16), false);
  return value;
});
const condFunc = celFunc(COND, [CelScalar.DYN], CelScalar.DYN, (value) => {
  checkBudget();
  return value;
});

let env: CelEnv | undefined;
function environment(): CelEnv {
  return (env ??= celEnv({ funcs: [...kubernetesFuncs, ...twoVarFuncs, stepFunc, condFunc] }));
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
  /** The variables the expression reads (`object`, `params`, `authorizer`...). */
  identifiers: ReadonlySet<string>;
  /** The functions it calls, qualified ones as `resource.Get`. */
  functions: ReadonlySet<string>;
  /** Runs under `shared` (several expressions of one rule share a budget) or a fresh budget. */
  run(bindings: Record<string, CelInput>, shared?: CelBudget): CelOutcome;
}

export type CelOutcome = { ok: true; value: CelValue } | { ok: false; error: string };

/** Compiles an expression once; throws with the parser's message when it is not valid CEL. */
export function compileCel(source: string): CelProgram {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new Error(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const parsed = parse(desugarOptionals(source));
  const ids = { next: 1_000_000_000n };
  if (parsed.expr) parsed.expr = expandMacros(parsed.expr, ids)!;
  const { identifiers, functions } = namesOf(parsed.expr);
  meter(parsed.expr, ids);
  const evaluate = plan(environment(), parsed);
  return {
    source,
    identifiers,
    functions,
    run(bindings, shared) {
      const budget = shared ?? createBudget();
      return withBudget(budget, () => {
        try {
          const value = evaluate(bindings);
          // `a || b` absorbs an error in `a`: a spent budget fails the evaluation whatever the value.
          if (budget.exceeded || budget.left < 0) return { ok: false, error: budget.exceeded ?? "the expression exceeded its cost budget" };
          if (isCelError(value)) return { ok: false, error: limitCause(value) ?? value.message };
          return { ok: true, value };
        } catch (err) {
          return { ok: false, error: (err as Error).message };
        }
      });
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
