/**
 * Field-level differences of two (already redacted) bodies, and their wording: the ground
 * the generic summary and several dedicated summarisers stand on. Lists of named objects
 * (containers, env, volumes, ports with names) pair by name so a reorder is no change and
 * a path says `containers[api]` rather than `containers[0]`; other lists are compared as a
 * whole and summarised by counts ("tolerations: +1").
 */
import { asMap, equal, show } from "./access.js";

/** One path segment: a key, or `[name]` / `[3]` for a list item. */
export type Path = readonly string[];

export interface FieldChange {
  path: Path;
  /** Undefined when the field is new on the head side. */
  before: unknown;
  /** Undefined when the field is gone on the head side. */
  after: unknown;
}

/** Longest value shown in a line; longer ones lose their middle ("…"): ends name things. */
const MAX_VALUE = 60;
/** Lists whose changed items are all short scalars are shown item by item up to this many. */
const MAX_LISTED_ITEMS = 3;

export function fieldChanges(before: unknown, after: unknown, path: Path = []): FieldChange[] {
  if (equal(before, after)) return [];
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const b = byName(before);
    const a = byName(after);
    if (b && a) {
      const names = [...new Set([...b.keys(), ...a.keys()])];
      return names.flatMap((n) => fieldChanges(b.get(n), a.get(n), [...path, `[${n}]`]));
    }
  }
  return [{ path, before, after }];
}

/** "spec.template.spec.containers[api].args". */
export function formatPath(path: Path, from = 0): string {
  let out = "";
  for (const seg of path.slice(from)) out += seg.startsWith("[") || out === "" ? seg : `.${seg}`;
  return out;
}

/** "path: before → after", with lists and subtrees summarised and values shortened. */
export function describeField(change: FieldChange, from = 0): string {
  return `${formatPath(change.path, from) || "(whole object)"}: ${describeValues(change.before, change.after)}`;
}

/** "1 → 2", "(none) → 5", "added", "2 items changed", "+1, -1"... */
export function describeValues(before: unknown, after: unknown): string {
  if (Array.isArray(before) && Array.isArray(after)) return listWords(before, after);
  if (before === undefined) return isLeaf(after) ? `(none) → ${shortValue(after)}` : `added${fieldsOf(after)}`;
  if (after === undefined) return isLeaf(before) ? `${shortValue(before)} → (none)` : `removed${fieldsOf(before)}`;
  if (isLeaf(before) && isLeaf(after)) return scalarWords(before, after);
  return "changed";
}

function scalarWords(before: unknown, after: unknown): string {
  const lines = (v: unknown) => (typeof v === "string" ? v.split("\n").length : 1);
  // Multi-line text (an embedded config file, a script) reads better as a size change.
  if (lines(before) > 1 || lines(after) > 1) return `changed (${lines(before)} → ${lines(after)} lines)`;
  const [a, b] = [shortValue(before), shortValue(after)];
  // 4096 → "4096" (a quoted number, a type fix) must not read as "4096 → 4096".
  return a === b ? `${shortValue(JSON.stringify(before))} → ${shortValue(JSON.stringify(after))}` : `${a} → ${b}`;
}

/** "+1", "-2", "+1, -1", "2 items changed", "order changed", or the items when few and short. */
export function listWords(before: readonly unknown[], after: readonly unknown[]): string {
  const { added, removed } = multisetDelta(before, after);
  if (added.length === 0 && removed.length === 0) return "order changed";
  const short = (v: unknown) => isLeaf(v) && show(v).length <= MAX_VALUE;
  const moved = positional(before, after);
  if (moved.length > 0 && moved.length <= 2 && moved.every(([f, t]) => short(f) && short(t))) {
    return moved.map(([f, t]) => `${item(f)} → ${item(t)}`).join(", ");
  }
  const few = added.length + removed.length <= MAX_LISTED_ITEMS && [...added, ...removed].every(short);
  if (few) return [...added.map((v) => `+${item(v)}`), ...removed.map((v) => `-${item(v)}`)].join(", ");
  if (before.length === after.length && added.length === removed.length) return `${added.length} item${added.length === 1 ? "" : "s"} changed`;
  return [added.length ? `+${added.length}` : "", removed.length ? `-${removed.length}` : ""].filter(Boolean).join(", ");
}

/** Same length, some positions differ: the differing pairs; empty otherwise. */
function positional(before: readonly unknown[], after: readonly unknown[]): [unknown, unknown][] {
  if (before.length !== after.length) return [];
  return before.flatMap((b, i): [unknown, unknown][] => (equal(b, after[i]) ? [] : [[b, after[i]]]));
}

/** A list item: strings quoted, so `--flag` items do not read as removals. */
function item(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(shortValue(v)) : shortValue(v);
}

function multisetDelta(before: readonly unknown[], after: readonly unknown[]): { added: unknown[]; removed: unknown[] } {
  const left = before.map((v) => JSON.stringify(v));
  const added: unknown[] = [];
  after.forEach((v) => {
    const i = left.indexOf(JSON.stringify(v));
    if (i === -1) added.push(v);
    else left[i] = "\u0000taken";
  });
  const removed = before.filter((_, i) => left[i] !== "\u0000taken");
  return { added, removed };
}

/** A value as shown in a line: scalars as text, cut to MAX_VALUE characters. */
export function shortValue(v: unknown): string {
  const text = show(v).replace(/\s*\n\s*/g, " ");
  const chars = Array.from(text);
  if (chars.length <= MAX_VALUE) return text;
  const tail = Math.floor(MAX_VALUE / 3);
  return `${chars.slice(0, MAX_VALUE - tail - 1).join("")}…${chars.slice(-tail).join("")}`;
}

/** " (automated, syncOptions)" for a map, " (2 items)" for a list. */
function fieldsOf(v: unknown): string {
  if (Array.isArray(v)) return ` (${v.length} item${v.length === 1 ? "" : "s"})`;
  const keys = Object.keys(asMap(v));
  if (keys.length === 0) return "";
  const shown = keys.slice(0, 4).join(", ");
  return ` (${keys.length > 4 ? `${shown}, …` : shown})`;
}

function isLeaf(v: unknown): boolean {
  return v === null || typeof v !== "object";
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Items keyed by a unique string `name`, or undefined when the list is not such a list. */
function byName(list: readonly unknown[]): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  for (const item of list) {
    const name = asMap(item).name;
    if (typeof name !== "string" || out.has(name)) return undefined;
    out.set(name, item);
  }
  return out;
}
