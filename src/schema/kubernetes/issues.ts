/**
 * ajv errors → SchemaIssues. Each message names the JSON path, what was expected and the
 * value found (never a Secret value), e.g.
 *   spec.replicas: expected integer, got string "three"
 *   spec.template.spec.containers[0].imagePullPolicyy: unknown field; did you mean "imagePullPolicy"?
 */
import type { ErrorObject } from "ajv";
import type { Resource } from "../../core/model/resource.js";
import type { SchemaIssue } from "../../core/ports.js";
import { selectErrors, typeNames } from "./error-selection.js";
import { describeFormat } from "./formats.js";
import {
  closest,
  describeFound,
  formatPath,
  isSensitivePath,
  pointerSegments,
  preview,
  REDACTED,
  type PathSegment,
} from "./issue-text.js";
import { QUANTITY_PATTERN } from "./quantity.js";

interface Problem {
  ruleId: string;
  segments: PathSegment[];
  message: string;
}

const RANGE_KEYWORDS = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
]);

/** Issues for one resource; `data` is what was validated (the body, or its copy without nulls). */
export function issuesFromErrors(errors: readonly ErrorObject[], resource: Resource, data: unknown): SchemaIssue[] {
  const { errors: selected, expectations } = selectErrors(errors);
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of selected) {
    const problem = describe(error, resource, data, expectations.get(error));
    const path = formatPath(problem.segments);
    const key = `${problem.ruleId}\u0000${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const issue: SchemaIssue = { ruleId: problem.ruleId, severity: "error", message: problem.message, resource, path };
    const line = locate(resource, problem.segments);
    if (line !== undefined) issue.line = line;
    issues.push(issue);
  }
  return issues;
}

function describe(error: ErrorObject, resource: Resource, data: unknown, expected: string[] | undefined): Problem {
  const at = pointerSegments(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  const where = (segments: PathSegment[]) => formatPath(segments) || "(root)";
  const found = () => describeFound(error.data, isSensitivePath(resource, at, data));
  const value = () => (isSensitivePath(resource, at, data) ? REDACTED : previewAny(error.data));

  switch (error.keyword) {
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      const segments = [...at, field];
      const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const guess = closest(field, known);
      const hint = guess ? `; did you mean "${guess}"?` : "";
      return { ruleId: "schema/unknown-field", segments, message: `${where(segments)}: unknown field${hint}` };
    }
    case "required":
    case "dependencies":
    case "dependentRequired": {
      const field = String(params.missingProperty);
      const segments = [...at, field];
      return { ruleId: "schema/required", segments, message: `${where(segments)}: required field is missing` };
    }
    case "type":
      return { ruleId: "schema/type", segments: at, message: `${where(at)}: expected ${alternatives(typeNames(params.type))}, got ${found()}` };
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return { ruleId: "schema/enum", segments: at, message: `${where(at)}: must be one of ${allowed}; got ${value()}` };
    }
    case "const":
      return { ruleId: "schema/enum", segments: at, message: `${where(at)}: must be ${JSON.stringify(params.allowedValue)}; got ${value()}` };
    case "format":
      return { ruleId: "schema/format", segments: at, message: `${where(at)}: expected ${describeFormat(String(params.format))}; got ${value()}` };
    case "pattern": {
      const expectation = params.pattern === QUANTITY_PATTERN
        ? "a quantity such as 500m, 1.5, 128Mi or 2Gi"
        : `a string matching ${String(params.pattern)}`;
      return { ruleId: "schema/pattern", segments: at, message: `${where(at)}: expected ${expectation}; got ${value()}` };
    }
    case "anyOf":
    case "oneOf":
      return combinatorProblem(error, at, where(at), expected, found());
    default:
      if (RANGE_KEYWORDS.has(error.keyword)) {
        return { ruleId: "schema/range", segments: at, message: `${where(at)}: ${rangeText(error.keyword, params)}; got ${rangeFound(error.keyword, error.data, value)}` };
      }
      return { ruleId: "schema/constraint", segments: at, message: `${where(at)}: fails the schema's "${error.keyword}" rule` };
  }
}

function combinatorProblem(error: ErrorObject, at: PathSegment[], where: string, expected: string[] | undefined, found: string): Problem {
  if (error.keyword === "oneOf" && (error.params as Record<string, unknown>).passingSchemas) {
    return { ruleId: "schema/constraint", segments: at, message: `${where}: matches more than one of the allowed forms` };
  }
  if (expected && expected.length > 0) {
    return { ruleId: "schema/type", segments: at, message: `${where}: expected ${alternatives(expected)}, got ${found}` };
  }
  return { ruleId: "schema/constraint", segments: at, message: `${where}: matches none of the allowed forms` };
}

function rangeText(keyword: string, params: Record<string, unknown>): string {
  const limit = params.limit;
  switch (keyword) {
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${String(params.comparison)} ${String(limit)}`;
    case "multipleOf":
      return `must be a multiple of ${String(params.multipleOf)}`;
    case "minLength":
      return `must be at least ${String(limit)} characters long`;
    case "maxLength":
      return `must be at most ${String(limit)} characters long`;
    case "minItems":
      return `must have at least ${String(limit)} items`;
    case "maxItems":
      return `must have at most ${String(limit)} items`;
    case "minProperties":
      return `must have at least ${String(limit)} fields`;
    default:
      return `must have at most ${String(limit)} fields`;
  }
}

/** Sizes rather than contents for length and count limits: the count is the point. */
function rangeFound(keyword: string, data: unknown, value: () => string): string {
  if (keyword === "minLength" || keyword === "maxLength") return `${typeof data === "string" ? [...data].length : "?"} characters`;
  if (keyword === "minItems" || keyword === "maxItems") return `${Array.isArray(data) ? data.length : "?"} items`;
  if (keyword === "minProperties" || keyword === "maxProperties") {
    return `${data !== null && typeof data === "object" ? Object.keys(data).length : "?"} fields`;
  }
  return value();
}

function previewAny(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return preview(value);
}

function alternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "another value";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** The line of the field, or of the closest enclosing field the renderer kept a position for. */
function locate(resource: Resource, segments: readonly PathSegment[]): number | undefined {
  if (!resource.locate) return undefined;
  for (let n = segments.length; n >= 0; n--) {
    const line = resource.locate(segments.slice(0, n));
    if (line !== undefined) return line;
  }
  return undefined;
}
