/**
 * CRD schemas (OpenAPI v3, `openAPIV3Schema`) and catalog schemas (kubeconform's JSON Schema
 * files) → the same JSON Schema subset as the bundles, so finalize-schema.ts applies one rule
 * for strictness everywhere. Kept: structure, types, enums, patterns, limits and the formats
 * the API server checks. Dropped: descriptions, defaults, `nullable` (nulls are stripped
 * before validation), CEL rules and anything else ajv would misread.
 */
import { CRD_FORMATS } from "./formats.js";
import type { JsonSchema } from "./types.js";

const PRESERVE = "x-kubernetes-preserve-unknown-fields";
const COPIED_NUMBERS = ["minimum", "maximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
const JUNCTORS = ["anyOf", "oneOf", "allOf"];

export interface ConvertOptions {
  /** CRD-wide `spec.preserveUnknownFields` (apiextensions v1beta1): nothing is ever pruned. */
  preserveAll?: boolean;
}

export function convertCrdSchema(node: unknown, options: ConvertOptions = {}): JsonSchema {
  if (!isObject(node)) return { [PRESERVE]: true };
  return convertNode(node, options.preserveAll === true);
}

/**
 * The schema a custom resource is validated with: the converted CRD schema with apiVersion and
 * kind pinned and metadata checked as the API server does, against ObjectMeta (`metaRef`).
 */
export function customResourceSchema(converted: JsonSchema, apiVersion: string, kind: string, metaRef: string): JsonSchema {
  const declared = isObject(converted.properties) ? (converted.properties as Record<string, JsonSchema>) : undefined;
  const root: JsonSchema = { ...converted, type: "object" };
  // A root without properties says nothing about fields: keep it open even in strict mode.
  if (!declared) root[PRESERVE] = true;
  root.properties = {
    ...declared,
    apiVersion: { type: "string", const: apiVersion },
    kind: { type: "string", const: kind },
    metadata: { $ref: metaRef },
  };
  return root;
}

function convertNode(node: Record<string, unknown>, preserveAll: boolean): JsonSchema {
  const out: JsonSchema = {};
  const intOrString = node["x-kubernetes-int-or-string"] === true || node.format === "int-or-string";
  for (const [key, value] of Object.entries(node)) {
    if (key === "type") {
      const types = (Array.isArray(value) ? value : [value]).filter((t) => typeof t === "string" && t !== "null");
      if (!intOrString && types.length > 0) out.type = types.length === 1 ? types[0] : types;
    } else if (key === "properties" || key === "patternProperties") {
      if (isObject(value)) out[key] = convertMap(value, preserveAll, key === "patternProperties");
    } else if (key === "additionalProperties" || key === "not") {
      if (typeof value === "boolean" && key === "additionalProperties") out[key] = value;
      else if (isObject(value)) out[key] = convertNode(value, preserveAll);
    } else if (key === "items") {
      if (Array.isArray(value)) out.items = value.filter(isObject).map((item) => convertNode(item, preserveAll));
      else if (isObject(value)) out.items = convertNode(value, preserveAll);
    } else if (JUNCTORS.includes(key) && Array.isArray(value)) {
      // The int-or-string idiom (anyOf: [{type: integer}, {type: string}]) is already the type union.
      if (intOrString && value.every(isPlainTypeBranch)) continue;
      out[key] = value.filter(isObject).map((branch) => convertNode(branch, preserveAll));
    } else if (key === "required" && Array.isArray(value) && value.length > 0) {
      out.required = value.filter((v) => typeof v === "string");
    } else if ((key === "enum" && Array.isArray(value)) || key === "const") {
      out[key] = value;
    } else if (key === "format" && typeof value === "string") {
      const format = CRD_FORMATS.get(value);
      if (format) out.format = format;
    } else if (key === "pattern" && typeof value === "string") {
      if (compiles(value)) out.pattern = value;
    } else if (COPIED_NUMBERS.includes(key) && typeof value === "number") {
      out[key] = value;
    } else if (key === "uniqueItems" && value === true) {
      out.uniqueItems = true;
    } else if (key === PRESERVE && value === true) {
      out[PRESERVE] = true;
    }
  }
  if (intOrString) out.type = ["integer", "string"];
  exclusiveBounds(node, out);
  if (node["x-kubernetes-embedded-resource"] === true && isObject(out.properties)) {
    // Embedded objects always accept apiVersion, kind and metadata, declared or not.
    out.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...out.properties };
  }
  if (preserveAll && (out.type === "object" || out.properties)) out[PRESERVE] = true;
  return out;
}

/**
 * OpenAPI v3 writes exclusive bounds as booleans beside minimum/maximum; JSON Schema (and
 * catalog files generated from it) as numbers.
 */
function exclusiveBounds(node: Record<string, unknown>, out: JsonSchema): void {
  for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    const value = node[flag];
    if (typeof value === "number") out[flag] = value;
    else if (value === true && typeof node[bound] === "number") {
      out[flag] = node[bound];
      delete out[bound];
    }
  }
}

function convertMap(map: Record<string, unknown>, preserveAll: boolean, keysArePatterns: boolean): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(map)) {
    if (keysArePatterns && !compiles(key)) continue;
    out[key] = isObject(value) ? convertNode(value, preserveAll) : {};
  }
  return out;
}

function isPlainTypeBranch(branch: unknown): boolean {
  if (!isObject(branch)) return false;
  const keys = Object.keys(branch);
  return keys.length === 1 && (branch.type === "integer" || branch.type === "string");
}

/** Go (RE2) patterns JavaScript cannot compile, such as (?i) or \z, are left unchecked. */
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
