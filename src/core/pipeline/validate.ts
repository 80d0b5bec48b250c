/**
 * The validation phase: every rendered side of every affected target goes through the
 * validator, with the CRDs rendered anywhere on that side, so a custom resource is checked
 * against the CRD of the same change.
 */
import { makeFinding, type Finding } from "../model/finding.js";
import { apiGroup, refOf, type Resource } from "../model/resource.js";
import type { SchemaIssue, Tree, Validator } from "../ports.js";

export function collectCrds(resourceLists: readonly (readonly Resource[] | undefined)[]): Resource[] {
  const out: Resource[] = [];
  for (const list of resourceLists) {
    for (const r of list ?? []) if (r.kind === "CustomResourceDefinition" && apiGroup(r.apiVersion) === "apiextensions.k8s.io") out.push(r);
  }
  return out;
}

export interface SideValidation {
  side: "base" | "head";
  tree: Tree;
  resources: readonly Resource[] | undefined;
  crds: readonly Resource[];
}

export async function validateSide(
  validator: Validator,
  target: { id: string; spec: Parameters<Validator["validate"]>[0]["target"] },
  kubernetesVersion: string,
  input: SideValidation,
): Promise<Finding[]> {
  if (!input.resources || input.resources.length === 0) return [];
  const issues = await validator.validate({
    side: input.side,
    tree: input.tree,
    target: target.spec,
    kubernetesVersion,
    resources: input.resources,
    crds: input.crds,
  });
  return issues.map((i) => issueToFinding(i, target.id));
}

export function issueToFinding(issue: SchemaIssue, target: string): Finding {
  const file = issue.file ?? issue.resource.source?.file;
  const line = issue.line ?? issue.resource.source?.line;
  return makeFinding({
    source: "schema",
    ruleId: issue.ruleId,
    severity: issue.severity,
    message: issue.message,
    target,
    resource: refOf(issue.resource),
    path: issue.path,
    ...(file ? { file } : {}),
    ...(line ? { line } : {}),
    key: issue.path,
  });
}
