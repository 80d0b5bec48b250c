/**
 * Turns a stored schema (bundle definition, converted CRD schema) into what ajv compiles.
 * Bundles and converted CRDs leave objects open and mark `x-kubernetes-preserve-unknown-fields`;
 * strictness is decided here so one bundle serves both modes:
 * - strict: an object with `properties` rejects other fields (like the API server with
 *   fieldValidation=Strict), unless it preserves unknown fields;
 * - loose: no object is closed, not even by a schema that says `additionalProperties: false`
 *   (catalog schemas bake strictness in that way).
 * Nodes under anyOf/oneOf/allOf/not are never closed: in Kubernetes' structural schemas they
 * only restate fields their parent declares, so closing them would reject the parent's other fields.
 */
import type { JsonSchema } from "./types.js";

const PRESERVE = "x-kubernetes-preserve-unknown-fields";
const JUNCTORS = ["anyOf", "oneOf", "allOf"] as const;

export function finalizeSchema(node: JsonSchema, strict: boolean): JsonSchema {
  return finalizeNode(node, strict, false);
}

function finalizeNode(node: JsonSchema, strict: boolean, inJunctor: boolean): JsonSchema {
  const out: JsonSchema = {};
  for (const key of Object.keys(node)) {
    if (key === PRESERVE) continue;
    const value = node[key];
    if (key === "properties" || key === "patternProperties" || key === "definitions") {
      out[key] = mapSchemas(value as Record<string, JsonSchema>, strict, inJunctor);
    } else if (key === "additionalProperties") {
      if (isSchema(value)) out[key] = finalizeNode(value, strict, inJunctor);
      else if (value === true || strict) out[key] = value;
    } else if (key === "items") {
      out[key] = Array.isArray(value)
        ? value.map((item: JsonSchema) => finalizeNode(item, strict, inJunctor))
        : finalizeNode(value as JsonSchema, strict, inJunctor);
    } else if ((JUNCTORS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((branch: JsonSchema) => finalizeNode(branch, strict, true));
    } else if (key === "not" && isSchema(value)) {
      out[key] = finalizeNode(value, strict, true);
    } else {
      out[key] = value;
    }
  }
  if (strict && !inJunctor && out.properties && out.additionalProperties === undefined && out.patternProperties === undefined && node[PRESERVE] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function mapSchemas(map: Record<string, JsonSchema>, strict: boolean, inJunctor: boolean): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const key of Object.keys(map)) {
    const child = map[key];
    if (child) out[key] = finalizeNode(child, strict, inJunctor);
  }
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
