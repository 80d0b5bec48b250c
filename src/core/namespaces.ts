/**
 * Namespace defaulting: a namespaced object rendered without a namespace lands in the
 * target's namespace (or "default"), exactly as `kubectl apply -n` would put it. Kinds
 * not listed here are treated as namespaced, which is right for nearly all custom kinds.
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
  "cert-manager.io|ClusterIssuer",
]);

export function isClusterScoped(r: { apiVersion: string; kind: string }): boolean {
  return CLUSTER_SCOPED.has(`${apiGroup(r.apiVersion)}|${r.kind}`);
}

/** Compose objects (group "compose") have no namespaces. */
export function defaultNamespaces(resources: Resource[], namespace: string): Resource[] {
  return resources.map((r) => {
    if (apiGroup(r.apiVersion) === "compose") return r;
    if (isClusterScoped(r)) return r.namespace ? { ...r, namespace: "" } : r;
    return r.namespace ? r : { ...r, namespace };
  });
}
