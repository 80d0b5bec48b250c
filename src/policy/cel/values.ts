/**
 * Between JSON (parsed YAML) and CEL values. Kubernetes objects reach CEL with integers as
 * `int` (JSON numbers without a fraction), fields set to null dropped (the API server's typed
 * decoding drops them too) unless `keepNulls` (Kyverno), maps and lists as CEL maps and lists.
 */
import { celList, celMap, isCelList, isCelMap, isCelUint, type CelInput, type CelMap, type CelValue } from "@bufbuild/cel";

export interface CelInputOptions {
  /**
   * Keep fields set to null (`rules: null`) as CEL null. Kyverno evaluates the unstructured
   * object as written, nulls included (`object.rules == null` is true); the API server decodes
   * built-in types into structs first, which drops them (ValidatingAdmissionPolicy).
   */
  keepNulls?: boolean;
}

export function toCelInput(v: unknown, options: CelInputOptions = {}): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "bigint") return v;
  if (Array.isArray(v)) return celList(v.map((x) => toCelInput(x, options)));
  if (typeof v === "object") {
    if (isCelList(v) || isCelMap(v)) return v;
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && (options.keepNulls || x !== null));
    const map = new Map(entries.map(([k, x]) => [k, toCelInput(x, options)]));
    return options.keepNulls ? withNullFields(map) : celMap(map);
  }
  return String(v);
}

/**
 * A map whose fields set to null are present: `has(o.f)` and `'f' in o` are true, as cel-go
 * answers on the unstructured object Kyverno evaluates. @bufbuild/cel's own maps count a null
 * value as absent, so this view of one answers `has` from the keys.
 */
function withNullFields(entries: Map<string, CelInput>): CelMap {
  const map = celMap(entries);
  const view = Object.create(map) as CelMap & { has: CelMap["has"] };
  view.has = (key) => (typeof key === "string" && entries.has(key)) || map.has(key);
  return view;
}

/** A CEL value as plain JSON, for messages and tests. */
export function fromCel(v: CelValue | unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (isCelUint(v)) return Number(v.value);
  if (isCelList(v)) return [...v].map(fromCel);
  if (isCelMap(v)) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(isCelUint(k) ? k.value : k), fromCel(x)]));
  return v;
}

/** Rough size of a value, charged to the evaluation budget (strings and lists that grow). */
export function sizeOf(v: unknown): number {
  if (typeof v === "string") return v.length;
  if (isCelList(v) || isCelMap(v)) return v.size;
  return 1;
}
