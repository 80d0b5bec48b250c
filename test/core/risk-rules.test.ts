import { describe, expect, it } from "vitest";
import type { Resource } from "../../src/core/model/resource.js";
import { classifyRisk } from "../../src/core/risk/index.js";
import { changesOf, composeService, container, deployment, pvc, resource, riskConfig, service, statefulSet } from "./risk-cost-fixtures.js";

const RBAC = "rbac.authorization.k8s.io/v1";
type Body = Record<string, unknown>;

function classify(base: Resource[], head: Resource[]): [string, string][] {
  const target = "platform/x";
  const risk = classifyRisk({ changes: changesOf(target, base, head), targets: [{ id: target, path: target, base, head }], config: riskConfig() });
  return risk.reasons.map((r) => [r.ruleId, r.level]);
}

const vct = (storage: string) => [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } } } }];
const sts = (spec: Body = {}) => statefulSet("pg", { replicas: 1, volumeClaimTemplates: vct("10Gi"), ...spec });
const role = (kind: "Role" | "ClusterRole", name: string, rules: Body[]) => resource(RBAC, kind, name, kind === "Role" ? "shop" : "", { rules });
const binding = (kind: "RoleBinding" | "ClusterRoleBinding", name: string, roleRef: Body, subjects: Body[] = [{ kind: "ServiceAccount", name: "ci", namespace: "shop" }]) =>
  resource(RBAC, kind, name, kind === "RoleBinding" ? "shop" : "", { roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef }, subjects });
const helmRelease = (version: string) =>
  resource("helm.toolkit.fluxcd.io/v2", "HelmRelease", "podinfo", "podinfo", { spec: { chart: { spec: { chart: "podinfo", version, sourceRef: { kind: "HelmRepository", name: "podinfo" } } } } });
const helmChart = (version: string) =>
  resource("source.toolkit.fluxcd.io/v1", "HelmChart", "podinfo", "podinfo", { spec: { chart: "podinfo", version, sourceRef: { kind: "HelmRepository", name: "podinfo" }, interval: "10m" } });
const ociRepository = (ref: Record<string, string>, mediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip") =>
  resource("source.toolkit.fluxcd.io/v1", "OCIRepository", "podinfo", "podinfo", { spec: { url: "oci://ghcr.io/stefanprodan/charts/podinfo", ref, layerSelector: { mediaType, operation: "copy" }, interval: "10m" } });
const netpol = (ports: number[], apiVersion = "networking.k8s.io/v1", kind = "NetworkPolicy") =>
  resource(apiVersion, kind, "allow", "shop", { spec: { podSelector: {}, ingress: [{ ports: ports.map((port) => ({ port })) }] } });
const crd = (versions: string[]) =>
  resource("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com", "", {
    spec: { group: "example.com", names: { kind: "Widget", plural: "widgets" }, scope: "Namespaced", versions: versions.map((name) => ({ name, served: true, storage: true })) },
  });
const ingress = (host: string, path = "/") =>
  resource("networking.k8s.io/v1", "Ingress", "web", "shop", { spec: { rules: [{ host, http: { paths: [{ path, pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] } });
const route = (hostnames: string[]) => resource("gateway.networking.k8s.io/v1", "HTTPRoute", "web", "shop", { spec: { hostnames, rules: [] } });
const quota = (cpu: string) => resource("v1", "ResourceQuota", "compute", "shop", { spec: { hard: { "requests.cpu": cpu } } });
const limitRange = (cpu: string) => resource("v1", "LimitRange", "defaults", "shop", { spec: { limits: [{ type: "Container", default: { cpu } }] } });
const namespace = (name: string) => resource("v1", "Namespace", name, "");
const storageClass = (type: string) => resource("storage.k8s.io/v1", "StorageClass", "fast", "", { provisioner: "ebs.csi.aws.com", parameters: { type } });
const web = (extra: { image?: string; replicas?: number; podSpec?: Body; containerExtra?: Body } = {}) =>
  deployment("web", { replicas: extra.replicas ?? 2, containers: [container({ image: extra.image ?? "web:1", extra: extra.containerExtra ?? {} })], ...(extra.podSpec ? { podSpec: extra.podSpec } : {}) });

describe("default risk rules", () => {
  it.each<[string, Resource[], Resource[], [string, string][]]>([
    // StatefulSets
    ["statefulset-changed: replicas", [sts()], [sts({ replicas: 3 })], [["statefulset-changed", "high"]]],
    ["statefulset-changed: added", [], [sts()], [["statefulset-changed", "high"]]],
    ["statefulset-immutable-fields: volumeClaimTemplates", [sts()], [sts({ volumeClaimTemplates: vct("20Gi") })], [["statefulset-immutable-fields", "critical"]]],
    ["statefulset-immutable-fields: serviceName", [sts()], [sts({ serviceName: "pg-headless" })], [["statefulset-immutable-fields", "critical"]]],
    ["statefulset-immutable-fields: podManagementPolicy", [sts()], [sts({ podManagementPolicy: "Parallel" })], [["statefulset-immutable-fields", "critical"]]],
    ["statefulset-removed", [sts()], [], [["statefulset-removed", "critical"]]],
    // Storage
    ["pvc-removed", [pvc("data", "10Gi")], [], [["pvc-removed", "critical"]]],
    ["storage-changed: PVC resized", [pvc("data", "10Gi")], [pvc("data", "20Gi")], [["storage-changed", "high"]]],
    ["storage-changed: PVC added", [], [pvc("data", "10Gi")], [["storage-changed", "high"]]],
    ["storage-changed: StorageClass changed", [storageClass("gp2")], [storageClass("gp3")], [["storage-changed", "high"]]],
    // GitOps
    ["helmrelease-chart-major: 6.7.0 → 7.0.0", [helmRelease("6.7.0")], [helmRelease("7.0.0")], [["helmrelease-chart-major", "high"]]],
    ["helmrelease-chart-major: a minor bump is not", [helmRelease("6.7.0")], [helmRelease("6.8.0")], []],
    ["helmrelease-chart-major: range >=1.0.0 <2 → 2.x", [helmRelease(">=1.0.0 <2")], [helmRelease("2.x")], [["helmrelease-chart-major", "high"]]],
    ["helmrelease-chart-major: a chartRef HelmChart 6.x → 7.x", [helmChart("6.x")], [helmChart("7.x")], [["helmrelease-chart-major", "high"]]],
    ["helmrelease-chart-major: a chart OCIRepository tag 6.7.0 → semver >=7.0.0", [ociRepository({ tag: "6.7.0" })], [ociRepository({ semver: ">=7.0.0" })], [["helmrelease-chart-major", "high"]]],
    ["helmrelease-chart-major: an OCIRepository of manifests is no chart", [ociRepository({ tag: "1.0.0" }, "application/vnd.cncf.flux.content.v1.tar+gzip")], [ociRepository({ tag: "2.0.0" }, "application/vnd.cncf.flux.content.v1.tar+gzip")], []],
    // Network policies
    ["networkpolicy-changed: added", [], [netpol([80])], [["networkpolicy-changed", "high"]]],
    ["networkpolicy-changed: modified", [netpol([80])], [netpol([80, 443])], [["networkpolicy-changed", "high"]]],
    ["networkpolicy-changed: removed", [netpol([80])], [], [["networkpolicy-changed", "high"]]],
    ["networkpolicy-changed: Cilium", [], [netpol([80], "cilium.io/v2", "CiliumNetworkPolicy")], [["networkpolicy-changed", "high"]]],
    // RBAC
    ["rbac-changed: verbs added to a Role", [role("Role", "deployer", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] }])], [role("Role", "deployer", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"] }])], [["rbac-changed", "high"]]],
    ["rbac-changed: binding removed", [binding("RoleBinding", "ci", { kind: "Role", name: "deployer" })], [], [["rbac-changed", "high"]]],
    ["rbac-changed: a namespaced Role reading Secrets", [], [role("Role", "reader", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }])], [["rbac-changed", "high"]]],
    ["rbac-escalation: `*` verbs", [], [role("Role", "all", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }])], [["rbac-escalation", "critical"]]],
    ["rbac-escalation: `*` resources", [], [role("ClusterRole", "all", [{ apiGroups: ["apps"], resources: ["*"], verbs: ["get"] }])], [["rbac-escalation", "critical"]]],
    ["rbac-escalation: escalate", [], [role("ClusterRole", "e", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["escalate"] }])], [["rbac-escalation", "critical"]]],
    ["rbac-escalation: bind", [], [role("Role", "b", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["bind"] }])], [["rbac-escalation", "critical"]]],
    ["rbac-escalation: impersonate", [], [role("ClusterRole", "i", [{ apiGroups: [""], resources: ["users"], verbs: ["impersonate"] }])], [["rbac-escalation", "critical"]]],
    ["rbac-escalation: a ClusterRole reading Secrets", [], [role("ClusterRole", "s", [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }])], [["rbac-escalation", "critical"]]],
    [
      "rbac-changed only: a ClusterRole reading Secrets bound only by a RoleBinding",
      [],
      [role("ClusterRole", "s", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]), binding("RoleBinding", "s", { kind: "ClusterRole", name: "s" })],
      [["rbac-changed", "high"], ["rbac-changed", "high"]],
    ],
    [
      "rbac-changed only: reading one named Secret",
      [],
      [role("ClusterRole", "s", [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["tls"], verbs: ["get"] }])],
      [["rbac-changed", "high"]],
    ],
    ["rbac-escalation: binds cluster-admin", [], [binding("ClusterRoleBinding", "ci-admin", { kind: "ClusterRole", name: "cluster-admin" })], [["rbac-escalation", "critical"]]],
    ["rbac-escalation: binds anonymous users", [], [binding("RoleBinding", "open", { kind: "Role", name: "viewer" }, [{ kind: "Group", name: "system:unauthenticated" }])], [["rbac-escalation", "critical"]]],
    [
      "rbac-escalation: a binding to a dangerous role of the same render",
      [role("ClusterRole", "s", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }])],
      [role("ClusterRole", "s", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]), binding("ClusterRoleBinding", "s", { kind: "ClusterRole", name: "s" })],
      [["rbac-escalation", "critical"]],
    ],
    // Cluster objects
    ["quota-changed: ResourceQuota added", [], [quota("10")], [["quota-changed", "medium"]]],
    ["quota-changed: LimitRange changed", [limitRange("500m")], [limitRange("1")], [["quota-changed", "medium"]]],
    ["crd-changed", [crd(["v1"])], [crd(["v1", "v2"])], [["crd-changed", "high"]]],
    ["crd-removed", [crd(["v1"])], [], [["crd-removed", "critical"]]],
    ["namespace-removed", [namespace("legacy")], [], [["namespace-removed", "critical"]]],
    ["a Namespace added is not risky", [], [namespace("new")], []],
    // Exposure
    ["service-exposed: ClusterIP → LoadBalancer", [service("web")], [service("web", "LoadBalancer")], [["service-exposed", "medium"]]],
    ["service-exposed: NodePort → LoadBalancer", [service("web", "NodePort")], [service("web", "LoadBalancer")], [["service-exposed", "medium"]]],
    ["service-exposed: added as NodePort", [], [service("web", "NodePort")], [["service-exposed", "medium"]]],
    ["an existing LoadBalancer changing ports is not", [service("web", "LoadBalancer")], [{ ...service("web", "LoadBalancer"), body: { ...service("web", "LoadBalancer").body, spec: { type: "LoadBalancer", ports: [{ port: 8080 }] } } }], []],
    ["ingress-host-changed: host changed", [ingress("shop.example.com")], [ingress("www.example.com")], [["ingress-host-changed", "medium"]]],
    ["ingress-host-changed: Ingress added", [], [ingress("shop.example.com")], [["ingress-host-changed", "medium"]]],
    ["an Ingress path change is not", [ingress("shop.example.com")], [ingress("shop.example.com", "/api")], []],
    ["ingress-host-changed: HTTPRoute hostnames", [route(["a.example.com"])], [route(["a.example.com", "b.example.com"])], [["ingress-host-changed", "medium"]]],
    // Workloads
    ["workload-privilege: privileged container", [web()], [web({ containerExtra: { securityContext: { privileged: true } } })], [["workload-privilege", "high"]]],
    ["workload-privilege: hostPath volume", [web()], [web({ podSpec: { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] } })], [["workload-privilege", "high"]]],
    ["workload-privilege: hostNetwork", [web()], [web({ podSpec: { hostNetwork: true } })], [["workload-privilege", "high"]]],
    ["workload-privilege: added already privileged", [], [web({ podSpec: { hostPID: true } })], [["workload-privilege", "high"]]],
    [
      "a privilege the base already had is not news",
      [web({ podSpec: { hostNetwork: true } })],
      [web({ podSpec: { hostNetwork: true }, replicas: 3 })],
      [],
    ],
    ["workload-privilege: Compose privileged", [composeService("agent", {})], [composeService("agent", { privileged: true })], [["workload-privilege", "high"]]],
    ["image-only: a new tag", [web()], [web({ image: "web:2" })], [["image-only", "low"]]],
    ["image-only: Compose image", [composeService("cache", {})], [composeService("cache", { image: "redis:8" })], [["image-only", "low"]]],
    ["an image change with anything else is not image-only", [web()], [web({ image: "web:2", replicas: 3 })], []],
    ["a replicas change alone has no rule", [web()], [web({ replicas: 3 })], []],
  ])("%s", (_name, base, head, expected) => {
    expect(classify(base, head)).toEqual(expected);
  });
});

describe("Argo CD deletion rules (Applications an ApplicationSet generates, and its policy)", () => {
  const owned = { ownerReferences: [{ apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet", name: "envs", controller: true }] };
  const app = (metadata: Body = {}, spec: Body = { project: "default", destination: { namespace: "web" } }) =>
    resource("argoproj.io/v1alpha1", "Application", "web", "argocd", { metadata: { name: "web", namespace: "argocd", ...metadata }, spec });
  const appset = (syncPolicy?: Body) => resource("argoproj.io/v1alpha1", "ApplicationSet", "envs", "argocd", { spec: { generators: [], template: {}, ...(syncPolicy ? { syncPolicy } : {}) } });
  const finalizer = { finalizers: ["resources-finalizer.argocd.argoproj.io"] };

  it.each<[string, Resource[], Resource[], [string, string][]]>([
    ["a generated Application no longer generated (policy sync)", [appset(), app({ ...finalizer, ...owned })], [appset()], [["gitops-application-removed", "high"]]],
    ["the controller keeps it under create-only", [appset({ applicationsSync: "create-only" }), app({ ...finalizer, ...owned })], [appset({ applicationsSync: "create-only" })], []],
    ["no finalizer (preserveResourcesOnDeletion)", [appset(), app(owned)], [appset()], []],
    ["the ApplicationSet removed too", [appset(), app({ ...finalizer, ...owned })], [], [["gitops-application-removed", "high"]]],
    ["a hand-written Application with the finalizer", [app(finalizer)], [], [["gitops-application-removed", "high"]]],
    ["applicationsSync create-update → sync", [appset({ applicationsSync: "create-update" })], [appset()], [["gitops-applicationset-deletion-enabled", "high"]]],
    ["preserveResourcesOnDeletion turned off", [appset({ preserveResourcesOnDeletion: true })], [appset({ preserveResourcesOnDeletion: false })], [["gitops-applicationset-deletion-enabled", "high"]]],
    ["sync → create-only deletes less", [appset()], [appset({ applicationsSync: "create-only" })], []],
    [
      "a generated Application's destination change its ApplicationSet does not apply (create-only)",
      [appset({ applicationsSync: "create-only" }), app(owned)],
      [appset({ applicationsSync: "create-only" }), app(owned, { project: "default", destination: { namespace: "other" } })],
      [],
    ],
    ["the same change under sync", [appset(), app(owned)], [appset(), app(owned, { project: "default", destination: { namespace: "other" } })], [["gitops-destination-changed", "high"]]],
  ])("%s", (_name, base, head, expected) => {
    expect(classify(base, head)).toEqual(expected);
  });
});
