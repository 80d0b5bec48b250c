/**
 * The cluster's own admission rules, as the change would meet them: ValidatingAdmissionPolicies
 * and their bindings among the BASE side's rendered objects (config `policies.admission`) judge
 * both sides, with params and Namespace labels from the base too, so a pull request cannot
 * weaken the check by deleting or editing them. And the request each head resource makes:
 * UPDATE of its base version when the change modifies it, DELETE when it removes it.
 */
import { deepEqual } from "../core/diff/deep-equal.js";
import { identityKey, type Resource } from "../core/model/resource.js";
import type { PolicyIssue } from "../core/ports.js";
import { isAdmissionDocument, loadAdmissionDocument } from "./cel/admission-policy.js";
import type { AdmissionRequest, Json, LoadedPolicy, PolicyResource } from "./model.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type Loaded = { policy: LoadedPolicy } | { problem: string };
const loadedByBody = new WeakMap<object, Loaded>();

/** An admission object loaded like a policy file's document (cached per rendered object). */
function load(resource: Resource): Loaded {
  const hit = loadedByBody.get(resource.body);
  if (hit) return hit;
  const metadata = isObj(resource.body.metadata) ? resource.body.metadata : {};
  const annotations = isObj(metadata.annotations) ? Object.fromEntries(Object.entries(metadata.annotations).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
  const loaded = loadAdmissionDocument({
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name: resource.name,
    namespace: "",
    file: resource.source?.file ?? "(rendered)",
    line: resource.source?.line ?? 1,
    annotations,
    spec: isObj(resource.body.spec) ? resource.body.spec : {},
  });
  loadedByBody.set(resource.body, loaded);
  return loaded;
}

const policiesBySide = new WeakMap<readonly Resource[], LoadedPolicy[]>();

/**
 * The loadable admission policies and bindings among a side's rendered objects; those the
 * configured policy files already define (same kind and name) are left to them.
 */
export function renderedAdmissionPolicies(all: readonly Resource[], configured: readonly LoadedPolicy[]): LoadedPolicy[] {
  const hit = policiesBySide.get(all);
  if (hit) return hit;
  const known = new Set(configured.filter((p) => isAdmissionDocument(p.apiVersion, p.kind)).map((p) => `${p.kind}/${p.name}`));
  const seen = new Set<string>();
  const out: LoadedPolicy[] = [];
  for (const r of all) {
    if (!isAdmissionDocument(r.apiVersion, r.kind)) continue;
    const key = `${r.kind}/${r.name}`;
    if (known.has(key) || seen.has(key)) continue;
    seen.add(key);
    const loaded = load(r);
    if ("policy" in loaded) out.push(loaded.policy);
  }
  policiesBySide.set(all, out);
  return out;
}

/** Admission objects of this request's own resources that the API server would refuse. */
export function admissionProblems(resources: readonly Resource[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const r of resources) {
    if (!isAdmissionDocument(r.apiVersion, r.kind)) continue;
    const loaded = load(r);
    if ("problem" in loaded) {
      out.push({ policy: r.name, rule: "invalid", status: "error", severity: "error", message: `${loaded.problem}; the API server would refuse this ${r.kind}`, resource: r });
    }
  }
  return out;
}

/** Labels of the Namespaces a side renders, by name. */
export function namespaceLabelsOf(all: readonly Resource[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const r of all) {
    if (r.kind !== "Namespace" || r.apiVersion !== "v1") continue;
    const metadata = isObj(r.body.metadata) ? r.body.metadata : {};
    out[r.name] = isObj(metadata.labels) ? Object.fromEntries(Object.entries(metadata.labels).map(([k, v]) => [k, String(v)])) : {};
  }
  return out;
}

export interface ChangeRequests {
  /** Per resource of the request: UPDATE when the change modified it, else undefined (CREATE). */
  requests: (AdmissionRequest | undefined)[];
  /** Base resources the change removes from the target: judged as DELETE requests. */
  removed: Resource[];
}

/**
 * Pairs the head's resources with the target's base versions (same group, kind, namespace,
 * name). An unchanged resource stays a CREATE, as on the base side, so its findings compare.
 */
export function changeRequests(resources: readonly Resource[], previous: readonly Resource[] | undefined, toObject: (r: Resource) => Json): ChangeRequests {
  if (!previous || previous.length === 0) return { requests: resources.map(() => undefined), removed: [] };
  const before = new Map(previous.map((r) => [identityKey(r), r]));
  const requests = resources.map((r): AdmissionRequest | undefined => {
    const old = before.get(identityKey(r));
    before.delete(identityKey(r));
    if (!old || old.body === r.body || deepEqual(old.body, r.body)) return undefined;
    return { operation: "UPDATE", oldObject: toObject(old) };
  });
  return { requests, removed: [...before.values()] };
}

export function deleteRequest(object: Json): AdmissionRequest {
  return { operation: "DELETE", oldObject: object };
}

export type { PolicyResource };
