/**
 * CEL optional values (`optional.of`, `optional.none`, `.?field`, `[?key]`, `orValue`,
 * `hasValue`, `value`, `or`). An optional is a list of zero or one element carrying a marker,
 * so it passes through @bufbuild/cel untouched; optional-syntax.ts rewrites `.?`/`[?` into the
 * `optSelect__` / `optIndex__` methods below.
 */
import { celFunc, celList, celMap, celMethod, CelScalar, isCelList, isCelMap, listType, mapType, type CelFunc, type CelList, type CelValue } from "@bufbuild/cel";

const OPTIONAL = Symbol("shipshape.cel.optional");
/** An optional entry of a list or map literal (`[?x]`, `{?k: v}`), unwrapped by optList__/optMap__. */
const ENTRY = Symbol("shipshape.cel.optional-entry");
const { DYN, STRING, BOOL } = CelScalar;

function fail(message: string): never {
  throw new Error(message);
}

export function optionalOf(v: CelValue | undefined): CelList {
  const list = celList(v === undefined ? [] : [v]);
  Object.defineProperty(list, OPTIONAL, { value: true });
  return list;
}

export function isOptional(v: unknown): v is CelList {
  return isCelList(v) && (v as unknown as Record<symbol, unknown>)[OPTIONAL] === true;
}

function select(target: CelValue, key: CelValue): CelValue | undefined {
  if (isCelMap(target)) return target.has(key as string) ? target.get(key as string) : undefined;
  if (isCelList(target) && typeof key === "bigint") return key >= 0n && key < BigInt(target.size) ? target.get(Number(key)) : undefined;
  if (isCelList(target) && typeof key === "number" && Number.isInteger(key)) return key >= 0 && key < target.size ? target.get(key) : undefined;
  return undefined;
}

/** `a.?b` / `a[?k]`: on an optional target, selects inside its value (none stays none). */
function optAccess(target: CelValue, key: CelValue): CelValue {
  if (isOptional(target)) {
    if (target.size === 0) return target;
    return optionalOf(select(target.get(0)!, key));
  }
  // cel-go answers a presence test on a value that has no fields (null, a string...) with
  // "absent", not an error: `metadata.?annotations` with `metadata: null` is none.
  return optionalOf(select(target, key));
}

function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === "" || v === 0 || v === 0n) return true;
  if (isCelList(v) || isCelMap(v)) return v.size === 0;
  return false;
}

function entry(v: CelValue): CelList {
  if (!isOptional(v)) throw new Error("an optional entry ([?x], {?k: x}) needs an optional value, such as a.?b or optional.of(x)");
  const list = celList(v.size > 0 ? [v.get(0)!] : []);
  Object.defineProperty(list, ENTRY, { value: true });
  return list;
}

function isEntry(v: unknown): v is CelList {
  return isCelList(v) && (v as unknown as Record<symbol, unknown>)[ENTRY] === true;
}

const optionalEntryFuncs: CelFunc[] = [
  celFunc("optEntry__", [DYN], DYN, (v) => entry(v)),
  celFunc("optList__", [listType(DYN)], listType(DYN), (list) => {
    const out: CelValue[] = [];
    for (const x of list) {
      if (!isEntry(x)) out.push(x);
      else if (x.size > 0) out.push(x.get(0)!);
    }
    return celList(out);
  }),
  celFunc("optMap__", [mapType(DYN, DYN)], mapType(DYN, DYN), (map) => {
    const out = new Map<CelValue, CelValue>();
    for (const [k, x] of map.entries()) {
      if (!isEntry(x)) out.set(k, x);
      else if (x.size > 0) out.set(k, x.get(0)!);
    }
    return celMap(out as never);
  }),
];

export const optionalFuncs: CelFunc[] = [
  ...optionalEntryFuncs,
  celMethod("optSelect__", DYN, [STRING], DYN, function (key) {
    return optAccess(this, key);
  }),
  celMethod("optIndex__", DYN, [DYN], DYN, function (key) {
    return optAccess(this, key);
  }),
  celFunc("optional.of", [DYN], DYN, (v) => optionalOf(v)),
  celFunc("optional.ofNonZeroValue", [DYN], DYN, (v) => optionalOf(isZero(v) ? undefined : v)),
  celFunc("optional.none", [], DYN, () => optionalOf(undefined)),
  celMethod("hasValue", DYN, [], BOOL, function () {
    return isOptional(this) && this.size > 0;
  }),
  celMethod("value", DYN, [], DYN, function () {
    if (!isOptional(this)) throw new Error("value() called on a non-optional");
    return this.size > 0 ? this.get(0)! : fail("optional.none() dereference");
  }),
  celMethod("orValue", DYN, [DYN], DYN, function (fallback) {
    // Kyverno accepts `list.orValue(x)` on a present (non-optional) value: it is the value.
    if (!isOptional(this)) return this;
    return this.size > 0 ? this.get(0)! : fallback;
  }),
  celMethod("or", DYN, [DYN], DYN, function (other) {
    if (!isOptional(this)) throw new Error("or() called on a non-optional");
    return this.size > 0 ? this : other;
  }),
];
