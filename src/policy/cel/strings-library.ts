/**
 * The strings extension of the Kubernetes CEL environment (cel-go ext.Strings): @bufbuild/cel's
 * (`charAt`, `indexOf`, `lastIndexOf`, `lowerAscii`, `upperAscii`, `substring`, `trim`, `join`,
 * `strings.quote`, `format`) plus what it lacks or does differently from cel-go:
 *
 * - `replace(old, new[, n])` and `split(sep[, n])` follow Go's `strings.Replace` / `SplitN`
 *   (n < 0: all; `split` keeps the remainder in the last element; an empty `old`/`sep` works on
 *   code points), in linear time, and `replace` charges the size of its result to the budget
 *   before building it: `s.replace('', s)` on a long string cannot grow without bound.
 * - `reverse()` (code points).
 */
import { celList, celMethod, CelScalar, listType, type CelFunc } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { charge } from "./budget.js";

const { STRING, INT } = CelScalar;
const LIST_STRING = listType(STRING);

function limitOf(n: bigint | undefined): number {
  if (n === undefined || n < 0n) return Infinity;
  return Number(n);
}

/** Go's strings.Replace(s, old, repl, n). */
export function replaceGo(s: string, old: string, repl: string, n: number): string {
  if (n === 0 || old === repl) return s;
  const points = old === "" ? Array.from(s) : [];
  const occurrences = old === "" ? Math.min(points.length + 1, n) : Math.min(countOf(s, old), n);
  charge(1 + Math.floor((s.length + occurrences * Math.max(0, repl.length - old.length)) / 16));
  if (old === "") {
    let out = "";
    for (let i = 0; i < points.length; i++) out += (i < occurrences ? repl : "") + points[i];
    return occurrences > points.length ? out + repl : out;
  }
  const parts: string[] = [];
  let from = 0;
  for (let done = 0; done < occurrences; done++) {
    const at = s.indexOf(old, from);
    parts.push(s.slice(from, at), repl);
    from = at + old.length;
  }
  parts.push(s.slice(from));
  return parts.join("");
}

function countOf(s: string, sub: string): number {
  let count = 0;
  for (let at = s.indexOf(sub); at !== -1; at = s.indexOf(sub, at + sub.length)) count++;
  return count;
}

/** Go's strings.SplitN(s, sep, n). */
export function splitGo(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const points = Array.from(s);
    if (points.length <= n) return points;
    return [...points.slice(0, n - 1), points.slice(n - 1).join("")];
  }
  const out: string[] = [];
  let from = 0;
  while (out.length < n - 1) {
    const at = s.indexOf(sep, from);
    if (at === -1) break;
    out.push(s.slice(from, at));
    from = at + sep.length;
  }
  out.push(s.slice(from));
  return out;
}

export const stringFuncs: CelFunc[] = [
  ...strings,
  // Same overload ids as @bufbuild/cel's: these replace them.
  celMethod("replace", STRING, [STRING, STRING], STRING, function (old, repl) {
    return replaceGo(this, old, repl, Infinity);
  }),
  celMethod("replace", STRING, [STRING, STRING, INT], STRING, function (old, repl, n) {
    return replaceGo(this, old, repl, limitOf(n));
  }),
  celMethod("split", STRING, [STRING], LIST_STRING, function (sep) {
    return celList(splitGo(this, sep, Infinity));
  }),
  celMethod("split", STRING, [STRING, INT], LIST_STRING, function (sep, n) {
    return celList(splitGo(this, sep, limitOf(n)));
  }),
  celMethod("reverse", STRING, [], STRING, function () {
    return Array.from(this).reverse().join("");
  }),
];
