/**
 * Macros @bufbuild/cel 0.6 does not expand, rewritten on the parsed expression as cel-go
 * expands them:
 *
 * - `cel.bind(name, init, expr)` (cel-go ext Bindings): a comprehension over an empty list whose
 *   accumulator is `name`, initialised with `init`, and whose result is `expr`. `init` is
 *   evaluated once; its value is charged to the budget by its size and the budget checked, so
 *   binds that double a string at each level stop like a comprehension that does.
 *
 * - `l.sortBy(e, key)` (cel-go ext lists): `sortByKeys__(l, l.map(e, key))`, a stable sort of
 *   `l` by the keys (lists-library.ts).
 *
 * - Two-variable comprehensions (`all(i, v, p)`, `transformList`, `transformMap`...):
 *   comprehensions-v2.ts.
 *
 * And the identifiers an expression reads, so a rule that needs a binding we cannot provide
 * offline (`authorizer`) is reported as unsupported instead of failing.
 */
import { create } from "@bufbuild/protobuf";
import { ConstantSchema, Expr_CallSchema, Expr_ComprehensionSchema, Expr_CreateListSchema, ExprSchema, type Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { twoVarComprehension } from "./comprehensions-v2.js";

export const STEP = "costStep__";
export const COND = "costCond__";

type Ids = { next: bigint };

function callOf(fn: string, args: Expr[], ids: Ids): Expr {
  return create(ExprSchema, { id: ids.next++, exprKind: { case: "callExpr", value: create(Expr_CallSchema, { function: fn, args }) } });
}

function ident(name: string, ids: Ids): Expr {
  return create(ExprSchema, { id: ids.next++, exprKind: { case: "identExpr", value: { name } } });
}

function bindName(expr: Expr): { name: string; init: Expr; body: Expr } | undefined {
  if (expr.exprKind.case !== "callExpr") return undefined;
  const c = expr.exprKind.value;
  if (c.function !== "bind" || c.args.length !== 3 || c.target?.exprKind.case !== "identExpr" || c.target.exprKind.value.name !== "cel") return undefined;
  const [name, init, body] = c.args as [Expr, Expr, Expr];
  if (name.exprKind.case !== "identExpr") throw new Error("cel.bind() variable name must be a simple identifier");
  return { name: name.exprKind.value.name, init, body };
}

function bindExpr(name: string, init: Expr, body: Expr, ids: Ids): Expr {
  const comprehension = create(Expr_ComprehensionSchema, {
    iterVar: "#unused",
    iterRange: create(ExprSchema, { id: ids.next++, exprKind: { case: "listExpr", value: create(Expr_CreateListSchema, { elements: [] }) } }),
    accuVar: name,
    accuInit: callOf(COND, [callOf(STEP, [init], ids)], ids),
    loopCondition: create(ExprSchema, { id: ids.next++, exprKind: { case: "constExpr", value: create(ConstantSchema, { constantKind: { case: "boolValue", value: false } }) } }),
    loopStep: ident(name, ids),
    result: body,
  });
  return create(ExprSchema, { id: ids.next++, exprKind: { case: "comprehensionExpr", value: comprehension } });
}

/** Children of an expression, for walking it. */
function children(expr: Expr): Expr[] {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "callExpr":
      return [...(kind.value.target ? [kind.value.target] : []), ...kind.value.args];
    case "listExpr":
      return kind.value.elements;
    case "structExpr":
      return kind.value.entries.flatMap((e) => [...(e.keyKind.case === "mapKey" ? [e.keyKind.value] : []), ...(e.value ? [e.value] : [])]);
    case "selectExpr":
      return kind.value.operand ? [kind.value.operand] : [];
    case "comprehensionExpr": {
      const c = kind.value;
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].filter((e): e is Expr => e !== undefined);
    }
    default:
      return [];
  }
}

/** Expands `cel.bind` everywhere (inside out, so nested binds work). */
export function expandMacros(expr: Expr | undefined, ids: Ids): Expr | undefined {
  if (!expr) return expr;
  const kind = expr.exprKind;
  switch (kind.case) {
    case "callExpr":
      if (kind.value.target) kind.value.target = expandMacros(kind.value.target, ids);
      kind.value.args = kind.value.args.map((a) => expandMacros(a, ids)!);
      break;
    case "listExpr":
      kind.value.elements = kind.value.elements.map((e) => expandMacros(e, ids)!);
      break;
    case "structExpr":
      for (const e of kind.value.entries) {
        if (e.keyKind.case === "mapKey") e.keyKind.value = expandMacros(e.keyKind.value, ids)!;
        e.value = expandMacros(e.value, ids);
      }
      break;
    case "selectExpr":
      kind.value.operand = expandMacros(kind.value.operand, ids);
      break;
    case "comprehensionExpr": {
      const c = kind.value;
      c.iterRange = expandMacros(c.iterRange, ids);
      c.accuInit = expandMacros(c.accuInit, ids);
      c.loopCondition = expandMacros(c.loopCondition, ids);
      c.loopStep = expandMacros(c.loopStep, ids);
      c.result = expandMacros(c.result, ids);
      break;
    }
    default:
      break;
  }
  const bind = bindName(expr);
  if (bind) return bindExpr(bind.name, bind.init, bind.body, ids);
  return twoVarComprehension(expr, ids, bindExpr) ?? sortBy(expr, ids) ?? expr;
}

/** `l.sortBy(e, key)` → `sortByKeys__(l, l.map(e, key))` (cel-go ext lists). */
function sortBy(expr: Expr, ids: Ids): Expr | undefined {
  if (expr.exprKind.case !== "callExpr") return undefined;
  const c = expr.exprKind.value;
  if (c.function !== "sortBy" || c.args.length !== 2 || !c.target) return undefined;
  const [v, key] = c.args as [Expr, Expr];
  if (v.exprKind.case !== "identExpr") throw new Error("sortBy() variable name must be a simple identifier");
  const accu = "@sortKeys";
  const list = (elements: Expr[]) => create(ExprSchema, { id: ids.next++, exprKind: { case: "listExpr", value: create(Expr_CreateListSchema, { elements }) } });
  const keys = create(Expr_ComprehensionSchema, {
    iterVar: v.exprKind.value.name,
    iterRange: c.target,
    accuVar: accu,
    accuInit: list([]),
    loopCondition: create(ExprSchema, { id: ids.next++, exprKind: { case: "constExpr", value: create(ConstantSchema, { constantKind: { case: "boolValue", value: true } }) } }),
    loopStep: callOf("_+_", [ident(accu, ids), list([key])], ids),
    result: ident(accu, ids),
  });
  return callOf("sortByKeys__", [c.target, create(ExprSchema, { id: ids.next++, exprKind: { case: "comprehensionExpr", value: keys } })], ids);
}

/**
 * Every identifier the expression mentions (bound variables included: good enough to spot a
 * binding) and every function it calls, qualified ones as `resource.Get`.
 */
export function namesOf(expr: Expr | undefined): { identifiers: Set<string>; functions: Set<string> } {
  const identifiers = new Set<string>();
  const functions = new Set<string>();
  const stack = expr ? [expr] : [];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.exprKind.case === "identExpr") identifiers.add(e.exprKind.value.name);
    if (e.exprKind.case === "callExpr") {
      const target = e.exprKind.value.target;
      functions.add(target?.exprKind.case === "identExpr" ? `${target.exprKind.value.name}.${e.exprKind.value.function}` : e.exprKind.value.function);
    }
    stack.push(...children(e));
  }
  return { identifiers, functions };
}
