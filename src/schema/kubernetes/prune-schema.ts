/**
 * A large CRD schema cut down to what one resource can reach. Compiling a 400 KB schema costs
 * about a second; a resource sets a handful of its fields. Under `properties`, a field the
 * resource does not set keeps its name (strict mode still knows every declared field) but loses
 * its sub-schema, which JSON Schema never applies to an absent field; `items` and the schemas
 * for other keys are cut the same way by what the data holds there. Keywords that apply to the
 * node itself (type, required, enum, bounds, junctors) are kept, so the errors for the data are
 * exactly those of the whole schema.
 */
import type { JsonSchema } from "./types.js";

/**
 * The keys a value holds, nested: `f` for an object's fields, `i` for the union of an array's
 * items (both when the value differs across the resources a shape covers); null for a scalar.
 */
export type Shape = { f?: Record<string, Shape>; i?: Shape } | null;

/** Schemas smaller than this (as JSON) are compiled whole: pruning would not pay. */
export const PRUNE_ABOVE_BYTES = 64 * 1024;

const JUNCTORS = ["anyOf", "oneOf", "allOf"] as const;

export function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return { i: value.reduce<Shape>((acc, item) => union(acc, shapeOf(item)), null) };
  if (typeof value !== "object" || value === null) return null;
  // No prototype: a field named __proto__ is a field like any other.
  const f: Record<string, Shape> = Object.create(null);
  for (const key of Object.keys(value).sort()) f[key] = shapeOf((value as Record<string, unknown>)[key]);
  return { f };
}

export function pruneSchema(schema: JsonSchema, shape: Shape): JsonSchema {
  const out: JsonSchema = { ...schema };
  const fields = shape?.f;
  if (isMap(schema.properties)) {
    const props: Record<string, JsonSchema> = Object.create(null);
    for (const [key, sub] of Object.entries(schema.properties)) props[key] = fields && Object.hasOwn(fields, key) ? prune(sub, fields[key]!) : {};
    out.properties = props;
  }
  // Other keys' values: the union of every value the data holds (a superset of those they apply to).
  const others = fields ? Object.values(fields).reduce<Shape>((acc, s) => union(acc, s), null) : null;
  if (isMap(schema.patternProperties)) {
    const patterns: Record<string, JsonSchema> = Object.create(null);
    for (const [key, sub] of Object.entries(schema.patternProperties)) patterns[key] = prune(sub, others);
    out.patternProperties = patterns;
  }
  if (isMap(schema.additionalProperties)) out.additionalProperties = prune(schema.additionalProperties, others);
  const items = shape?.i ?? null;
  if (Array.isArray(schema.items)) out.items = schema.items.map((s: unknown) => prune(s, items));
  else if (isMap(schema.items)) out.items = prune(schema.items, items);
  for (const key of JUNCTORS) if (Array.isArray(schema[key])) out[key] = schema[key].map((branch: unknown) => prune(branch, shape));
  if (isMap(schema.not)) out.not = prune(schema.not, shape);
  return out;
}

function prune(schema: unknown, shape: Shape): JsonSchema {
  return isMap(schema) ? pruneSchema(schema, shape) : (schema as JsonSchema);
}

function union(a: Shape, b: Shape): Shape {
  if (a === null) return b;
  if (b === null) return a;
  const out: { f?: Record<string, Shape>; i?: Shape } = {};
  if (a.f || b.f) {
    const f: Record<string, Shape> = Object.assign(Object.create(null), a.f);
    for (const [key, s] of Object.entries(b.f ?? {})) f[key] = Object.hasOwn(f, key) ? union(f[key]!, s) : s;
    out.f = f;
  }
  if (a.i !== undefined || b.i !== undefined) out.i = union(a.i ?? null, b.i ?? null);
  return out;
}

function isMap(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
