/**
 * Documents carrying a top-level `$patch` directive (`$patch: delete` stubs) are kustomize
 * strategic-merge patches, not objects: a Component deletes a Deployment with one. In a plain
 * manifests folder such a document is never a resource; it is an error instead, because kubectl
 * apply refuses it by default (strict field validation: unknown field "$patch"), and with
 * validation off would create the object the stub names, which this review does not show.
 */
import type { Resource } from "../../core/model/resource.js";
import type { InputProblem } from "../../core/ports.js";

export const PATCH_DOCUMENT_RULE = "input/patch-document";

/** The value of the top-level `$patch` field, when the object has one. */
export function patchDirective(r: Resource): string | undefined {
  if (!Object.hasOwn(r.body, "$patch")) return undefined;
  const value = r.body.$patch;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function patchDocumentProblem(r: Resource): InputProblem {
  const file = r.source?.file;
  const where = file ? `${file}${r.source?.line ? `:${r.source.line}` : ""}: ` : "";
  return {
    ruleId: PATCH_DOCUMENT_RULE,
    severity: "error",
    message:
      `${where}${r.kind} ${r.name} carries "$patch: ${patchDirective(r)}": it is a kustomize patch, not an object, so it is not reviewed as a resource. ` +
      'kubectl apply refuses it (unknown field "$patch") or, with validation off, creates the object; list it under a kustomization\'s patches, or remove it.',
    ...(file ? { file, ...(r.source?.line ? { line: r.source.line } : {}) } : {}),
  };
}
