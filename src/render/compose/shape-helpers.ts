/**
 * Small conversions shared by the service and top-level shapers: list-or-mapping fields to
 * mappings, scalars to strings, and applying a shaper through a `!reset`/`!override` marker.
 */
import { isRecord, isTagged, setKey, Tagged } from "./tagged.js";

/** A value a shaper could not understand; the caller turns it into a problem with a line. */
export class FieldError {
  constructor(readonly error: string) {}
}

export function isFieldError(v: unknown): v is FieldError {
  return v instanceof FieldError;
}

/** Applies `fn` to the value under a marker; a `!reset` marker has nothing to shape. */
export function throughTag(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (!isTagged(value)) return fn(value);
  if (value.tag === "reset") return value;
  const shaped = fn(value.value);
  return isFieldError(shaped) ? shaped : new Tagged("override", shaped);
}

/**
 * `["A=1", "B"]` or `{A: 1, B: null}` to `{A: "1", B: bare}`. `bare` is what a key without
 * value becomes: null for environment (resolved later), "" for labels.
 */
export function toStringMapping(value: unknown, bare: null | ""): Record<string, unknown> | FieldError {
  const out: Record<string, unknown> = {};
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== "string") return new FieldError(`expected "KEY=VALUE" strings, found ${JSON.stringify(item)}`);
      const eq = item.indexOf("=");
      if (eq < 0) setKey(out, item, bare);
      else setKey(out, item.slice(0, eq), item.slice(eq + 1));
    }
    return out;
  }
  if (!isRecord(value)) return new FieldError(`expected a list of "KEY=VALUE" strings or a mapping, found ${JSON.stringify(value)}`);
  for (const [k, v] of Object.entries(value)) {
    if (isTagged(v)) setKey(out, k, v);
    else if (v === null || v === undefined) setKey(out, k, bare);
    else setKey(out, k, scalarString(v));
  }
  return out;
}

export function scalarString(v: unknown): unknown {
  return typeof v === "number" || typeof v === "boolean" ? String(v) : v;
}

/** A single string or a list, as a list (dns, tmpfs, cap_add...). */
export function toList(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.map(scalarString) : [scalarString(value)];
}

/** `["a", "b"]` or `{a: null, b: {...}}` to a mapping (service networks, additional contexts). */
export function toKeyMapping(value: unknown): Record<string, unknown> | FieldError {
  const out: Record<string, unknown> = {};
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== "string") return new FieldError(`expected a list of names, found ${JSON.stringify(item)}`);
      setKey(out, item, null);
    }
    return out;
  }
  if (!isRecord(value)) return new FieldError(`expected a list or a mapping, found ${JSON.stringify(value)}`);
  return { ...value };
}

/** Integer fields given as strings after interpolation (`replicas: ${N}`) become numbers. */
export function toIntIfNumeric(v: unknown): unknown {
  return typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
}
