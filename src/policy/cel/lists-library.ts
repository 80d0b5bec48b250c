/**
 * List functions of the Kubernetes CEL environment: the Kubernetes lists library
 * (k8s.io/apiserver/pkg/cel/library/lists.go: `isSorted`, `sum`, `min`, `max`, `indexOf`,
 * `lastIndexOf`, `includes`) and cel-go's ext lists (`lists.range`, `slice`, `flatten`,
 * `distinct`, `reverse`, `sort`, `sortBy` (macros.ts rewrites it to `sortByKeys__`), `first`,
 * `last`).
 *
 * Every function that builds a list charges its size to the evaluation budget before building
 * it (budget.ts), so `lists.range(1 << 40)` or a flatten of a huge list ends as a budget error
 * instead of allocating.
 */
import { celFunc, celList, celMethod, CelScalar, isCelList, isCelMap, isCelUint, listType, type CelFunc, type CelList, type CelValue } from "@bufbuild/cel";
import { charge } from "./budget.js";
import { optionalOf } from "./optional.js";

const { DYN, BOOL, INT } = CelScalar;
const LIST = listType(DYN);

function rank(v: CelValue): number {
  if (typeof v === "boolean") return 0;
  if (typeof v === "bigint" || typeof v === "number" || isCelUint(v)) return 1;
  if (typeof v === "string") return 2;
  if (v instanceof Uint8Array) return 3;
  throw new Error(`no such overload: ${describe(v)} is not comparable`);
}

function describe(v: CelValue): string {
  if (isCelList(v)) return "list";
  if (isCelMap(v)) return "map";
  return v === null ? "null" : typeof v;
}

function num(v: CelValue): bigint | number {
  return isCelUint(v) ? v.value : (v as bigint | number);
}

/** CEL ordering of comparable values (numbers across int/uint/double, strings, bools, bytes). */
export function compareCel(a: CelValue, b: CelValue): number {
  const ra = rank(a);
  if (ra !== rank(b)) throw new Error(`no such overload: cannot compare ${describe(a)} and ${describe(b)}`);
  if (ra === 1) {
    const x = num(a);
    const y = num(b);
    if (typeof x === "bigint" && typeof y === "bigint") return x < y ? -1 : x > y ? 1 : 0;
    return Number(x) < Number(y) ? -1 : Number(x) > Number(y) ? 1 : 0;
  }
  if (ra === 3) {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length;
  }
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

/** CEL equality (numbers compare across types; lists and maps deeply). */
export function equalsCel(a: CelValue, b: CelValue): boolean {
  const na = typeof a === "bigint" || typeof a === "number" || isCelUint(a);
  const nb = typeof b === "bigint" || typeof b === "number" || isCelUint(b);
  if (na || nb) return na && nb && compareCel(a, b) === 0;
  if (isCelList(a) || isCelList(b)) {
    if (!isCelList(a) || !isCelList(b) || a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) if (!equalsCel(a.get(i)!, b.get(i)!)) return false;
    return true;
  }
  if (isCelMap(a) || isCelMap(b)) {
    if (!isCelMap(a) || !isCelMap(b) || a.size !== b.size) return false;
    for (const [k, v] of a.entries()) if (!b.has(k) || !equalsCel(v, b.get(k)!)) return false;
    return true;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && compareCel(a, b) === 0;
  return a === b;
}

/** A key equal for CEL-equal scalars (1, 1u and 1.0 alike), undefined for lists, maps... */
function scalarKey(v: CelValue): string | undefined {
  if (typeof v === "string") return `s:${v}`;
  if (typeof v === "boolean") return `b:${v}`;
  if (v === null) return "null";
  if (typeof v === "bigint" || isCelUint(v)) return `n:${num(v)}`;
  if (typeof v === "number") return Number.isInteger(v) ? `n:${BigInt(v)}` : `n:${v}`;
  return undefined;
}

function items(list: CelList): CelValue[] {
  return [...list];
}

function flatten(list: CelList, depth: number, out: CelValue[]): void {
  for (const x of list) {
    if (isCelList(x) && depth > 0) flatten(x, depth - 1, out);
    else out.push(x);
    if ((out.length & 1023) === 0) charge(64);
  }
}

/** Sort that reports a mixed list (a comparison error) instead of giving an arbitrary order. */
function sortValues(values: CelValue[]): CelValue[] {
  charge(1 + Math.ceil((values.length * Math.log2(values.length + 1)) / 16));
  return [...values].sort(compareCel);
}

export const listFuncs: CelFunc[] = [
  celMethod("isSorted", LIST, [], BOOL, function () {
    const xs = items(this);
    return xs.every((x, i) => i === 0 || compareCel(xs[i - 1]!, x) <= 0);
  }),
  celMethod("sum", LIST, [], DYN, function () {
    const xs = items(this);
    if (xs.every((x) => typeof x === "bigint")) return xs.reduce<bigint>((a, x) => a + (x as bigint), 0n);
    return xs.reduce<number>((a, x) => a + Number(num(x)), 0);
  }),
  celMethod("min", LIST, [], DYN, function () {
    const xs = items(this);
    if (xs.length === 0) throw new Error("min called on empty list");
    return xs.reduce((a, x) => (compareCel(a, x) > 0 ? x : a));
  }),
  celMethod("max", LIST, [], DYN, function () {
    const xs = items(this);
    if (xs.length === 0) throw new Error("max called on empty list");
    return xs.reduce((a, x) => (compareCel(a, x) < 0 ? x : a));
  }),
  celMethod("indexOf", LIST, [DYN], INT, function (item) {
    const xs = items(this);
    return BigInt(xs.findIndex((x) => equalsCel(x, item)));
  }),
  celMethod("lastIndexOf", LIST, [DYN], INT, function (item) {
    const xs = items(this);
    for (let i = xs.length - 1; i >= 0; i--) if (equalsCel(xs[i]!, item)) return BigInt(i);
    return -1n;
  }),
  celMethod("includes", DYN, [DYN], BOOL, function (item) {
    if (isCelList(this)) return items(this).some((x) => equalsCel(x, item));
    return equalsCel(this, item);
  }),
  celFunc("lists.range", [INT], LIST, (n) => {
    if (n <= 0n) return celList([]);
    charge(Number(n > 1_000_000_000n ? 1_000_000_000n : n));
    return celList(Array.from({ length: Number(n) }, (_, i) => BigInt(i)));
  }),
  celMethod("slice", LIST, [INT, INT], LIST, function (start, end) {
    if (start < 0n || end < 0n) throw new Error(`cannot slice(${start}, ${end}), negative indexes not supported`);
    if (start > end) throw new Error(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
    if (end > BigInt(this.size)) throw new Error(`cannot slice(${start}, ${end}), list is length ${this.size}`);
    charge(1 + Number(end - start) / 16);
    return celList(items(this).slice(Number(start), Number(end)));
  }),
  celMethod("flatten", LIST, [], LIST, function () {
    const out: CelValue[] = [];
    flatten(this, 1, out);
    return celList(out);
  }),
  celMethod("flatten", LIST, [INT], LIST, function (depth) {
    if (depth < 0n) throw new Error("level must be non-negative");
    const out: CelValue[] = [];
    flatten(this, Number(depth > 1000n ? 1000n : depth), out);
    return celList(out);
  }),
  celMethod("distinct", LIST, [], LIST, function () {
    const out: CelValue[] = [];
    const seen = new Set<string>();
    const complex: CelValue[] = [];
    for (const x of this) {
      const key = scalarKey(x);
      if (key !== undefined) {
        charge(1, false);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(x);
        continue;
      }
      // Lists, maps...: compared with CEL equality, quadratic, and charged as such.
      charge(1 + complex.length / 16);
      if (complex.some((y) => equalsCel(x, y))) continue;
      complex.push(x);
      out.push(x);
    }
    return celList(out);
  }),
  celMethod("reverse", LIST, [], LIST, function () {
    charge(1 + this.size / 16);
    return celList(items(this).reverse());
  }),
  celMethod("sort", LIST, [], LIST, function () {
    return celList(sortValues(items(this)));
  }),
  // `l.sortBy(e, key)` is rewritten to `sortByKeys__(l, l.map(e, key))` (macros.ts).
  celFunc("sortByKeys__", [LIST, LIST], LIST, (list, keys) => {
    const xs = items(list);
    const ks = items(keys);
    charge(1 + Math.ceil((xs.length * Math.log2(xs.length + 1)) / 16));
    const order = xs.map((_, i) => i).sort((i, j) => compareCel(ks[i]!, ks[j]!) || i - j);
    return celList(order.map((i) => xs[i]!));
  }),
  celMethod("first", LIST, [], DYN, function () {
    return optionalOf(this.size > 0 ? this.get(0) : undefined);
  }),
  celMethod("last", LIST, [], DYN, function () {
    return optionalOf(this.size > 0 ? this.get(this.size - 1) : undefined);
  }),
];
