/**
 * Whether one values.schema.json text may make helm load anything outside it. Pure.
 */
import { nestsDeeperThan } from "../../yaml/depth.js";

export const SCHEMA_NAME = "values.schema.json";

/**
 * JSON Schema keywords that make a validator load another document: references (`$ref` and
 * its dynamic and recursive forms), identifiers that change the base URI later references
 * resolve against, and `$schema`. They are checked wherever they are, data included: a
 * fragment reference (`#/properties/a/default`) can make any part of the document a schema,
 * so a `$ref` under `default` is not safely data. Only the draft-4 `id` (no `$`) is taken as
 * data under a data keyword, where `{"id": "x"}` is common and harmless (an identifier loads
 * nothing; the references resolved against it are checked themselves).
 */
const REFERENCE_KEYS = new Set(["$ref", "$dynamicRef", "$recursiveRef"]);
const BASE_KEYS = new Set(["$id", "id", "$anchor"]);
/** Keywords of a schema object whose values are instance data, not schemas. */
const DATA_KEYS = new Set(["default", "examples", "const", "enum"]);
/** Keywords of a schema object whose values map names (properties…) to schemas. */
const SCHEMA_MAP_KEYS = new Set(["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"]);
/** Meta-schemas every validator knows without loading them. */
const KNOWN_META_SCHEMA = /^https?:\/\/json-schema\.org\/(draft-0[3-7]\/schema|draft\/20(19-09|20-12)\/schema)#?$/;

/** What a JSON value is, seen from the schema around it. */
type Position = "schema" | "names" | "data";

/**
 * True when the schema may make helm load anything outside the document: a reference that is
 * not a fragment ("#/..."), an identifier other than a fragment, an unknown `$schema`, or text
 * that is not JSON at all. The text is parsed, not searched: JSON lets a key be spelled with
 * escapes (`"\u0024ref"`), and helm's decoder reads it as `$ref`.
 */
export function hasExternalRef(schemaText: string): boolean {
  let doc: unknown;
  try {
    // helm drops a byte-order mark before decoding (chart loader); so does this.
    doc = JSON.parse(schemaText.replace(/^\uFEFF/, ""));
  } catch {
    // Helm reads it its own way; Shipshape cannot vouch for what that loads.
    return schemaText.trim() !== "";
  }
  // Too deep to walk: not something Shipshape can vouch for either.
  if (nestsDeeperThan(doc)) return true;
  return refersOutside(doc, "schema");
}

function refersOutside(node: unknown, position: Position): boolean {
  if (Array.isArray(node)) return node.some((item) => refersOutside(item, position));
  if (typeof node !== "object" || node === null) return false;
  for (const [key, value] of Object.entries(node)) {
    // Checked in every position, names included: `#/properties` would make the map a schema.
    if (REFERENCE_KEYS.has(key) && !(typeof value === "string" && value.startsWith("#"))) return true;
    if (BASE_KEYS.has(key) && typeof value === "string" && !isFragmentOrName(key, value) && !(key === "id" && position === "data")) return true;
    if (key === "$schema" && typeof value === "string" && !KNOWN_META_SCHEMA.test(value)) return true;
    if (refersOutside(value, next(position, key))) return true;
  }
  return false;
}

/** Under `properties` a key is a name ("default"…) and its value a schema. */
function next(position: Position, key: string): Position {
  if (position === "data") return "data";
  if (position === "names") return "schema";
  if (DATA_KEYS.has(key)) return "data";
  return SCHEMA_MAP_KEYS.has(key) ? "names" : "schema";
}

/** `$anchor: name` and `$id: "#name"` name a place inside the document. */
function isFragmentOrName(key: string, value: string): boolean {
  if (key === "$anchor") return /^[A-Za-z_][\w.-]*$/.test(value);
  return value.startsWith("#");
}
