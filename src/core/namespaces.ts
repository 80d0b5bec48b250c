/**
 * Namespace defaulting: a namespaced object rendered without a namespace lands in the
 * target's namespace (or "default"), exactly as `kubectl apply -n` would put it; a
 * cluster-scoped one never has a namespace (the API server ignores one that is written).
 * The scope comes from a lookup the pipeline builds (CRDs' `spec.scope`, the schema
 * bundle's API paths), then from the list below, which also names cluster-scoped custom
 * kinds whose CRD is rarely in the repository; kinds nobody knows are treated as
 * namespaced, which is right for nearly all custom kinds.
 */
import { apiGroup, type Resource } from "./model/resource.js";

const CLUSTER_SCOPED = new Set([
  "|Namespace",
  "|Node",
  "|PersistentVolume",
  "|ComponentStatus",
  "rbac.authorization.k8s.io|ClusterRole",
  "rbac.authorization.k8s.io|ClusterRoleBinding",
  "apiextensions.k8s.io|CustomResourceDefinition",
  "apiregistration.k8s.io|APIService",
  "storage.k8s.io|StorageClass",
  "storage.k8s.io|CSIDriver",
  "storage.k8s.io|CSINode",
  "storage.k8s.io|VolumeAttachment",
  "scheduling.k8s.io|PriorityClass",
  "node.k8s.io|RuntimeClass",
  "networking.k8s.io|IngressClass",
  "admissionregistration.k8s.io|ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io|MutatingWebhookConfiguration",
  "admissionregistration.k8s.io|ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io|ValidatingAdmissionPolicyBinding",
  "certificates.k8s.io|CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io|FlowSchema",
  "flowcontrol.apiserver.k8s.io|PriorityLevelConfiguration",
  "policy|PodSecurityPolicy",
  "kyverno.io|ClusterPolicy",
  "kyverno.io|ClusterCleanupPolicy",
  "wgpolicyk8s.io|ClusterPolicyReport",
  "cert-manager.io|ClusterIssuer",
  "gateway.networking.k8s.io|GatewayClass",
  "policy.networking.k8s.io|AdminNetworkPolicy",
  "policy.networking.k8s.io|BaselineAdminNetworkPolicy",
  "cilium.io|CiliumClusterwideNetworkPolicy",
  "crd.projectcalico.org|GlobalNetworkPolicy",
  "projectcalico.org|GlobalNetworkPolicy",
  "snapshot.storage.k8s.io|VolumeSnapshotClass",
  "snapshot.storage.k8s.io|VolumeSnapshotContent",
  "external-secrets.io|ClusterSecretStore",
  "external-secrets.io|ClusterExternalSecret",
  "karpenter.sh|NodePool",
  "karpenter.k8s.aws|EC2NodeClass",
]);

export type KindScope = "namespaced" | "cluster";

/** The scope of a kind as the schemas of this run tell, or undefined when they do not. */
export type ScopeLookup = (apiVersion: string, kind: string) => KindScope | undefined;

export function isClusterScoped(r: { apiVersion: string; kind: string }, scopeOf?: ScopeLookup): boolean {
  const known = scopeOf?.(r.apiVersion, r.kind);
  if (known) return known === "cluster";
  return CLUSTER_SCOPED.has(`${apiGroup(r.apiVersion)}|${r.kind}`);
}

/** Compose objects (group "compose") have no namespaces. */
export function defaultNamespaces(resources: Resource[], namespace: string, scopeOf?: ScopeLookup): Resource[] {
  return resources.map((r) => {
    if (apiGroup(r.apiVersion) === "compose") return r;
    if (isClusterScoped(r, scopeOf)) return r.namespace ? { ...r, namespace: "" } : r;
    return r.namespace ? r : { ...r, namespace };
  });
}
