/**
 * semver_compare(version, range) as Kyverno evaluates it with blang/semver ranges:
 * comparators (`>=1.0.0`, `<2.0.0`, `!1.2.3`, `=1.0.0`, `1.0.0`) joined by spaces (and)
 * and `||` (or).
 */
import { JmesPathError } from "../jmespath/errors.js";

interface Version {
  parts: [number, number, number];
  pre: string;
}

function parseVersion(text: string): Version {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) throw new JmesPathError(`semver_compare(): invalid version ${JSON.stringify(text)}`);
  return { parts: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ?? "" };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.parts[i] !== b.parts[i]) return a.parts[i]! - b.parts[i]!;
  if (a.pre === b.pre) return 0;
  if (a.pre === "") return 1;
  if (b.pre === "") return -1;
  return a.pre < b.pre ? -1 : 1;
}

function satisfies(v: Version, comparator: string): boolean {
  const m = /^(>=|<=|!=|==|>|<|!|=)?\s*(.+)$/.exec(comparator);
  if (!m) throw new JmesPathError(`semver_compare(): invalid range ${JSON.stringify(comparator)}`);
  const c = compare(v, parseVersion(m[2]!));
  switch (m[1] ?? "=") {
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case "!":
    case "!=":
      return c !== 0;
    default:
      return c === 0;
  }
}

export function semverCompare(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .filter((c) => c !== "")
      .every((c) => satisfies(v, c)),
  );
}
