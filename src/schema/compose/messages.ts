/**
 * Rule ids and messages for Compose schema errors. Each message names the path inside the
 * entry, what the specification expects there and what was found (shortened, redacted).
 */
import type { ErrorObject } from "ajv";
import { formatPath, type SchemaError, type Segment } from "./errors.js";
import { showValue } from "./show-value.js";

const RULES: Readonly<Record<string, string>> = {
  additionalProperties: "schema/unknown-field",
  unevaluatedProperties: "schema/unknown-field",
  type: "schema/type",
  required: "schema/required",
  dependentRequired: "schema/required",
  enum: "schema/enum",
  const: "schema/enum",
  pattern: "schema/pattern",
  format: "schema/format",
  uniqueItems: "schema/duplicate",
  oneOf: "schema/one-of",
  anyOf: "schema/one-of",
  minimum: "schema/range",
  maximum: "schema/range",
  exclusiveMinimum: "schema/range",
  exclusiveMaximum: "schema/range",
  multipleOf: "schema/range",
  minLength: "schema/range",
  maxLength: "schema/range",
  minItems: "schema/range",
  maxItems: "schema/range",
  minProperties: "schema/range",
  maxProperties: "schema/range",
};

export interface DescribedError {
  ruleId: string;
  /** Path of the field the message is about (the unknown key itself, for unknown fields). */
  segments: Segment[];
  message: string;
}

/** `what` names the entry kind for messages: "a Compose service". */
export function describeError(e: SchemaError, what: string): DescribedError {
  const { error } = e;
  const ruleId = RULES[e.keyword] ?? "schema/invalid";
  const here = formatPath(e.segments) || "(entry)";
  const got = `got ${showValue(error.data, e.segments)}`;
  switch (e.keyword) {
    case "additionalProperties":
    case "unevaluatedProperties": {
      const params = error.params as { additionalProperty?: string; unevaluatedProperty?: string };
      const key = params.additionalProperty ?? params.unevaluatedProperty ?? "";
      const segments = [...e.segments, key];
      const value = (error.data as Record<string, unknown> | null)?.[key];
      const hint = suggestion(key, allowedKeys(error));
      return {
        ruleId,
        segments,
        message: `${formatPath(segments)}: unknown field in ${where(what, e.segments)}${hint}; got ${showValue(value, segments)}`,
      };
    }
    case "type":
      return { ruleId, segments: e.segments, message: `${here}: expected ${orList(e.types)}, ${got}` };
    case "required": {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { ruleId, segments: e.segments, message: `${here}: required field "${missing}" is missing; ${got}` };
    }
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
      return { ruleId, segments: e.segments, message: `${here}: expected one of ${allowed.join(", ")}; ${got}` };
    }
    case "const":
      return { ruleId, segments: e.segments, message: `${here}: expected ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}; ${got}` };
    case "pattern":
      return { ruleId, segments: e.segments, message: `${here}: expected a value matching ${(error.params as { pattern: string }).pattern}; ${got}` };
    case "oneOf":
    case "anyOf":
      return { ruleId, segments: e.segments, message: `${here}: matches ${matchCount(error)} of the forms the specification allows here; ${got}` };
    default:
      return { ruleId, segments: e.segments, message: `${here}: ${error.message ?? "is invalid"}; ${got}` };
  }
}

/** "a Compose service", or "a Compose service's healthcheck" for a nested mapping. */
function where(what: string, parent: readonly Segment[]): string {
  return parent.length === 0 ? what : `${what}'s ${formatPath(parent)}`;
}

function matchCount(error: ErrorObject): string {
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  return Array.isArray(passing) ? "more than one" : "none";
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "another type";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function allowedKeys(error: ErrorObject): string[] {
  const props = (error.parentSchema as { properties?: unknown } | undefined)?.properties;
  return typeof props === "object" && props !== null ? Object.keys(props) : [];
}

/** ` (did you mean "image"?)` when one allowed key is a likely typo of `key`. */
function suggestion(key: string, allowed: readonly string[]): string {
  let best: { name: string; distance: number } | undefined;
  for (const name of allowed) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best || best.distance > Math.max(1, Math.floor(key.length / 3))) return "";
  return ` (did you mean "${best.name}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}
