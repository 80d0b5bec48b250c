/**
 * Workloads: gaining host access or privileges is a security review; changing nothing but
 * the image is the routine kind of deploy.
 */
import { deepEqual } from "../../diff/deep-equal.js";
import { asArray, asMap, get, podSpec, type Body } from "../../diff/summary/access.js";
import { apiGroup, describeRef, type Resource } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { isKind, listWords } from "./match.js";

const WORKLOADS = new Set([
  "|Pod",
  "|ReplicationController",
  "apps|Deployment",
  "apps|ReplicaSet",
  "apps|StatefulSet",
  "apps|DaemonSet",
  "batch|Job",
  "batch|CronJob",
  "argoproj.io|Rollout",
  "compose|Service",
]);

const DANGEROUS_CAPABILITIES = new Set(["SYS_ADMIN", "ALL", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE"]);

export const workloadPrivilege: ChangeRule = {
  id: "workload-privilege",
  scope: "change",
  category: "privilege",
  level: "high",
  description:
    "A workload gains a privileged container, a hostPath volume, the host's network, PID or IPC namespace, or a powerful capability.",
  evaluate({ change, base, head }) {
    if (!isKind(change, WORKLOADS) || !head) return undefined;
    const before = new Set(base ? privileges(base) : []);
    const gained = privileges(head).filter((p) => !before.has(p));
    if (gained.length === 0) return undefined;
    return `${describeRef(change)} gains ${listWords(gained)}`;
  },
};

export const imageOnly: ChangeRule = {
  id: "image-only",
  scope: "change",
  category: "image",
  level: "low",
  description: "A workload changes nothing but its container images.",
  evaluate({ change, base, head, withoutNoise }) {
    if (!isKind(change, WORKLOADS) || change.action !== "modified" || !base || !head) return undefined;
    const b = withoutNoise(base.body);
    const h = withoutNoise(head.body);
    if (deepEqual(b, h)) return undefined;
    if (!deepEqual(withoutImages(b, base), withoutImages(h, head))) return undefined;
    return `${describeRef(change)} changes only its image${imageCount(b, h) === 1 ? "" : "s"}`;
  },
};

/** Privileges as stable phrases, so base and head can be compared as sets. */
function privileges(r: Resource): string[] {
  if (apiGroup(r.apiVersion) === "compose") return composePrivileges(r.body);
  const spec = podSpec(r.body);
  if (!spec) return [];
  const out: string[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) if (spec[field] === true) out.push(field);
  for (const v of asArray(spec.volumes)) {
    if (v.hostPath !== undefined) out.push(`hostPath volume ${String(v.name)} (${String(get(v, "hostPath", "path") ?? "?")})`);
  }
  for (const c of [...asArray(spec.initContainers), ...asArray(spec.containers), ...asArray(spec.ephemeralContainers)]) {
    const sc = asMap(c.securityContext);
    if (sc.privileged === true) out.push(`privileged container ${String(c.name)}`);
    const added = get(sc, "capabilities", "add");
    for (const cap of Array.isArray(added) ? added : []) {
      const name = String(cap).toUpperCase().replace(/^CAP_/, "");
      if (DANGEROUS_CAPABILITIES.has(name)) out.push(`capability ${name} on container ${String(c.name)}`);
    }
  }
  return out;
}

function composePrivileges(body: Body): string[] {
  const out: string[] = [];
  if (body.privileged === true) out.push("privileged mode");
  if (body.network_mode === "host") out.push("the host's network");
  if (body.pid === "host") out.push("the host's PID namespace");
  if (body.ipc === "host") out.push("the host's IPC namespace");
  for (const cap of Array.isArray(body.cap_add) ? body.cap_add : []) {
    const name = String(cap).toUpperCase().replace(/^CAP_/, "");
    if (DANGEROUS_CAPABILITIES.has(name)) out.push(`capability ${name}`);
  }
  return out;
}

/** A copy with every container image blanked, so "only images differ" is plain equality. */
function withoutImages(body: Body, r: Resource): Body {
  const copy = structuredClone(body);
  if (apiGroup(r.apiVersion) === "compose") {
    delete copy.image;
    return copy;
  }
  const spec = podSpec(copy);
  for (const list of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const c of asArray(spec?.[list])) delete c.image;
  }
  return copy;
}

function imageCount(b: Body, h: Body): number {
  const images = (body: Body) => [body.image, ...["initContainers", "containers"].flatMap((l) => asArray(podSpec(body)?.[l]).map((c) => c.image))];
  const before = images(b);
  return images(h).filter((img, i) => img !== undefined && img !== before[i]).length;
}
