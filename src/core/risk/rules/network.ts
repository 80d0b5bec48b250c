/**
 * Traffic: network policies decide who can reach what; new LoadBalancer or NodePort
 * Services and new Ingress or route hostnames open things to the outside.
 */
import { asArray, get } from "../../diff/summary/access.js";
import { describeRef, type Resource } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { listDelta } from "../../diff/summary/workload.js";
import { changed, isKind } from "./match.js";

const NETWORK_POLICIES = new Set([
  "networking.k8s.io|NetworkPolicy",
  "policy.networking.k8s.io|AdminNetworkPolicy",
  "policy.networking.k8s.io|BaselineAdminNetworkPolicy",
  "cilium.io|CiliumNetworkPolicy",
  "cilium.io|CiliumClusterwideNetworkPolicy",
  "crd.projectcalico.org|NetworkPolicy",
  "crd.projectcalico.org|GlobalNetworkPolicy",
  "projectcalico.org|NetworkPolicy",
  "projectcalico.org|GlobalNetworkPolicy",
]);
const SERVICE = new Set(["|Service"]);
const EXPOSED_TYPES = new Set(["LoadBalancer", "NodePort"]);
const INGRESS = new Set(["networking.k8s.io|Ingress", "extensions|Ingress"]);
const ROUTES = new Set(["gateway.networking.k8s.io|HTTPRoute", "gateway.networking.k8s.io|GRPCRoute", "gateway.networking.k8s.io|TLSRoute"]);

export const networkPolicyChanged: ChangeRule = {
  id: "networkpolicy-changed",
  scope: "change",
  category: "networkpolicy",
  level: "high",
  description: "A NetworkPolicy (or Cilium, Calico or admin network policy) is added, changed or removed.",
  evaluate({ change }) {
    if (!isKind(change, NETWORK_POLICIES)) return undefined;
    const effect = change.action === "removed" ? "traffic it blocked may now get through" : "it changes which traffic is allowed";
    return `${changed(change)}: ${effect}`;
  },
};

export const serviceExposed: ChangeRule = {
  id: "service-exposed",
  scope: "change",
  category: "exposure",
  level: "medium",
  description: "A Service becomes (or is added as) type LoadBalancer or NodePort.",
  evaluate({ change, base, head }) {
    if (!isKind(change, SERVICE) || !head || change.action === "removed") return undefined;
    const to = serviceType(head);
    const from = base ? serviceType(base) : undefined;
    if (!EXPOSED_TYPES.has(to) || from === to) return undefined;
    const what = to === "LoadBalancer" ? "reachable through a cloud load balancer" : "reachable on a port of every node";
    return from ? `${describeRef(change)} changes from ${from} to ${to}: ${what}` : `${describeRef(change)} added as ${to}: ${what}`;
  },
};

export const ingressHostChanged: ChangeRule = {
  id: "ingress-host-changed",
  scope: "change",
  category: "exposure",
  level: "medium",
  description: "An Ingress (or Gateway API route) serves a different set of hostnames.",
  evaluate({ change, base, head }) {
    if (!isKind(change, INGRESS) && !isKind(change, ROUTES)) return undefined;
    const delta = listDelta(hostsOf(base), hostsOf(head));
    if (delta.length === 0) return undefined;
    return `${describeRef(change)} hostnames: ${delta.join(", ")}`;
  },
};

function serviceType(r: Resource): string {
  const t = get(r.body, "spec", "type");
  return typeof t === "string" ? t : "ClusterIP";
}

function hostsOf(r: Resource | undefined): string[] {
  if (!r) return [];
  const hosts = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === "string" && v !== "") hosts.add(v);
  };
  for (const rule of asArray(get(r.body, "spec", "rules"))) add(rule.host);
  for (const tls of asArray(get(r.body, "spec", "tls"))) for (const h of Array.isArray(tls.hosts) ? tls.hosts : []) add(h);
  const hostnames = get(r.body, "spec", "hostnames");
  for (const h of Array.isArray(hostnames) ? hostnames : []) add(h);
  return [...hosts].sort();
}
