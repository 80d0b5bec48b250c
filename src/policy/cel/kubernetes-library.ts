/**
 * The Kubernetes CEL libraries admission policies use, as far as written here: lists
 * (`isSorted`, `sum`, `min`, `max`), quantity (`quantity`, `isQuantity`, `compareTo`,
 * `isGreaterThan`, `isLessThan`, `asInteger`, `asApproximateFloat`, `add`, `sub`), semver
 * (semver-library.ts), URL, IP and CIDR (net-library.ts).
 */
import { celFunc, celMethod, CelScalar, listType, type CelFunc, type CelValue } from "@bufbuild/cel";
import { compareQuantities, formatQuantity, parseQuantity, quantityFromNumber, quantityToNumber, type Quantity } from "../values/quantity.js";
import { netFuncs } from "./net-library.js";
import { optionalFuncs } from "./optional.js";
import { semverFuncs } from "./semver-library.js";
import { comparisonFuncs, registerComparator, typed, typedText } from "./typed.js";

const { DYN, STRING, BOOL, INT, DOUBLE } = CelScalar;
const LIST = listType(DYN);

function compare(a: CelValue, b: CelValue): number {
  if ((typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number")) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`cannot compare ${typeof a} and ${typeof b}`);
}

const listFuncs: CelFunc[] = [
  celMethod("isSorted", LIST, [], BOOL, function () {
    const items = [...this];
    return items.every((x, i) => i === 0 || compare(items[i - 1]!, x) <= 0);
  }),
  celMethod("sum", LIST, [], DYN, function () {
    const items = [...this];
    if (items.every((x) => typeof x === "bigint")) return items.reduce<bigint>((a, x) => a + (x as bigint), 0n);
    return items.reduce<number>((a, x) => a + Number(x), 0);
  }),
  celMethod("min", LIST, [], DYN, function () {
    const items = [...this];
    if (items.length === 0) throw new Error("min of an empty list");
    return items.reduce((a, x) => (compare(x, a) < 0 ? x : a));
  }),
  celMethod("max", LIST, [], DYN, function () {
    const items = [...this];
    if (items.length === 0) throw new Error("max of an empty list");
    return items.reduce((a, x) => (compare(x, a) > 0 ? x : a));
  }),
];

function asQuantity(v: CelValue): Quantity {
  const text = typedText(v, "quantity");
  const q = text === undefined ? undefined : parseQuantity(text);
  if (!q) throw new Error("not a quantity");
  return q;
}

registerComparator("quantity", (a, b) => compareQuantities(parseQuantity(a)!, parseQuantity(b)!));

const quantityFuncs: CelFunc[] = [
  celFunc("quantity", [STRING], DYN, (text) => {
    if (!parseQuantity(text)) throw new Error(`invalid quantity: ${text}`);
    return typed("quantity", text);
  }),
  celFunc("isQuantity", [STRING], BOOL, (text) => parseQuantity(text) !== undefined),
  celMethod("asApproximateFloat", DYN, [], DOUBLE, function () {
    return quantityToNumber(asQuantity(this));
  }),
  celMethod("asInteger", DYN, [], INT, function () {
    const n = quantityToNumber(asQuantity(this));
    if (!Number.isInteger(n) || !Number.isSafeInteger(n)) throw new Error("quantity is not an integer or too large");
    return BigInt(n);
  }),
  celMethod("isInteger", DYN, [], BOOL, function () {
    return Number.isSafeInteger(quantityToNumber(asQuantity(this)));
  }),
  celMethod("add", DYN, [DYN], DYN, function (other) {
    const a = asQuantity(this);
    const b = typeof other === "bigint" ? quantityFromNumber(Number(other), a.format) : asQuantity(other);
    return typed("quantity", formatQuantity(quantityFromNumber(quantityToNumber(a) + quantityToNumber(b), a.format)));
  }),
  celMethod("sub", DYN, [DYN], DYN, function (other) {
    const a = asQuantity(this);
    const b = typeof other === "bigint" ? quantityFromNumber(Number(other), a.format) : asQuantity(other);
    return typed("quantity", formatQuantity(quantityFromNumber(quantityToNumber(a) - quantityToNumber(b), a.format)));
  }),
];

export const kubernetesFuncs: CelFunc[] = [...optionalFuncs, ...listFuncs, ...quantityFuncs, ...comparisonFuncs, ...semverFuncs, ...netFuncs];
