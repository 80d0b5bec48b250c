/**
 * Validates rendered Compose entries (apiVersion compose/v1) against the Compose
 * Specification schema; every other resource is left to the Kubernetes validator. Issues
 * point at the Compose file and line that wrote the offending field, which may be an
 * override file rather than the file that first defined the entry.
 */
import type { Severity } from "../../core/model/finding.js";
import type { Resource, SourceLocation } from "../../core/model/resource.js";
import type { SchemaIssue, ValidationRequest, Validator } from "../../core/ports.js";
import { COMPOSE_API_VERSION } from "../../render/compose/renderer.js";
import { composeFieldSource } from "../../render/compose/source-map.js";
import { formatPath, usefulErrors, type Segment } from "./errors.js";
import { describeError } from "./messages.js";
import { composeSchemaFor } from "./spec.js";

export interface ComposeValidatorOptions {
  /** Unknown fields are errors (default); false makes them warnings. */
  strict?: boolean;
}

/** The Compose half of a Validator; the caller combines it with the Kubernetes one. */
export type ComposeValidator = Pick<Validator, "validate">;

export function createComposeValidator(options: ComposeValidatorOptions = {}): ComposeValidator {
  return { validate: (request) => validateCompose(request, options) };
}

const ENTRY_NAMES: Readonly<Record<string, string>> = {
  Service: "a Compose service",
  Network: "a Compose network",
  Volume: "a Compose volume",
  Secret: "a Compose secret",
  Config: "a Compose config",
};

export async function validateCompose(request: ValidationRequest, options: ComposeValidatorOptions = {}): Promise<SchemaIssue[]> {
  const issues: SchemaIssue[] = [];
  for (const resource of request.resources) {
    if (resource.apiVersion !== COMPOSE_API_VERSION) continue;
    issues.push(...validateEntry(resource, options));
  }
  return issues;
}

function validateEntry(resource: Resource, options: ComposeValidatorOptions = {}): SchemaIssue[] {
  const validate = composeSchemaFor(resource.kind);
  if (!validate || validate(resource.body)) return [];
  const what = ENTRY_NAMES[resource.kind] ?? "a Compose entry";
  return usefulErrors(validate.errors ?? [], resource.body).map((e) => {
    const { ruleId, segments, message } = describeError(e, what);
    const severity: Severity = ruleId === "schema/unknown-field" && options.strict === false ? "warning" : "error";
    const at = where(resource, segments);
    return {
      ruleId,
      severity,
      message,
      resource,
      path: formatPath(segments),
      ...(at ? { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}) } : {}),
    };
  });
}

function where(resource: Resource, segments: readonly Segment[]): SourceLocation | undefined {
  return composeFieldSource(resource, segments) ?? resource.source;
}
