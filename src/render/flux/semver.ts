/**
 * Chart version constraints as Flux reads `spec.chart.spec.version` (Masterminds semver v3,
 * which helm and source-controller use): `||` between alternatives, `,` or spaces between terms
 * that must all hold, `a - b` ranges, operators `= != > < >= <= ~ ~> ^`, `x`/`X`/`*` wildcards
 * and partial versions (`1.2` is `1.2.x`). A prerelease version matches only an alternative that
 * names a prerelease, as in Masterminds. The highest matching version wins.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  raw: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(raw: string): Version | undefined {
  const m = VERSION.exec(raw.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), prerelease: m[4] ? m[4].split(".") : [], raw };
}

export function compareVersions(a: Version, b: Version): number {
  for (const k of ["major", "minor", "patch"] as const) if (a[k] !== b[k]) return a[k] - b[k];
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Test = (v: Version) => boolean;
interface Alternative {
  tests: Test[];
  allowsPrerelease: boolean;
}

/** The constraint as alternatives, or undefined when it is not one Masterminds would accept. */
export function parseConstraint(text: string): Alternative[] | undefined {
  const alternatives: Alternative[] = [];
  for (const part of text.split("||")) {
    const alt: Alternative = { tests: [], allowsPrerelease: false };
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(part);
    const terms = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : part.replace(/([<>=~^!]+)\s+/g, "$1").split(/[\s,]+/).filter(Boolean);
    if (terms.length === 0) terms.push("*");
    for (const term of terms) {
      const parsed = parseTerm(term);
      if (!parsed) return undefined;
      alt.tests.push(parsed.test);
      alt.allowsPrerelease ||= parsed.prerelease;
    }
    alternatives.push(alt);
  }
  return alternatives;
}

export function satisfies(v: Version, constraint: Alternative[]): boolean {
  return constraint.some((alt) => (v.prerelease.length === 0 || alt.allowsPrerelease) && alt.tests.every((t) => t(v)));
}

/** The highest of `versions` the constraint accepts. */
export function highestMatch(versions: readonly string[], constraintText: string): string | undefined {
  const constraint = parseConstraint(constraintText);
  if (!constraint) return undefined;
  let best: Version | undefined;
  for (const raw of versions) {
    const v = parseVersion(raw);
    if (v && satisfies(v, constraint) && (!best || compareVersions(v, best) > 0)) best = v;
  }
  return best?.raw;
}

const TERM = /^(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?v?(\*|x|X|\d+)(?:\.(\*|x|X|\d+))?(?:\.(\*|x|X|\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseTerm(term: string): { test: Test; prerelease: boolean } | undefined {
  const m = TERM.exec(term);
  if (!m) return undefined;
  const op = m[1] ?? "=";
  const parts = [m[2], m[3], m[4]].map((p) => (p === undefined || /^[xX*]$/.test(p) ? undefined : Number(p)));
  // A wildcard part ends the version: `1.x.3` is `1.x`.
  const wild = parts.findIndex((p) => p === undefined);
  const known = wild === -1 ? 3 : wild;
  const [major = 0, minor = 0, patch = 0] = parts.slice(0, known) as number[];
  const pre = m[5] ? m[5].split(".") : [];
  const at = (ma: number, mi: number, pa: number, pr: string[] = []): Version => ({ major: ma, minor: mi, patch: pa, prerelease: pr, raw: "" });
  const low = at(major, minor, patch, pre);
  /** The first version past the wildcard range (`1.2` → 1.3.0); undefined for `*`. */
  const next = known === 0 ? undefined : known === 1 ? at(major + 1, 0, 0) : known === 2 ? at(major, minor + 1, 0) : undefined;
  const cmp = compareVersions;
  const ge = (b: Version) => (v: Version) => cmp(v, b) >= 0;
  const lt = (b: Version) => (v: Version) => cmp(v, b) < 0;
  const inRange = (v: Version) => ge(low)(v) && (next ? lt(next)(v) : known === 3 ? cmp(v, low) === 0 : true);
  const prerelease = pre.length > 0;
  switch (op) {
    case "=":
      return { test: inRange, prerelease };
    case "!=":
      return { test: (v) => !inRange(v), prerelease };
    case ">":
      return { test: next ? ge(next) : known === 0 ? () => false : (v) => cmp(v, low) > 0, prerelease };
    case ">=":
    case "=>":
      return { test: ge(low), prerelease };
    case "<":
      return { test: lt(low), prerelease };
    case "<=":
    case "=<":
      return { test: next ? lt(next) : known === 0 ? () => true : (v) => cmp(v, low) <= 0, prerelease };
    case "~":
    case "~>": {
      // ~1.2.3 and ~1.2: same minor; ~1: same major.
      const upper = known <= 1 ? at(major + 1, 0, 0) : at(major, minor + 1, 0);
      return { test: (v) => ge(low)(v) && lt(upper)(v), prerelease };
    }
    case "^": {
      // The leftmost non-zero part stays; ^0.0 and ^0 keep what they name.
      const upper =
        major > 0 || known === 1 ? at(major + 1, 0, 0) : minor > 0 || known === 2 ? at(0, minor + 1, 0) : known === 0 ? undefined : at(0, 0, patch + 1);
      return { test: (v) => ge(low)(v) && (upper ? lt(upper)(v) : true), prerelease };
    }
    default:
      return undefined;
  }
}
