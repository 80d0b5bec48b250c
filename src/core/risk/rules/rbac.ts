/**
 * RBAC: any change to who may do what is reviewed; grants that amount to cluster control
 * (wildcards, escalate/bind/impersonate, reading Secrets everywhere, cluster-admin,
 * anonymous subjects) are critical.
 */
import { asArray, asMap, get } from "../../diff/summary/access.js";
import { apiGroup, describeRef, type Resource } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { changed, isKind, listWords } from "./match.js";

const GROUP = "rbac.authorization.k8s.io";
const RBAC = new Set([`${GROUP}|Role`, `${GROUP}|ClusterRole`, `${GROUP}|RoleBinding`, `${GROUP}|ClusterRoleBinding`]);
const ESCALATING_VERBS = ["escalate", "bind", "impersonate"];
const READ_VERBS = new Set(["get", "list", "watch", "*"]);
const ANONYMOUS = new Set(["system:anonymous", "system:unauthenticated"]);

export const rbacChanged: ChangeRule = {
  id: "rbac-changed",
  scope: "change",
  category: "rbac",
  level: "high",
  description: "A Role, ClusterRole, RoleBinding or ClusterRoleBinding is added, changed or removed.",
  evaluate({ change }) {
    if (!isKind(change, RBAC)) return undefined;
    return `${changed(change)}: it changes who may do what in the cluster`;
  },
};

export const rbacEscalation: ChangeRule = {
  id: "rbac-escalation",
  scope: "change",
  category: "rbac",
  level: "critical",
  description:
    "An RBAC change grants `*` verbs or resources, escalate/bind/impersonate, cluster-wide Secret reads, " +
    "cluster-admin, or access for anonymous users.",
  supersedes: ["rbac-changed"],
  evaluate({ change, head, headResources }) {
    if (!isKind(change, RBAC) || !head) return undefined;
    const grants = head.kind.endsWith("Binding") ? bindingGrants(head, headResources) : roleGrants(head, isClusterWide(head, headResources));
    if (grants.length === 0) return undefined;
    return `${describeRef(change)} ${listWords(grants)}`;
  },
};

/** What a Role or ClusterRole allows that amounts to control over the cluster. */
export function roleGrants(role: Resource, clusterWide: boolean): string[] {
  const out = new Set<string>();
  for (const rule of asArray(role.body.rules)) {
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    if (verbs.includes("*")) out.add("grants every verb (`*`)");
    if (resources.includes("*")) out.add("grants every resource (`*`)");
    for (const v of ESCALATING_VERBS) if (verbs.includes(v)) out.add(`grants \`${v}\``);
    const coreGroup = strings(rule.apiGroups).some((g) => g === "" || g === "*");
    const secrets = resources.includes("secrets") || resources.includes("*");
    const reads = verbs.some((v) => READ_VERBS.has(v));
    if (clusterWide && coreGroup && secrets && reads && strings(rule.resourceNames).length === 0) out.add("can read Secrets in every namespace");
  }
  return [...out];
}

/**
 * A ClusterRole reads cluster-wide unless every binding to it that we can see is a
 * namespaced RoleBinding; with no binding in sight it may be bound anywhere.
 */
function isClusterWide(role: Resource, resources: readonly Resource[]): boolean {
  if (role.kind !== "ClusterRole") return false;
  const bindings = rbacIndex(resources).bindingsTo.get(`${role.kind}|${role.name}`) ?? [];
  return bindings.length === 0 || bindings.some((b) => b.kind === "ClusterRoleBinding");
}

interface RbacIndex {
  /** Bindings by the `Kind|name` of the role they refer to. */
  bindingsTo: Map<string, Resource[]>;
  /** Roles by `Kind|namespace|name` (namespace empty for ClusterRoles). */
  roles: Map<string, Resource>;
}

/** Built once per side: a large RBAC change would otherwise scan every resource per rule call. */
const INDEXES = new WeakMap<readonly Resource[], RbacIndex>();

function rbacIndex(resources: readonly Resource[]): RbacIndex {
  const cached = INDEXES.get(resources);
  if (cached) return cached;
  const index: RbacIndex = { bindingsTo: new Map(), roles: new Map() };
  for (const r of resources) {
    if (apiGroup(r.apiVersion) !== GROUP) continue;
    if (r.kind === "Role" || r.kind === "ClusterRole") index.roles.set(`${r.kind}|${r.kind === "Role" ? r.namespace : ""}|${r.name}`, r);
    if (!r.kind.endsWith("Binding")) continue;
    const key = `${String(get(r.body, "roleRef", "kind"))}|${String(get(r.body, "roleRef", "name"))}`;
    index.bindingsTo.set(key, [...(index.bindingsTo.get(key) ?? []), r]);
  }
  INDEXES.set(resources, index);
  return index;
}

function bindingGrants(binding: Resource, resources: readonly Resource[]): string[] {
  const out: string[] = [];
  const ref = asMap(binding.body.roleRef);
  if (ref.kind === "ClusterRole" && ref.name === "cluster-admin") out.push("binds cluster-admin");
  const anonymous = asArray(binding.body.subjects)
    .filter((s) => (s.kind === "Group" || s.kind === "User") && ANONYMOUS.has(String(s.name)))
    .map((s) => String(s.name));
  if (anonymous.length > 0) out.push(`binds ${listWords(anonymous)}`);
  // A RoleBinding may refer to a Role of its own namespace or to any ClusterRole.
  const role = rbacIndex(resources).roles.get(`${String(ref.kind)}|${ref.kind === "Role" ? binding.namespace : ""}|${String(ref.name)}`);
  if (role) {
    const grants = roleGrants(role, binding.kind === "ClusterRoleBinding");
    if (grants.length > 0) out.push(`binds ${role.kind} ${role.name}, which ${listWords(grants)}`);
  }
  return out;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
