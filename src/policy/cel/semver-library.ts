/**
 * The Kubernetes semver library: `semver(s)`, `isSemver(s)`, `major()`, `minor()`, `patch()`,
 * and `compareTo` / `isGreaterThan` / `isLessThan` (typed.ts), with semver 2.0 precedence
 * (pre-releases before the release, build metadata ignored).
 */
import { celFunc, celMethod, CelScalar, type CelFunc, type CelValue } from "@bufbuild/cel";
import { registerComparator, typed, typedText } from "./typed.js";

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

interface Version {
  parts: [bigint, bigint, bigint];
  pre: string[];
}

function parse(text: string): Version | undefined {
  const m = SEMVER.exec(text);
  if (!m) return undefined;
  return { parts: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] ? m[4].split(".") : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

export function compareSemver(a: string, b: string): number {
  const x = parse(a)!;
  const y = parse(b)!;
  for (let i = 0; i < 3; i++) if (x.parts[i] !== y.parts[i]) return x.parts[i]! < y.parts[i]! ? -1 : 1;
  return comparePre(x.pre, y.pre);
}

registerComparator("semver", compareSemver);

function version(v: CelValue): Version {
  const text = typedText(v, "semver");
  const parsed = text === undefined ? undefined : parse(text);
  if (!parsed) throw new Error("not a semver");
  return parsed;
}

const { DYN, STRING, BOOL, INT } = CelScalar;

export const semverFuncs: CelFunc[] = [
  celFunc("semver", [STRING], DYN, (text) => {
    if (!parse(text)) throw new Error(`invalid semver: ${text}`);
    return typed("semver", text);
  }),
  celFunc("isSemver", [STRING], BOOL, (text) => parse(text) !== undefined),
  celMethod("major", DYN, [], INT, function () {
    return version(this).parts[0];
  }),
  celMethod("minor", DYN, [], INT, function () {
    return version(this).parts[1];
  }),
  celMethod("patch", DYN, [], INT, function () {
    return version(this).parts[2];
  }),
];
