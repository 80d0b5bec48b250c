import { createHash } from "node:crypto";
import { apiGroup, type ResourceRef } from "./resource.js";

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
 * Builds a finding with a stable id. The id says what the finding is about, never where it
 * was seen: rule, target, resource identity, JSON path and `key`, the offending content. A
 * file renamed or moved, or lines shifted by an unrelated edit, keep every id (and so every
 * finding pre-existing). `key` tells apart findings one rule raises several times on one
 * resource and path; without a resource it defaults to the message without its file and line
 * numbers.
 */
export function makeFinding(input: FindingInput): Finding {
  const { key, introduced, ...rest } = input;
  return { id: findingId(rest, key), ...rest, introduced: introduced ?? true };
}

export function findingId(f: Pick<Finding, "ruleId" | "target" | "resource" | "path" | "message" | "file">, key?: string): string {
  const res = f.resource;
  const parts = [
    f.ruleId,
    f.target,
    res ? `${apiGroup(res.apiVersion)}|${res.kind}|${res.namespace}|${res.name}` : "",
    f.path ?? "",
    key ?? (res ? "" : withoutPlace(f.message, f.file)),
  ];
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 12);
}

/**
 * The id of the n-th (from 1) further finding with the same id on one side of a target: the
 * same problem without a resource, seen at several places (two documents without a kind).
 */
export function nthFindingId(id: string, n: number): string {
  return createHash("sha256").update(`${id}#${n}`).digest("hex").slice(0, 12);
}

/** A message without the file it names and without line (and column) numbers. */
export function withoutPlace(message: string, file: string | undefined): string {
  const unplaced = file ? message.split(file).join("") : message;
  return unplaced.replace(/:\d+(?=[:\s)]|$)/g, "");
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
