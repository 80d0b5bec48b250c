/** Tree-walking evaluation of a parsed JMESPath expression. */
import { JmesPathError } from "./errors.js";
import type { Node } from "./parser.js";
import { deepEqual, getField, isFalse, isObject, type ExpressionRef } from "./values.js";

export type JmesFunction = (args: unknown[], call: FunctionCallContext) => unknown;

export interface FunctionCallContext {
  /** Evaluates an expression reference (`&expr`) against a value, for sort_by, map... */
  evaluate(ref: ExpressionRef, value: unknown): unknown;
  name: string;
}

export type FunctionTable = ReadonlyMap<string, JmesFunction>;

export function evaluate(node: Node, value: unknown, functions: FunctionTable): unknown {
  const call: FunctionCallContext = {
    name: "",
    evaluate: (ref, v) => visit(ref.expref, v),
  };

  function visit(n: Node, v: unknown): unknown {
    switch (n.type) {
      case "Field":
        return isObject(v) ? (getField(v, n.name) ?? null) : null;
      case "Subexpression": {
        const left = visit(n.left, v);
        return left === null ? null : visit(n.right, left);
      }
      case "IndexExpression":
        return visit(n.right, visit(n.left, v));
      case "Index": {
        if (!Array.isArray(v)) return null;
        const i = n.index < 0 ? v.length + n.index : n.index;
        return v[i] ?? null;
      }
      case "Slice":
        return Array.isArray(v) ? slice(v, n.start, n.stop, n.step) : null;
      case "Projection": {
        const base = visit(n.left, v);
        if (!Array.isArray(base)) return null;
        return collect(base, n.right);
      }
      case "ValueProjection": {
        const base = visit(n.left, v);
        if (!isObject(base)) return null;
        return collect(Object.values(base), n.right);
      }
      case "FilterProjection": {
        const base = visit(n.left, v);
        if (!Array.isArray(base)) return null;
        const kept = base.filter((el) => !isFalse(visit(n.condition, el)));
        return collect(kept, n.right);
      }
      case "Flatten": {
        const base = visit(n.child, v);
        if (!Array.isArray(base)) return null;
        const out: unknown[] = [];
        for (const el of base) {
          if (Array.isArray(el)) out.push(...el);
          else out.push(el);
        }
        return out;
      }
      case "Identity":
      case "Current":
        return v;
      case "Literal":
        return n.value;
      case "MultiSelectList":
        return v === null ? null : n.children.map((c) => visit(c, v));
      case "MultiSelectHash": {
        if (v === null) return null;
        const out: Record<string, unknown> = {};
        for (const p of n.pairs) out[p.key] = visit(p.value, v);
        return out;
      }
      case "Or": {
        const left = visit(n.left, v);
        return isFalse(left) ? visit(n.right, v) : left;
      }
      case "And": {
        const left = visit(n.left, v);
        return isFalse(left) ? left : visit(n.right, v);
      }
      case "Not":
        return isFalse(visit(n.child, v));
      case "Comparator":
        return compare(n.op, visit(n.left, v), visit(n.right, v));
      case "Pipe":
        return visit(n.right, visit(n.left, v));
      case "ExpressionReference":
        return { expref: n.child } satisfies ExpressionRef;
      case "Function": {
        const fn = functions.get(n.name);
        if (!fn) throw new JmesPathError(`unknown function: ${n.name}()`);
        const args = n.args.map((a) => visit(a, v));
        return fn(args, { ...call, name: n.name });
      }
    }
  }

  function collect(items: unknown[], right: Node): unknown[] {
    const out: unknown[] = [];
    for (const el of items) {
      const r = visit(right, el);
      if (r !== null && r !== undefined) out.push(r);
    }
    return out;
  }

  return visit(node, value) ?? null;
}

function compare(op: string, a: unknown, b: unknown): unknown {
  if (op === "EQ") return deepEqual(a, b);
  if (op === "NE") return !deepEqual(a, b);
  if (typeof a !== "number" || typeof b !== "number") return null;
  switch (op) {
    case "LT":
      return a < b;
    case "LTE":
      return a <= b;
    case "GT":
      return a > b;
    default:
      return a >= b;
  }
}

function slice(arr: unknown[], start: number | null, stop: number | null, step: number | null): unknown[] {
  const s = step ?? 1;
  if (s === 0) throw new JmesPathError("slice step cannot be 0");
  const len = arr.length;
  const cap = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
  let from: number;
  let to: number;
  if (s > 0) {
    from = start === null ? 0 : start < 0 ? cap(len + start, 0, len) : cap(start, 0, len);
    to = stop === null ? len : stop < 0 ? cap(len + stop, 0, len) : cap(stop, 0, len);
  } else {
    from = start === null ? len - 1 : start < 0 ? cap(len + start, -1, len - 1) : cap(start, -1, len - 1);
    to = stop === null ? -1 : stop < 0 ? cap(len + stop, -1, len - 1) : cap(stop, -1, len - 1);
  }
  const out: unknown[] = [];
  if (s > 0) for (let i = from; i < to; i += s) out.push(arr[i]);
  else for (let i = from; i > to; i += s) out.push(arr[i]);
  return out;
}
