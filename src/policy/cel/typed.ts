/**
 * Values of the Kubernetes library types (quantity, semver, URL, IP, CIDR) as CEL maps
 * `{__type__: "<type>", __value__: "<canonical text>"}`: @bufbuild/cel has no way to register
 * opaque types, and only our functions read these keys. Methods shared by several types
 * (`compareTo`, `isGreaterThan`, `isLessThan`) dispatch on the type here.
 */
import { celMethod, CelScalar, isCelMap, type CelFunc, type CelValue } from "@bufbuild/cel";

const TYPE = "__type__";
const VALUE = "__value__";

export function typed(type: string, text: string): Map<string, string> {
  return new Map([
    [TYPE, type],
    [VALUE, text],
  ]);
}

export function typedText(v: CelValue, type: string): string | undefined {
  if (!isCelMap(v) || v.get(TYPE) !== type) return undefined;
  const text = v.get(VALUE);
  return typeof text === "string" ? text : undefined;
}

export function typeOf(v: CelValue): string | undefined {
  if (!isCelMap(v)) return undefined;
  const t = v.get(TYPE);
  return typeof t === "string" ? t : undefined;
}

/** type → compare(a, b) on the canonical texts. */
const comparators = new Map<string, (a: string, b: string) => number>();

export function registerComparator(type: string, compare: (a: string, b: string) => number): void {
  comparators.set(type, compare);
}

function compareTyped(a: CelValue, b: CelValue): number {
  const type = typeOf(a);
  const compare = type ? comparators.get(type) : undefined;
  if (!type || !compare || typeOf(b) !== type) throw new Error("compareTo needs two values of the same quantity or semver type");
  return compare(typedText(a, type)!, typedText(b, type)!);
}

const { DYN, BOOL, INT } = CelScalar;

export const comparisonFuncs: CelFunc[] = [
  celMethod("compareTo", DYN, [DYN], INT, function (other) {
    return BigInt(compareTyped(this, other));
  }),
  celMethod("isGreaterThan", DYN, [DYN], BOOL, function (other) {
    return compareTyped(this, other) > 0;
  }),
  celMethod("isLessThan", DYN, [DYN], BOOL, function (other) {
    return compareTyped(this, other) < 0;
  }),
];
