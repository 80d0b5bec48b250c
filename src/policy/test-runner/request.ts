/**
 * The admission request `kyverno test` builds around each resource, expressed as variables the
 * engine layers over its defaults:
 * - who asks: only what the test's `userInfo` file says; without one, `request.userInfo`,
 *   `request.roles` and `request.clusterRoles` are absent, as in Kyverno (nothing invented);
 * - the operation: `request.operation: UPDATE` in a values file makes `request.oldObject` the
 *   resource itself (Kyverno deep-copies it; the engine never mutates resources, so the same
 *   object serves), `DELETE` moves the resource to `request.oldObject` and leaves no object.
 */
import { isPlainObject } from "../../yaml/parse.js";
import type { AdmissionRequest, PolicyResource } from "../model.js";
import { fieldOf } from "./test-file.js";

export interface RequestInfo {
  roles: string[];
  clusterRoles: string[];
  userInfo: Record<string, unknown>;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A `UserInfo` file (cli.kyverno.io/v1alpha1) or the older bare RequestInfo layout. */
export function parseUserInfo(value: unknown): RequestInfo {
  if (!isPlainObject(value)) throw new Error("the userInfo file is not a mapping");
  const user = fieldOf(value, "userInfo");
  return { roles: strings(fieldOf(value, "roles")), clusterRoles: strings(fieldOf(value, "clusterRoles")), userInfo: isPlainObject(user) ? user : {} };
}

/** Variables for every resource of a test: the requester, or its absence. */
export function requesterVariables(info: RequestInfo | undefined): Record<string, unknown> {
  if (!info) return { "request.userInfo": null, "request.roles": null, "request.clusterRoles": null };
  const username = typeof info.userInfo.username === "string" ? info.userInfo.username : "";
  // Kyverno derives the service account from a "system:serviceaccount:<ns>:<name>" username.
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return {
    "request.userInfo": info.userInfo,
    "request.roles": info.roles,
    "request.clusterRoles": info.clusterRoles,
    serviceAccountName: sa?.[2] ?? "",
    serviceAccountNamespace: sa?.[1] ?? "",
  };
}

/** What the operation in the values means for the request's objects. */
export function operationVariables(operation: unknown, resource: PolicyResource): Record<string, unknown> {
  if (operation === "UPDATE") return { "request.oldObject": resource.object };
  if (operation === "DELETE") return { "request.oldObject": resource.object, "request.object": null };
  return {};
}

/**
 * The request CEL rules see (ValidatingPolicy, ValidatingAdmissionPolicy, validate.cel):
 * `request.operation: UPDATE` in the values (global, or for the resource under a policy of the
 * test — the CEL request is per resource) makes `oldObject` the resource itself, as above.
 * A DELETE stays with the variables of operationVariables (classic rules see it).
 */
export function updateRequest(global: unknown, forResource: (name: string) => unknown): (resource: PolicyResource) => AdmissionRequest | undefined {
  return (resource) => {
    const metadata = isPlainObject(resource.object.metadata) ? resource.object.metadata : {};
    const operation = forResource(String(metadata.name ?? "")) ?? global;
    return operation === "UPDATE" ? { operation: "UPDATE", oldObject: resource.object } : undefined;
  };
}
