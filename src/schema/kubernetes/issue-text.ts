/**
 * Pieces of issue messages: JSON paths as reviewers write them (spec.containers[0].image),
 * short previews of offending values, and the rule that Secret values never appear.
 */
import { apiGroup } from "../../core/model/resource.js";
import { mentionsCredential } from "../../core/secrets/credential-name.js";

export type PathSegment = string | number;

const MAX_VALUE_CHARS = 80;
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
export const REDACTED = "<redacted>";

/** ["spec", "containers", 0, "image"] → "spec.containers[0].image". */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/**
 * Splits ajv's JSON Pointer ("/spec/containers/0") into segments, using the data to tell list
 * indexes from object keys that happen to be digits.
 */
export function pointerSegments(pointer: string, root: unknown): PathSegment[] {
  if (pointer === "") return [];
  const segments: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.includes("~") ? raw.replace(/~1/g, "/").replace(/~0/g, "~") : raw;
    if (Array.isArray(node)) {
      const index = Number(key);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(key);
      node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}

/** The value at a path, for messages. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/**
 * True when the value at this path must never be shown: a Secret's data, stringData and its
 * last-applied annotation (which repeats them), and env values whose names say they hold
 * credentials.
 */
export function isSensitivePath(
  resource: { apiVersion: string; kind: string },
  segments: readonly PathSegment[],
  root: unknown,
): boolean {
  if (resource.kind === "Secret" && apiGroup(resource.apiVersion) === "") {
    if (segments[0] === "data" || segments[0] === "stringData") return true;
    if (segments.includes(LAST_APPLIED)) return true;
  }
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] !== "env" || typeof segments[i + 1] !== "number") continue;
    const entry = valueAt(root, segments.slice(0, i + 2));
    const name = entry !== null && typeof entry === "object" ? (entry as Record<string, unknown>).name : undefined;
    if (typeof name === "string" && mentionsCredential(name)) return true;
  }
  return false;
}

/** `string "three"`, `number 3`, `object`: what was found, for type messages. */
export function describeFound(value: unknown, sensitive: boolean): string {
  const type = jsonType(value);
  if (type === "object" || type === "array" || type === "null") return type;
  return `${type} ${sensitive ? REDACTED : preview(value)}`;
}

/** A short JSON rendering of a scalar value, truncated to about 80 characters. */
export function preview(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Closest candidate within two edits (or differing only in case), for "did you mean". */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? limit;
}
