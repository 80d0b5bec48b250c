/**
 * cel-go's two-variable comprehensions (ext `TwoVarComprehensions`), which @bufbuild/cel 0.6
 * neither parses as macros nor plans (`iterVar2` is "not yet supported"):
 *
 *   l.all(i, v, p)   l.exists(i, v, p)   l.existsOne(i, v, p)
 *   l.transformList(i, v, [filter,] e)   l.transformMap(k, v, [filter,] e)
 *
 * On a list `i` is the index and `v` the element; on a map `k` is the key and `v` its value.
 * Each is rewritten to a one-variable comprehension over `pairs__(l)` (a list of `[i, v]`),
 * whose step sees `i` and `v` through the same binding as `cel.bind` (macros.ts); the budget
 * meters it like any comprehension. `transformMap` builds its map with `mapInsert__`.
 */
import { celFunc, celList, celMap, CelScalar, isCelList, isCelMap, listType, mapType, type CelInput } from "@bufbuild/cel";
import { create } from "@bufbuild/protobuf";
import { ConstantSchema, Expr_ComprehensionSchema, Expr_CreateListSchema, Expr_CreateStructSchema, ExprSchema, type Constant, type Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { charge } from "./budget.js";

type Ids = { next: bigint };
type Bind = (name: string, init: Expr, body: Expr, ids: Ids) => Expr;

const PAIRS = "pairs__";
const MAP_INSERT = "mapInsert__";
const ITEM = "@pair";
const ACCU = "@result";
const MACROS = new Set(["all", "exists", "existsOne", "exists_one", "transformList", "transformMap"]);

const { DYN } = CelScalar;

export const twoVarFuncs = [
  celFunc(PAIRS, [DYN], listType(DYN), (range) => {
    if (isCelList(range)) {
      charge(1 + Math.floor(range.size / 16));
      return celList([...range].map((v, i) => celList([BigInt(i), v])));
    }
    if (isCelMap(range)) {
      charge(1 + Math.floor(range.size / 16));
      return celList([...range.entries()].map(([k, v]) => celList([k as CelInput, v])));
    }
    throw new Error(`a two-variable comprehension needs a list or a map, got ${typeof range}`);
  }),
  celFunc(MAP_INSERT, [mapType(DYN, DYN), DYN, DYN], mapType(DYN, DYN), (map, key, value) => {
    if (map.has(key as never)) throw new Error(`insert failed: key ${String(key)} already exists`);
    charge(1 + Math.floor(map.size / 16));
    return celMap(new Map([...map.entries(), [key as never, value]]));
  }),
];

function expr(ids: Ids, exprKind: Expr["exprKind"]): Expr {
  return create(ExprSchema, { id: ids.next++, exprKind });
}
const ident = (name: string, ids: Ids) => expr(ids, { case: "identExpr", value: { $typeName: "cel.expr.Expr.Ident", name } });
const call = (fn: string, args: Expr[], ids: Ids) => expr(ids, { case: "callExpr", value: { $typeName: "cel.expr.Expr.Call", function: fn, args } });
const constant = (c: Constant["constantKind"], ids: Ids) => expr(ids, { case: "constExpr", value: create(ConstantSchema, { constantKind: c }) });
const bool = (value: boolean, ids: Ids) => constant({ case: "boolValue", value }, ids);
const int = (value: bigint, ids: Ids) => constant({ case: "int64Value", value }, ids);
const list = (elements: Expr[], ids: Ids) => expr(ids, { case: "listExpr", value: create(Expr_CreateListSchema, { elements }) });
const emptyMap = (ids: Ids) => expr(ids, { case: "structExpr", value: create(Expr_CreateStructSchema, { entries: [] }) });
const accu = (ids: Ids) => ident(ACCU, ids);

/** Rewrites `target.<macro>(a, b, ...)` when it is a two-variable comprehension, else undefined. */
export function twoVarComprehension(e: Expr, ids: Ids, bind: Bind): Expr | undefined {
  if (e.exprKind.case !== "callExpr") return undefined;
  const c = e.exprKind.value;
  const arity = c.function === "transformList" || c.function === "transformMap" ? [3, 4] : [3];
  if (!MACROS.has(c.function) || !c.target || !arity.includes(c.args.length)) return undefined;
  const [first, second, ...rest] = c.args as [Expr, Expr, ...Expr[]];
  if (first.exprKind.case !== "identExpr" || second.exprKind.case !== "identExpr") throw new Error(`${c.function}() variable names must be simple identifiers`);
  const [k, v] = [first.exprKind.value.name, second.exprKind.value.name];
  if (k === v) throw new Error(`${c.function}() variable names must be different`);
  // The step sees k and v as bindings of the current pair.
  const bound = (body: Expr) => bind(k, call("_[_]", [ident(ITEM, ids), int(0n, ids)], ids), bind(v, call("_[_]", [ident(ITEM, ids), int(1n, ids)], ids), body, ids), ids);
  const fold = (init: Expr, condition: Expr, step: Expr, result: Expr = accu(ids)) =>
    expr(ids, {
      case: "comprehensionExpr",
      value: create(Expr_ComprehensionSchema, { iterVar: ITEM, iterRange: call(PAIRS, [c.target!], ids), accuVar: ACCU, accuInit: init, loopCondition: condition, loopStep: bound(step), result }),
    });
  const filtered = (step: Expr) => (rest.length === 2 ? call("_?_:_", [rest[0]!, step, accu(ids)], ids) : step);
  const last = rest[rest.length - 1]!;
  switch (c.function) {
    case "all":
      return fold(bool(true, ids), call("@not_strictly_false", [accu(ids)], ids), call("_&&_", [accu(ids), last], ids));
    case "exists":
      return fold(bool(false, ids), call("@not_strictly_false", [call("!_", [accu(ids)], ids)], ids), call("_||_", [accu(ids), last], ids));
    case "existsOne":
    case "exists_one":
      return fold(int(0n, ids), bool(true, ids), call("_?_:_", [last, call("_+_", [accu(ids), int(1n, ids)], ids), accu(ids)], ids), call("_==_", [accu(ids), int(1n, ids)], ids));
    case "transformList":
      return fold(list([], ids), bool(true, ids), filtered(call("_+_", [accu(ids), list([last], ids)], ids)));
    default:
      return fold(emptyMap(ids), bool(true, ids), filtered(call(MAP_INSERT, [accu(ids), ident(k, ids), last], ids)));
  }
}
