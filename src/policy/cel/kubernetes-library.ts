/**
 * The Kubernetes CEL libraries admission policies use: strings (strings-library.ts), lists
 * (lists-library.ts), regex (regex-library.ts), quantity (`quantity`, `isQuantity`, `compareTo`,
 * `isGreaterThan`, `isLessThan`, `asInteger`, `asApproximateFloat`, `add`, `sub`), semver
 * (semver-library.ts), URL, IP and CIDR (net-library.ts).
 */
import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from "@bufbuild/cel";
import { compareQuantities, formatQuantity, parseQuantity, quantityFromNumber, quantityToNumber, type Quantity } from "../values/quantity.js";
import { kyvernoFuncs } from "./kyverno-library.js";
import { listFuncs } from "./lists-library.js";
import { netFuncs } from "./net-library.js";
import { optionalFuncs } from "./optional.js";
import { regexFuncs } from "./regex-library.js";
import { semverFuncs } from "./semver-library.js";
import { stringFuncs } from "./strings-library.js";
import { comparisonFuncs, registerComparator, typed, typedText } from "./typed.js";

const { DYN, STRING, BOOL, INT, DOUBLE } = CelScalar;

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

export const kubernetesFuncs: CelFunc[] = [...stringFuncs, ...optionalFuncs, ...listFuncs, ...regexFuncs, ...quantityFuncs, ...comparisonFuncs, ...semverFuncs, ...netFuncs, ...kyvernoFuncs];
