/**
 * Condition operators of preconditions and deny rules (pkg/engine/variables/operator): Equals,
 * NotEquals, the In family, numeric comparisons with durations and quantities, and the
 * deprecated Duration* operators. Operator names are case-insensitive.
 */
import { deepEqual } from "../jmespath/values.js";
import { validateValue, operatorOf } from "../pattern/value.js";
import { parseDuration } from "../values/duration.js";
import { goSprint } from "../values/go-format.js";
import { compareQuantities, parseQuantity } from "../values/quantity.js";
import { wildcardMatch } from "../values/wildcard.js";

export type OperatorFn = (key: unknown, value: unknown) => boolean;

/** Seconds of a duration pair, when at least one side is a duration string (not "0"). */
function durations(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (v: unknown) => (typeof v === "string" && v !== "0" ? parseDuration(v) : undefined);
  let k = asDuration(key);
  let v = asDuration(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== "number") return undefined;
    k = Math.trunc(key) * 1e9;
  }
  if (v === undefined) {
    if (typeof value !== "number") return undefined;
    v = Math.trunc(value) * 1e9;
  }
  return [k / 1e9, v / 1e9];
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === "boolean") return typeof value === "boolean" && key === value;
  if (typeof key === "number") {
    if (typeof value === "number") return key === value;
    if (typeof value !== "string") return false;
    const parsed = Number.isInteger(key) ? (/^[+-]?\d+$/.test(value) ? Number.parseInt(value, 10) : Number.NaN) : Number(value);
    return parsed === key;
  }
  if (typeof key === "string") {
    const d = durations(key, value);
    if (d) return d[0] === d[1];
    const kq = parseQuantity(key);
    if (kq && typeof value === "string") {
      const vq = parseQuantity(value);
      return vq ? compareQuantities(kq, vq) === 0 : false;
    }
    return typeof value === "string" && wildcardMatch(value, key);
  }
  if (Array.isArray(key) || (typeof key === "object" && key !== null)) return deepEqual(key, value);
  return false;
}

function numeric(test: (cmp: number) => boolean): OperatorFn {
  const compareNumbers = (a: number, b: unknown): boolean => {
    if (typeof b === "number") return test(a - b);
    if (typeof b !== "string") return false;
    const d = durations(a, b);
    if (d) return test(d[0] - d[1]);
    const n = Number(b);
    return b.trim() !== "" && !Number.isNaN(n) ? test(a - n) : false;
  };
  return (key, value) => {
    if (typeof key === "number") return compareNumbers(key, value);
    if (typeof key !== "string") return false;
    const d = durations(key, value);
    if (d) return test(d[0] - d[1]);
    const kq = parseQuantity(key);
    const vq = typeof value === "string" ? parseQuantity(value) : undefined;
    if (kq && vq) return test(compareQuantities(kq, vq));
    const n = Number(key);
    if (key.trim() !== "" && !Number.isNaN(n)) return compareNumbers(n, value);
    const kv = semver(key);
    const vv = typeof value === "string" ? semver(value) : undefined;
    return kv && vv ? test(compareSemver(kv, vv)) : false;
  };
}

function semver(s: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compareSemver(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function durationOp(test: (cmp: number) => boolean): OperatorFn {
  const toNanos = (v: unknown): number | undefined => (typeof v === "number" ? Math.trunc(v) * 1e9 : typeof v === "string" ? parseDuration(v) : undefined);
  return (key, value) => {
    const k = toNanos(key);
    const v = toNanos(value);
    return k !== undefined && v !== undefined && test(k - v);
  };
}

// ---- the In family -------------------------------------------------------------------------

type Scalar = string | number | boolean;
function isScalar(v: unknown): v is Scalar {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/** The value side as a list of strings; a string value may be a JSON array or a single item. */
function valueList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(goSprint);
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.every((p) => typeof p === "string") ? (parsed as string[]) : undefined;
  } catch {
    // not JSON: a single value
  }
  return [value];
}

function eitherMatches(a: string, b: string): boolean {
  return wildcardMatch(a, b) || wildcardMatch(b, a);
}

function isRange(value: unknown): value is string {
  return typeof value === "string" && operatorOf(value) === "-";
}

/** One key in the value (AnyIn/AllIn/AnyNotIn/AllNotIn with a scalar key). */
function keyIn(key: string, value: unknown): boolean | undefined {
  if (Array.isArray(value)) return value.some((v) => eitherMatches(goSprint(v), key));
  if (typeof value !== "string") return undefined;
  if (wildcardMatch(value, key)) return true;
  if (isRange(value)) return validateValue(key, value);
  const list = valueList(value);
  return list ? list.includes(key) : undefined;
}

function setOp(mode: "anyIn" | "allIn" | "anyNotIn" | "allNotIn"): OperatorFn {
  return (key, value) => {
    if (isScalar(key)) {
      const found = keyIn(goSprint(key), value);
      if (found === undefined) return false;
      return mode === "anyIn" || mode === "allIn" ? found : !found;
    }
    if (!Array.isArray(key)) return false;
    const keys = key.map(goSprint);
    let inValue: (k: string) => boolean;
    if (isRange(value)) {
      const notRange = value.replace("-", "!-");
      inValue = (k) => validateValue(k, value);
      if (mode === "anyNotIn") return keys.some((k) => validateValue(k, notRange));
      if (mode === "allNotIn") return keys.every((k) => validateValue(k, notRange));
    } else {
      if (typeof value === "string" && keys.length === 1 && keys[0] === value) return mode === "anyIn" || mode === "allIn";
      const list = valueList(value);
      if (!list) return false;
      inValue = (k) => list.some((v) => eitherMatches(k, v));
    }
    switch (mode) {
      case "anyIn":
        return keys.some(inValue);
      case "allIn":
        return keys.every(inValue);
      case "anyNotIn":
        return keys.some((k) => !inValue(k));
      default:
        return keys.every((k) => !inValue(k));
    }
  };
}

/** The deprecated In/NotIn: the key (or every key) is literally in the value list. */
function legacyIn(negate: boolean): OperatorFn {
  return (key, value) => {
    if (isScalar(key)) {
      const k = goSprint(key);
      let found: boolean;
      if (Array.isArray(value)) found = value.some((v) => wildcardMatch(k, goSprint(v)));
      else if (typeof value === "string") {
        if (wildcardMatch(value, k)) found = true;
        else {
          const list = valueList(value);
          if (!list || (list.length === 1 && list[0] === value && !value.startsWith("["))) return false;
          found = list.includes(k);
        }
      } else return false;
      return negate ? !found : found;
    }
    if (!Array.isArray(key)) return false;
    const list = Array.isArray(value) ? (value.every((v) => typeof v === "string") ? (value as string[]) : undefined) : valueList(value);
    if (!list) return false;
    const allIn = key.every((k) => list.includes(goSprint(k)));
    return negate ? !allIn : allIn;
  };
}

const OPERATORS: Record<string, OperatorFn> = {
  equal: equals,
  equals,
  notequal: (k, v) => !equals(k, v),
  notequals: (k, v) => !equals(k, v),
  in: legacyIn(false),
  notin: legacyIn(true),
  anyin: setOp("anyIn"),
  allin: setOp("allIn"),
  anynotin: setOp("anyNotIn"),
  allnotin: setOp("allNotIn"),
  greaterthan: numeric((c) => c > 0),
  greaterthanorequals: numeric((c) => c >= 0),
  lessthan: numeric((c) => c < 0),
  lessthanorequals: numeric((c) => c <= 0),
  durationgreaterthan: durationOp((c) => c > 0),
  durationgreaterthanorequals: durationOp((c) => c >= 0),
  durationlessthan: durationOp((c) => c < 0),
  durationlessthanorequals: durationOp((c) => c <= 0),
};

export function operatorFor(name: unknown): OperatorFn | undefined {
  return typeof name === "string" ? OPERATORS[name.toLowerCase()] : undefined;
}
