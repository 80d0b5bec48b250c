/**
 * A target that moved (a Compose project from `vote-apps/` to the root, a manifests folder
 * renamed) is a base-only target and a head-only one: compared target by target, each of its
 * findings would be new. A head-only target's findings are compared with those of the base-only
 * targets of the same type instead, by what they are about: rule, resource kind and name (a
 * namespace often follows the folder: a Compose project's name), JSON path, or the message
 * without its place for findings without a resource. A real new problem in a moved target is
 * still new. A folder handed to a GitOps application (handover.ts) is compared with that
 * application, whatever their types: `groups` name such pairs.
 */
import { apiGroup } from "../model/resource.js";
import { withoutPlace, type Finding } from "../model/finding.js";
import type { TargetType } from "../model/target.js";

export interface SideOnlyFindings {
  type: TargetType;
  /** Findings of a target that exists on this side only. */
  findings: readonly Finding[];
  /** Compared within these groups too (a handover's folder and application share one). */
  groups?: readonly string[];
}

/** The head-only targets' findings, with `introduced` cleared where a base-only target had the same. */
export function unmarkMoved(headOnly: readonly SideOnlyFindings[], baseOnly: readonly SideOnlyFindings[]): Map<Finding, Finding> {
  const groupsOf = (t: SideOnlyFindings) => [t.type, ...(t.groups ?? [])];
  const seen = new Set(baseOnly.flatMap((t) => groupsOf(t).flatMap((g) => t.findings.map((f) => movedKey(g, f)))));
  const out = new Map<Finding, Finding>();
  for (const t of headOnly) {
    for (const f of t.findings) if (f.introduced && groupsOf(t).some((g) => seen.has(movedKey(g, f)))) out.set(f, { ...f, introduced: false });
  }
  return out;
}

function movedKey(group: string, f: Finding): string {
  const r = f.resource;
  return [
    group,
    f.ruleId,
    r ? `${apiGroup(r.apiVersion)}|${r.kind}|${r.name}` : "",
    f.path ?? "",
    r ? "" : withoutPlace(f.message, f.file),
  ].join("\u0000");
}
