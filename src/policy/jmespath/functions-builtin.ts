/** The JMESPath specification's built-in functions. */
import { arity, arr, expectType, expref, homogeneous, num, str } from "./args.js";
import { JmesPathError } from "./errors.js";
import type { FunctionCallContext, JmesFunction } from "./interpreter.js";
import { deepEqual, isObject, typeOf } from "./values.js";

type Table = Record<string, JmesFunction>;

function compareScalars(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function byKey(call: FunctionCallContext, args: unknown[], pick: "max" | "min"): unknown {
  arity(call, args, 2);
  const items = arr(call, args, 0);
  const ref = expref(call, args, 1);
  let best: unknown = null;
  let bestKey: unknown = null;
  for (const item of items) {
    const key = call.evaluate(ref, item);
    if (typeof key !== "number" && typeof key !== "string") throw new JmesPathError(`invalid type for value: ${call.name}() key must be a number or string`);
    if (best === null || (pick === "max" ? compareScalars(key, bestKey) > 0 : compareScalars(key, bestKey) < 0)) {
      best = item;
      bestKey = key;
    }
  }
  return best;
}

function extreme(call: FunctionCallContext, args: unknown[], pick: "max" | "min"): unknown {
  arity(call, args, 1);
  const values = arr(call, args, 0);
  if (homogeneous(call, values, 0) === "empty") return null;
  let best = values[0];
  for (const v of values) if (pick === "max" ? compareScalars(v, best) > 0 : compareScalars(v, best) < 0) best = v;
  return best;
}

export const builtinFunctions: Table = {
  abs: (args, call) => (arity(call, args, 1), Math.abs(num(call, args, 0))),
  avg: (args, call) => {
    arity(call, args, 1);
    const values = arr(call, args, 0);
    if (values.length === 0) return null;
    values.forEach((v, i) => expectType(call, v, i, "number"));
    return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
  },
  ceil: (args, call) => (arity(call, args, 1), Math.ceil(num(call, args, 0))),
  floor: (args, call) => (arity(call, args, 1), Math.floor(num(call, args, 0))),
  contains: (args, call) => {
    arity(call, args, 2);
    expectType(call, args[0], 0, "array", "string");
    if (typeof args[0] === "string") return typeof args[1] === "string" && args[0].includes(args[1]);
    return (args[0] as unknown[]).some((v) => deepEqual(v, args[1]));
  },
  ends_with: (args, call) => (arity(call, args, 2), str(call, args, 0).endsWith(str(call, args, 1))),
  starts_with: (args, call) => (arity(call, args, 2), str(call, args, 0).startsWith(str(call, args, 1))),
  join: (args, call) => {
    arity(call, args, 2);
    const sep = str(call, args, 0);
    const values = arr(call, args, 1);
    values.forEach((v) => expectType(call, v, 1, "string"));
    return values.join(sep);
  },
  keys: (args, call) => {
    arity(call, args, 1);
    expectType(call, args[0], 0, "object");
    return Object.keys(args[0] as object);
  },
  values: (args, call) => {
    arity(call, args, 1);
    expectType(call, args[0], 0, "object");
    return Object.values(args[0] as object);
  },
  length: (args, call) => {
    arity(call, args, 1);
    expectType(call, args[0], 0, "string", "array", "object");
    if (typeof args[0] === "string") return [...args[0]].length;
    if (Array.isArray(args[0])) return args[0].length;
    return Object.keys(args[0] as object).length;
  },
  map: (args, call) => {
    arity(call, args, 2);
    const ref = expref(call, args, 0);
    return arr(call, args, 1).map((v) => call.evaluate(ref, v));
  },
  max: (args, call) => extreme(call, args, "max"),
  min: (args, call) => extreme(call, args, "min"),
  max_by: (args, call) => byKey(call, args, "max"),
  min_by: (args, call) => byKey(call, args, "min"),
  merge: (args) => {
    const out: Record<string, unknown> = {};
    for (const a of args) if (isObject(a)) Object.assign(out, a);
    return out;
  },
  not_null: (args) => args.find((a) => a !== null && a !== undefined) ?? null,
  reverse: (args, call) => {
    arity(call, args, 1);
    expectType(call, args[0], 0, "string", "array");
    return typeof args[0] === "string" ? [...args[0]].reverse().join("") : [...(args[0] as unknown[])].reverse();
  },
  sort: (args, call) => {
    arity(call, args, 1);
    const values = arr(call, args, 0);
    homogeneous(call, values, 0);
    return [...values].sort(compareScalars);
  },
  sort_by: (args, call) => {
    arity(call, args, 2);
    const values = arr(call, args, 0);
    const ref = expref(call, args, 1);
    const keyed = values.map((v, i) => ({ v, i, k: call.evaluate(ref, v) }));
    homogeneous(
      call,
      keyed.map((x) => x.k),
      1,
    );
    return keyed.sort((a, b) => compareScalars(a.k, b.k) || a.i - b.i).map((x) => x.v);
  },
  sum: (args, call) => {
    arity(call, args, 1);
    const values = arr(call, args, 0);
    values.forEach((v) => expectType(call, v, 0, "number"));
    return (values as number[]).reduce((a, b) => a + b, 0);
  },
  to_array: (args, call) => (arity(call, args, 1), Array.isArray(args[0]) ? args[0] : [args[0]]),
  to_number: (args, call) => {
    arity(call, args, 1);
    if (typeof args[0] === "number") return args[0];
    if (typeof args[0] !== "string") return null;
    const n = Number(args[0]);
    return args[0].trim() !== "" && Number.isFinite(n) ? n : null;
  },
  to_string: (args, call) => (arity(call, args, 1), typeof args[0] === "string" ? args[0] : JSON.stringify(args[0] ?? null)),
  type: (args, call) => (arity(call, args, 1), typeOf(args[0])),
};
