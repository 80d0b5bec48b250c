/** JSON value helpers shared by the interpreter and its functions. */
import type { Node } from "./parser.js";

export interface ExpressionRef {
  readonly expref: Node;
}

export type JmesType = "number" | "string" | "boolean" | "array" | "object" | "null" | "expref";

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isExpref(v);
}

export function isExpref(v: unknown): v is ExpressionRef {
  return typeof v === "object" && v !== null && "expref" in v && Object.keys(v).length === 1 && typeof (v as ExpressionRef).expref === "object";
}

export function typeOf(v: unknown): JmesType {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return "number";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "array";
  if (isExpref(v)) return "expref";
  return "object";
}

/** JMESPath falsiness: null, false, "", [] and {} are false; every number is true. */
export function isFalse(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) {
    for (const _ in v) return false;
    return true;
  }
  return false;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) {
      if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
    }
    return true;
  }
  return false;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A field of an object. Variable data is layered with prototypes (see engine/data.ts), so we
 * look through prototypes, but never into Object.prototype: a resource without a
 * `constructor` key has no `constructor` field.
 */
export function getField(obj: object, key: string): unknown {
  let current: object | null = obj;
  while (current !== null && current !== Object.prototype) {
    if (hasOwn.call(current, key)) return (current as Record<string, unknown>)[key];
    current = Object.getPrototypeOf(current) as object | null;
  }
  return undefined;
}

export function hasField(obj: object, key: string): boolean {
  let current: object | null = obj;
  while (current !== null && current !== Object.prototype) {
    if (hasOwn.call(current, key)) return true;
    current = Object.getPrototypeOf(current) as object | null;
  }
  return false;
}
