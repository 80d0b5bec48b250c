/**
 * Output that changes on every render of the same input (`randAlphaNum`, `genPassword`,
 * `uuidv4`, `now`…). Two renders of the head are compared: the JSON paths that differ are
 * nondeterministic for that object, and an object whose name differs is one object with a
 * generated name, paired across the renders by where it comes from (template file, line and
 * kind) rather than by name. The base/head diff then sees both sides with those paths masked
 * (and generated names paired the same way), so such output is no change, no risk, no cost
 * and no new finding. The values stay in the resources the review validates, and Secret
 * values stay redacted: masking only replaces values, it never reveals one.
 */
import { apiGroup, identityKey, type Resource } from "../model/resource.js";
import { deepEqual } from "./deep-equal.js";
import { pairResources } from "./match.js";

/** What replaces a nondeterministic value on both sides of the diff. */
export const VARIES = "(differs on every render)";

type Segment = string | number;

interface Mask {
  paths: Segment[][];
  name: string;
}

export interface VaryingResource {
  /** The object as the (first) head render writes it. */
  resource: Resource;
  /** Paths whose values differ between two renders; `metadata.name` included for generated names. */
  paths: Segment[][];
  /** True when the name itself differs between two renders. */
  generatedName: boolean;
  /**
   * The name as the review shows it: the real one, or for a generated name what the two
   * renders share around the generated part ("web-test-<random>"), the same on every run.
   */
  shownName: string;
}

/** Per head object (by identity in the first render), what varies. Empty: the output is deterministic. */
export type Variance = Map<string, VaryingResource>;

/** Compares two renders of the same input. */
export function learnVariance(first: readonly Resource[], second: readonly Resource[]): Variance {
  const variance: Variance = new Map();
  const { pairs, added, removed } = pairResources(first, second);
  for (const { base: a, head: b } of pairs) {
    if (deepEqual(a.body, b.body)) continue;
    variance.set(identityKey(a), { resource: a, paths: differingPaths(a.body, b.body), generatedName: false, shownName: a.name });
  }
  // Objects whose names differ: paired by where they come from, when that is unambiguous.
  const twins = pairByOrigin(removed, added);
  for (const [a, b] of twins) {
    variance.set(identityKey(a), { resource: a, paths: differingPaths(a.body, b.body), generatedName: true, shownName: generatedNamePattern(a.name, b.name) });
  }
  return variance;
}

/**
 * Base and head as the diff should see them: each varying path replaced by {@link VARIES} on
 * both sides, and a base object with the same origin as a head object with a generated name
 * given the head's name, so the two pair instead of showing as removed and added.
 */
export function maskVariance(base: readonly Resource[], head: readonly Resource[], variance: Variance): { base: Resource[]; head: Resource[] } {
  if (variance.size === 0) return { base: [...base], head: [...head] };
  const baseByKey = new Map(base.map((r) => [identityKey(r), r]));
  const twins = generatedNameTwins(base, head, variance);
  // Only a path both sides have is masked: one only one side has is a real addition or
  // removal, shown as such (and redacted like any other value when it is a secret).
  const headMasks = new Map<string, Mask>();
  const baseMasks = new Map<Resource, Mask>();
  for (const h of head) {
    const key = identityKey(h);
    const v = variance.get(key);
    if (!v) continue;
    const b = twins.get(key) ?? baseByKey.get(key);
    const m = { paths: b ? v.paths.filter((p) => hasPath(b.body, p) && hasPath(h.body, p)) : v.paths, name: v.shownName };
    headMasks.set(key, m);
    if (b) baseMasks.set(b, m);
  }
  const apply = (r: Resource, m: Mask | undefined): Resource => (m ? { ...withMask(r, m.paths), name: m.name } : r);
  return { base: base.map((r) => apply(r, baseMasks.get(r))), head: head.map((r) => apply(r, headMasks.get(identityKey(r)))) };
}

/**
 * Base objects that are the same object as a head object with a generated name (same origin,
 * the base has no object of the head's name, the head none of the base's): head identity → base object.
 */
export function generatedNameTwins(base: readonly Resource[], head: readonly Resource[], variance: Variance): Map<string, Resource> {
  const baseKeys = new Set(base.map(identityKey));
  const headKeys = new Set(head.map(identityKey));
  const generated = [...variance.values()].filter((v) => v.generatedName && !baseKeys.has(identityKey(v.resource)));
  const baseOnly = base.filter((r) => !headKeys.has(identityKey(r)));
  return new Map(pairByOrigin(baseOnly, generated, (v) => v.resource).map(([b, v]) => [identityKey(v.resource), b]));
}

/** Objects named in the note; the rest are counted. */
const MAX_NAMED = 10;

/** "Secret default/x data.admin-password, Pod default/x-test-ab12c metadata.name" and how many fields in all. */
export function describeVariance(variance: Variance): { fields: number; text: string } {
  const entries = [...variance.values()].flatMap((v) => v.paths.map((p) => `${v.resource.kind} ${v.resource.namespace ? `${v.resource.namespace}/` : ""}${v.shownName} ${formatPath(p) || "(whole object)"}`));
  const shown = entries.slice(0, MAX_NAMED).join(", ");
  return { fields: entries.length, text: entries.length > MAX_NAMED ? `${shown} and ${entries.length - MAX_NAMED} more` : shown };
}

/** "data.admin-password", "spec.containers[0].args[1]". */
export function formatPath(path: readonly Segment[]): string {
  return path.reduce<string>((out, s) => (typeof s === "number" ? `${out}[${s}]` : out === "" ? s : `${out}.${s}`), "");
}

/** True when `path` (dotted, as findings write it) is a varying path of the object or below one. */
export function coversPath(v: VaryingResource, path: string): boolean {
  return v.paths.some((p) => {
    const f = formatPath(p);
    return path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`);
  });
}

/** Stands for the generated part of a name. */
export const GENERATED = "<random>";

/**
 * "web-test-ab12c" and "web-test-x9k2m" → "web-test-<random>": the common prefix and suffix of
 * two renders' names, cut back to a separator (`-`, `.`) so characters the random parts share
 * by chance are not kept, and the pattern is the same on every run.
 */
export function generatedNamePattern(a: string, b: string): string {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const prefix = a.slice(0, pre);
  const suffix = a.slice(a.length - suf);
  const cutPrefix = prefix.slice(0, Math.max(prefix.lastIndexOf("-"), prefix.lastIndexOf(".")) + 1);
  const firstSep = [suffix.indexOf("-"), suffix.indexOf(".")].filter((i) => i !== -1);
  const cutSuffix = firstSep.length === 0 ? "" : suffix.slice(Math.min(...firstSep));
  return `${cutPrefix}${GENERATED}${cutSuffix}`;
}

/** Leaf paths where two values differ; an array of another length differs as a whole. */
function differingPaths(a: unknown, b: unknown, at: Segment[] = []): Segment[][] {
  if (deepEqual(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => differingPaths(item, b[i], [...at, i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differingPaths(a[k], b[k], [...at, k]));
  }
  return [at];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function withMask(r: Resource, paths: readonly Segment[][]): Resource {
  const body = structuredClone(r.body);
  for (const p of paths) setPath(body, p);
  return { ...r, body };
}

function hasPath(body: Record<string, unknown>, path: readonly Segment[]): boolean {
  let node: unknown = body;
  for (const s of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, s)) return false;
    node = (node as Record<string | number, unknown>)[s];
  }
  return true;
}

/** Replaces the value at `path` when it exists; a path the object does not have stays absent. */
function setPath(body: Record<string, unknown>, path: readonly Segment[]): void {
  if (path.length === 0) return;
  let node: unknown = body;
  for (const s of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return;
    node = (node as Record<string | number, unknown>)[s];
  }
  const last = path[path.length - 1]!;
  if (typeof node !== "object" || node === null || !Object.hasOwn(node, last)) return;
  (node as Record<string | number, unknown>)[last] = VARIES;
}

/**
 * One-to-one pairs of objects by origin: kind, namespace, template file and line. Objects
 * whose origin is unknown, or shared by several objects on either side, stay unpaired.
 */
function pairByOrigin<T>(left: readonly Resource[], right: readonly T[], resourceOf: (t: T) => Resource = (t) => t as unknown as Resource): [Resource, T][] {
  const origin = (r: Resource): string | undefined =>
    r.source ? `${apiGroup(r.apiVersion)}|${r.kind}|${r.namespace}|${r.source.file}|${r.source.line ?? ""}` : undefined;
  const group = <U>(items: readonly U[], of: (u: U) => Resource): Map<string, U[]> => {
    const out = new Map<string, U[]>();
    for (const item of items) {
      const key = origin(of(item));
      if (key !== undefined) out.set(key, [...(out.get(key) ?? []), item]);
    }
    return out;
  };
  const lefts = group(left, (r) => r);
  const rights = group(right, resourceOf);
  const pairs: [Resource, T][] = [];
  for (const [key, ls] of lefts) {
    const rs = rights.get(key);
    if (ls.length === 1 && rs?.length === 1) pairs.push([ls[0]!, rs[0]!]);
  }
  return pairs;
}
