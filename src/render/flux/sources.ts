/**
 * Where a Flux object's content comes from. A GitRepository is this repository when it is
 * `flux-system` (what `flux bootstrap` names the repository it bootstraps from) or its URL is one
 * of the config's `gitops.repositoryUrls`; any other source cannot be read offline, and the
 * object is reported `gitops/source-unavailable` instead of being rendered from a guess.
 */
import type { InputProblem } from "../../core/ports.js";
import { isPlainObject } from "../../yaml/parse.js";
import { findObject, type FluxObject, type FluxObjects } from "./objects.js";

export const SOURCE_UNAVAILABLE = "gitops/source-unavailable";

export interface SourceRef {
  kind: string;
  name: string;
  namespace: string;
}

/** `sourceRef` (or `chartRef`) of an object; the namespace defaults to the object's own. */
export function sourceRefOf(value: unknown, owner: FluxObject): SourceRef | undefined {
  if (!isPlainObject(value) || typeof value.kind !== "string" || typeof value.name !== "string") return undefined;
  const namespace = typeof value.namespace === "string" && value.namespace !== "" ? value.namespace : owner.namespace;
  return { kind: value.kind, name: value.name, namespace };
}

/** Same URL, ignoring a trailing ".git" or "/", the scheme's case and `ssh://git@` vs `https://`. */
export function normalizeRepoUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z+]+:\/\//i, "")
    .replace(/^[^@/]+@/, "")
    .replace(/:(?=[^/\d])/, "/")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .toLowerCase();
}

export function isThisRepository(ref: SourceRef, objects: FluxObjects, repositoryUrls: readonly string[], near?: Pick<FluxObject, "file">): boolean {
  if (ref.kind !== "GitRepository") return false;
  if (ref.name === "flux-system") return true;
  const source = findObject(objects, "GitRepository", ref.namespace, ref.name, near);
  const url = source && isPlainObject(source.body.spec) ? source.body.spec.url : undefined;
  if (typeof url !== "string") return false;
  const wanted = normalizeRepoUrl(url);
  return repositoryUrls.some((u) => normalizeRepoUrl(u) === wanted);
}

export function sourceUnavailable(owner: FluxObject, why: string): InputProblem {
  return {
    ruleId: SOURCE_UNAVAILABLE,
    severity: "warning",
    message: `${owner.kind} ${owner.namespace}/${owner.name}: ${why}; it is not reviewed`,
    file: owner.file,
    line: owner.line,
    key: `${owner.kind}/${owner.namespace}/${owner.name}`,
  };
}

export function describeRef(ref: SourceRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}
