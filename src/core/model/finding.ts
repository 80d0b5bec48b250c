import { createHash } from "node:crypto";
import type { ResourceRef } from "./resource.js";

export type Severity = "error" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["info", "warning", "error"];

/** What produced a finding. "render" covers failures of the user's input to render. */
export type FindingSource = "render" | "config" | "input" | "schema" | "policy" | "cost" | "risk";

export interface Finding {
  /** Stable id: the same problem at the same place keeps its id across runs. */
  id: string;
  source: FindingSource;
  ruleId: string;
  severity: Severity;
  message: string;
  target: string;
  resource?: ResourceRef;
  /** JSON path inside the resource the finding is about, e.g. `spec.replicas`. */
  path?: string;
  file?: string;
  line?: number;
  /** True when the head has it and the base does not. */
  introduced: boolean;
  /** Set when a waiver covers it: the finding stays in the report but does not fail the check. */
  waived?: Waiver;
}

export interface Waiver {
  reason: string;
  /**
   * "config" (the base side's config), "annotation" (on the resource itself) or "comment"
   * (a `/shipshape waive` command by someone allowed to waive, kept in Shipshape's own PR comment).
   */
  source: "config" | "annotation" | "comment";
  /** Where the waiver is written: `file:line`. */
  where: string;
  /** ISO date (YYYY-MM-DD) after which the waiver no longer applies. */
  expires?: string;
}

export type FindingInput = Omit<Finding, "id" | "introduced"> & { introduced?: boolean; key?: string };

/**
 * Builds a finding with a stable id. `key` narrows the id when one rule can fire several
 * times on one resource (e.g. a JSON path); it defaults to the message.
 */
export function makeFinding(input: FindingInput): Finding {
  const { key, introduced, ...rest } = input;
  return { id: findingId(rest, key ?? rest.message), ...rest, introduced: introduced ?? true };
}

/** The id of a finding with these fields and this key: 12 hex digits of a SHA-256. */
export function findingId(f: Pick<Finding, "ruleId" | "target" | "resource" | "file" | "path">, key: string): string {
  const res = f.resource;
  const parts = [f.ruleId, f.target, res ? `${res.kind}|${res.namespace}|${res.name}` : "", f.file ?? "", f.path ?? "", key];
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 12);
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
