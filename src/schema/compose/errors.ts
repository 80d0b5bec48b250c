/**
 * From ajv's raw errors to the few a reader needs. The Compose schema is full of `oneOf`
 * unions ("a string or a mapping", "a list or a mapping"), and ajv reports every branch that
 * failed; the branch whose type the value has is the one the author meant, so the other
 * branches' type mismatches are dropped, and a value that fits no branch gets one message
 * listing every type allowed.
 */
import type { ErrorObject } from "ajv";

export type Segment = string | number;

export interface SchemaError {
  keyword: string;
  /** Segments of the instance path; numbers index arrays. */
  segments: Segment[];
  /** Every type allowed here, for a (merged) type error. */
  types: string[];
  error: ErrorObject;
}

const UNIONS = new Set(["oneOf", "anyOf"]);

export function usefulErrors(errors: readonly ErrorObject[], body: unknown): SchemaError[] {
  const all = errors.map((e) => ({ error: e, keyword: e.keyword, pointer: e.instancePath }));
  const below = (pointer: string, other: string) => other.startsWith(`${pointer}/`);
  const kept = all.filter((e) => {
    // A union that failed because of something deeper says less than that deeper error.
    if (UNIONS.has(e.keyword)) return !all.some((o) => o !== e && !UNIONS.has(o.keyword) && (o.pointer === e.pointer || below(e.pointer, o.pointer)));
    if (e.keyword !== "type") return true;
    // An error below this value, or of another kind here, means the value fitted a branch's type.
    return !all.some((o) => !UNIONS.has(o.keyword) && (below(e.pointer, o.pointer) || (o.pointer === e.pointer && o.keyword !== "type")));
  });
  const out: SchemaError[] = [];
  const typeAt = new Map<string, SchemaError>();
  const seen = new Set<string>();
  for (const { error, keyword, pointer } of kept) {
    if (keyword === "type") {
      const merged = typeAt.get(pointer);
      const types = typesOf(error);
      if (merged) {
        for (const t of types) if (!merged.types.includes(t)) merged.types.push(t);
        continue;
      }
      const entry: SchemaError = { keyword, segments: segmentsOf(pointer, body), types, error };
      typeAt.set(pointer, entry);
      out.push(entry);
      continue;
    }
    const key = `${keyword}\u0000${pointer}\u0000${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ keyword, segments: segmentsOf(pointer, body), types: [], error });
  }
  return out;
}

function typesOf(error: ErrorObject): string[] {
  const t = (error.params as { type?: unknown }).type;
  if (Array.isArray(t)) return t.map(String);
  return typeof t === "string" ? t.split(",") : [];
}

/** JSON pointer to segments; a segment is a number only where the value there is an array. */
export function segmentsOf(pointer: string, body: unknown): Segment[] {
  if (pointer === "") return [];
  const out: Segment[] = [];
  let node: unknown = body;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      out.push(Number(key));
      node = node[Number(key)];
      continue;
    }
    out.push(key);
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

/** `healthcheck.test[0]`, `environment.LOG_LEVEL`; names with dots are written as they are. */
export function formatPath(segments: readonly Segment[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
}
