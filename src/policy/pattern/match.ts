/**
 * Matching a resource against a Kyverno validate pattern, with anchors, as
 * pkg/engine/validate does:
 * - a failed conditional `(k)` or global `<(k)` anchor makes the rule not apply ("skip");
 * - a present negated key `X(k)` fails;
 * - in a list of maps, elements whose conditional anchors do not hold are skipped, and if no
 *   element applied at all the whole list is a skip;
 * - any other mismatch fails at the JSON path where it happened.
 */
import { parseAnchor, type Anchor } from "./anchor.js";
import { expandMetadataWildcards } from "./metadata-wildcards.js";
import { validateValue } from "./value.js";

type Obj = Record<string, unknown>;
type ErrorKind = "condition" | "global" | "negation" | "plain";

interface PatternError {
  kind: ErrorKind;
  path: string;
  message: string;
}

export type PatternOutcome =
  | { status: "pass" }
  | { status: "skip"; message: string }
  | { status: "fail"; path: string; message: string }
  /** An anchor key of the pattern is missing from the resource and something failed: Kyverno reports an error. */
  | { status: "error"; message: string };

/** Which anchor keys (conditional, existence, negation) were seen present anywhere in the resource. */
class AnchorPresence {
  private readonly seen = new Map<string, { present: boolean; anchor: Anchor }>();

  record(pattern: Obj, resource: Obj): void {
    for (const key of Object.keys(pattern)) {
      const anchor = parseAnchor(key);
      if (!anchor || (anchor.kind !== "condition" && anchor.kind !== "existence" && anchor.kind !== "negation")) continue;
      const entry = this.seen.get(key) ?? { present: false, anchor };
      if (!entry.present && Object.prototype.hasOwnProperty.call(resource, anchor.key)) entry.present = true;
      this.seen.set(key, entry);
    }
  }

  keysAreMissing(): boolean {
    for (const { present, anchor } of this.seen.values()) if (!present && anchor.kind !== "negation") return true;
    return false;
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSkip(err: PatternError): boolean {
  return err.kind === "condition" || err.kind === "global";
}

export function matchPattern(resource: unknown, pattern: unknown): PatternOutcome {
  const presence = new AnchorPresence();
  const err = element(resource, pattern, "/", presence);
  if (!err) return { status: "pass" };
  if (isSkip(err)) return { status: "skip", message: err.message };
  if (err.kind === "negation") return { status: "fail", path: err.path, message: err.message };
  if (presence.keysAreMissing()) return { status: "error", message: err.message };
  return { status: "fail", path: err.path, message: err.message };
}

function element(resource: unknown, pattern: unknown, path: string, presence: AnchorPresence): PatternError | undefined {
  if (isObj(pattern)) {
    if (!isObj(resource)) return plain(path, `expected a map at ${path}`);
    presence.record(pattern, resource);
    return map(resource, pattern, path, presence);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) return plain(path, `expected a list at ${path}`);
    return array(resource, pattern, path, presence);
  }
  if (Array.isArray(resource)) {
    for (const item of resource) {
      if (!validateValue(item, pattern)) return plain(path, mismatch(resource, pattern, path));
    }
    return undefined;
  }
  return validateValue(resource, pattern) ? undefined : plain(path, mismatch(resource, pattern, path));
}

interface MapPlan {
  /** Keys in evaluation order: anchors (sorted), then global/nested-anchor keys, then the rest. */
  keys: string[];
  /** The pattern has wildcard label/annotation keys to expand against each resource. */
  expands: boolean;
}

const plans = new WeakMap<Obj, MapPlan>();

function planOf(pattern: Obj): MapPlan {
  let plan = plans.get(pattern);
  if (plan) return plan;
  const anchored: string[] = [];
  const first: string[] = [];
  const rest: string[] = [];
  for (const key of Object.keys(pattern)) {
    const anchor = parseAnchor(key);
    if (anchor && anchor.kind !== "global" && anchor.kind !== "add") anchored.push(key);
    else if (anchor?.kind === "global" || hasNestedAnchors(pattern[key])) first.push(key);
    else rest.push(key);
  }
  anchored.sort();
  plan = { keys: [...anchored, ...first, ...rest], expands: hasMetadataWildcards(pattern) };
  plans.set(pattern, plan);
  return plan;
}

function hasMetadataWildcards(pattern: Obj): boolean {
  for (const [k, v] of Object.entries(pattern)) {
    if ((parseAnchor(k)?.key ?? k) !== "metadata" || !isObj(v)) continue;
    for (const [tk, tv] of Object.entries(v)) {
      const tag = parseAnchor(tk)?.key ?? tk;
      if ((tag === "labels" || tag === "annotations") && isObj(tv) && Object.keys(tv).some((x) => x.includes("*") || x.includes("?"))) return true;
    }
  }
  return false;
}

function map(resource: Obj, rawPattern: Obj, path: string, presence: AnchorPresence): PatternError | undefined {
  let plan = planOf(rawPattern);
  let pattern = rawPattern;
  if (plan.expands) {
    pattern = expandMetadataWildcards(rawPattern, resource);
    plan = planOf(pattern);
  }
  for (const key of plan.keys) {
    const err = handle(key, pattern[key], resource, path, presence);
    if (err) return err;
  }
  return undefined;
}

function handle(key: string, pattern: unknown, resource: Obj, path: string, presence: AnchorPresence): PatternError | undefined {
  const anchor = parseAnchor(key);
  if (!anchor || anchor.kind === "add") {
    if (pattern === "*") return resource[key] !== undefined && resource[key] !== null ? undefined : plain(path, `${path}${key} not found`);
    return element(resource[key] ?? null, pattern, `${path}${key}/`, presence);
  }
  const name = anchor.key;
  const here = `${path}${name}/`;
  const present = Object.prototype.hasOwnProperty.call(resource, name);
  switch (anchor.kind) {
    case "negation":
      return present ? { kind: "negation", path: here, message: `${here} is not allowed` } : undefined;
    case "equality":
      return present ? element(resource[name], pattern, here, presence) : undefined;
    case "condition": {
      if (!present) return { kind: "condition", path: here, message: "conditional anchor mismatch: conditional anchor key doesn't exist in the resource" };
      const err = element(resource[name], pattern, here, presence);
      return err ? { kind: "condition", path: err.path, message: `conditional anchor mismatch: ${err.message}` } : undefined;
    }
    case "global": {
      if (!present) return undefined;
      const err = element(resource[name], pattern, here, presence);
      return err ? { kind: "global", path: err.path, message: `global anchor mismatch: ${err.message}` } : undefined;
    }
    case "existence":
      return present ? existence(resource[name], pattern, here, presence) : undefined;
  }
}

function existence(value: unknown, pattern: unknown, path: string, presence: AnchorPresence): PatternError | undefined {
  if (!Array.isArray(value)) return plain(path, `existence anchor ^() can only be used on a list, found ${typeof value} at ${path}`);
  if (!Array.isArray(pattern)) return plain(path, `existence anchor ^() needs a list pattern at ${path}`);
  for (const item of pattern) {
    if (!isObj(item)) return plain(path, `existence anchor ^() needs a list of maps at ${path}`);
    const found = value.some((el, i) => element(el, item, `${path}${i}/`, presence) === undefined);
    if (!found) return plain(path, `existence anchor validation failed at path ${path}`);
  }
  return undefined;
}

function array(resource: unknown[], pattern: unknown[], path: string, presence: AnchorPresence): PatternError | undefined {
  if (pattern.length === 0) return plain(path, "pattern array is empty");
  const first = pattern[0];
  if (isObj(first)) return arrayOfMaps(resource, first, path, presence);
  if (!Array.isArray(first)) return element(resource, first, path, presence);
  if (resource.length < pattern.length) return plain(path, `list at ${path} is shorter than the pattern`);
  let applied = 0;
  const skipped: PatternError[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const err = element(resource[i], pattern[i], `${path}${i}/`, presence);
    if (!err) applied++;
    else if (isSkip(err)) skipped.push(err);
    else return err;
  }
  return applied === 0 && skipped.length > 0 ? combineSkips(path, skipped) : undefined;
}

function arrayOfMaps(resource: unknown[], pattern: Obj, path: string, presence: AnchorPresence): PatternError | undefined {
  let applied = 0;
  const skipped: PatternError[] = [];
  for (let i = 0; i < resource.length; i++) {
    const err = element(resource[i], pattern, `${path}${i}/`, presence);
    if (!err) applied++;
    else if (isSkip(err)) skipped.push(err);
    else return err;
  }
  return applied === 0 && skipped.length > 0 ? combineSkips(path, skipped) : undefined;
}

function combineSkips(path: string, skipped: PatternError[]): PatternError {
  return { kind: "condition", path, message: skipped.map((s) => s.message).join("; ") };
}

function plain(path: string, message: string): PatternError {
  return { kind: "plain", path, message };
}

function mismatch(value: unknown, pattern: unknown, path: string): string {
  return `resource value '${preview(value)}' does not match '${preview(pattern)}' at path ${path}`;
}

function preview(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v) ?? "null";
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const nestedCache = new WeakMap<object, boolean>();

function hasNestedAnchors(pattern: unknown): boolean {
  if (typeof pattern !== "object" || pattern === null) return false;
  const cached = nestedCache.get(pattern);
  if (cached !== undefined) return cached;
  let found = false;
  if (Array.isArray(pattern)) found = pattern.some(hasNestedAnchors);
  else {
    for (const [k, v] of Object.entries(pattern)) {
      const a = parseAnchor(k);
      if ((a && a.kind !== "add") || hasNestedAnchors(v)) {
        found = true;
        break;
      }
    }
  }
  nestedCache.set(pattern, found);
  return found;
}
