/**
 * Problem construction for the Compose normaliser. Every message leads with `file:line` so a
 * reader can jump to the place, then says what is wrong and what to do about it.
 */
import type { Severity } from "../../core/model/finding.js";
import type { InputProblem } from "../../core/ports.js";

export type ComposeRuleId =
  | "compose/yaml-invalid"
  | "compose/not-a-mapping"
  | "compose/file-missing"
  | "compose/extends-file-missing"
  | "compose/extends-service-missing"
  | "compose/extends-cycle"
  | "compose/variable-unset"
  | "compose/variable-required"
  | "compose/interpolation-invalid"
  | "compose/dotenv-invalid"
  | "compose/env-file-missing"
  | "compose/invalid-value"
  | "compose/undefined-reference"
  | "compose/depends-on-disabled"
  | "compose/unsupported"
  | "compose/multiple-main-files"
  | "compose/output-too-large"
  | "compose/setting-invalid"
  // Shared with the other renderers: a file the project needs lies outside the repository.
  | "render/outside-repo";

/** Where something is, for messages: a repo-relative file and, when known, a 1-based line. */
export interface Where {
  file: string;
  line?: number;
}

export function composeProblem(ruleId: ComposeRuleId, severity: Severity, where: Where | undefined, message: string): InputProblem {
  if (!where) return { ruleId, severity, message };
  const at = where.line ? `${where.file}:${where.line}` : where.file;
  return {
    ruleId,
    severity,
    message: `${at}: ${message}`,
    file: where.file,
    ...(where.line ? { line: where.line } : {}),
  };
}

export function hasErrors(problems: readonly InputProblem[]): boolean {
  return problems.some((p) => p.severity === "error");
}
