/**
 * Kubernetes API versions that stopped being served, from the official Deprecated API
 * Migration Guide (kubernetes.io/docs/reference/using-api/deprecation-guide). The bundled
 * schemas only reach back to 1.28, so this table is what lets Shipshape say *when* an older
 * API went away and *what to use instead*; for APIs removed within the bundled range the
 * bundles' own history (schemas/kubernetes/index.json) fills in anything missing here.
 */

export interface ApiRemoval {
  /** apiVersion that is no longer served, e.g. "policy/v1beta1". */
  apiVersion: string;
  kinds: readonly string[];
  /** First minor version that does not serve it, e.g. "1.25". */
  removedIn: string;
  /** apiVersion to migrate to; absent when the API has no successor. */
  replacement?: string;
  /** When the API was marked deprecated, if the guide says so; warnings start there. */
  deprecatedIn?: string;
  /** What to do instead when there is no replacement apiVersion. */
  note?: string;
}

const WORKLOADS = ["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "ControllerRevision"];

export const API_REMOVALS: readonly ApiRemoval[] = [
  // 1.16
  { apiVersion: "extensions/v1beta1", kinds: ["DaemonSet", "Deployment", "ReplicaSet"], removedIn: "1.16", replacement: "apps/v1" },
  { apiVersion: "extensions/v1beta1", kinds: ["NetworkPolicy"], removedIn: "1.16", replacement: "networking.k8s.io/v1" },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["PodSecurityPolicy"],
    removedIn: "1.16",
    note: "PodSecurityPolicy itself was removed in 1.25; use Pod Security Admission",
  },
  { apiVersion: "apps/v1beta1", kinds: WORKLOADS, removedIn: "1.16", replacement: "apps/v1" },
  { apiVersion: "apps/v1beta2", kinds: WORKLOADS, removedIn: "1.16", replacement: "apps/v1" },
  // 1.22
  {
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    removedIn: "1.22",
    replacement: "admissionregistration.k8s.io/v1",
  },
  { apiVersion: "apiextensions.k8s.io/v1beta1", kinds: ["CustomResourceDefinition"], removedIn: "1.22", replacement: "apiextensions.k8s.io/v1" },
  { apiVersion: "apiregistration.k8s.io/v1beta1", kinds: ["APIService"], removedIn: "1.22", replacement: "apiregistration.k8s.io/v1" },
  { apiVersion: "authentication.k8s.io/v1beta1", kinds: ["TokenReview"], removedIn: "1.22", replacement: "authentication.k8s.io/v1" },
  {
    apiVersion: "authorization.k8s.io/v1beta1",
    kinds: ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview"],
    removedIn: "1.22",
    replacement: "authorization.k8s.io/v1",
  },
  { apiVersion: "certificates.k8s.io/v1beta1", kinds: ["CertificateSigningRequest"], removedIn: "1.22", replacement: "certificates.k8s.io/v1" },
  { apiVersion: "coordination.k8s.io/v1beta1", kinds: ["Lease"], removedIn: "1.22", replacement: "coordination.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", kinds: ["Ingress"], removedIn: "1.22", replacement: "networking.k8s.io/v1" },
  { apiVersion: "networking.k8s.io/v1beta1", kinds: ["Ingress", "IngressClass"], removedIn: "1.22", replacement: "networking.k8s.io/v1" },
  {
    apiVersion: "rbac.authorization.k8s.io/v1beta1",
    kinds: ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    removedIn: "1.22",
    replacement: "rbac.authorization.k8s.io/v1",
  },
  { apiVersion: "scheduling.k8s.io/v1beta1", kinds: ["PriorityClass"], removedIn: "1.22", replacement: "scheduling.k8s.io/v1" },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
    removedIn: "1.22",
    replacement: "storage.k8s.io/v1",
  },
  // 1.25
  { apiVersion: "batch/v1beta1", kinds: ["CronJob"], removedIn: "1.25", replacement: "batch/v1" },
  { apiVersion: "discovery.k8s.io/v1beta1", kinds: ["EndpointSlice"], removedIn: "1.25", replacement: "discovery.k8s.io/v1" },
  { apiVersion: "events.k8s.io/v1beta1", kinds: ["Event"], removedIn: "1.25", replacement: "events.k8s.io/v1" },
  { apiVersion: "autoscaling/v2beta1", kinds: ["HorizontalPodAutoscaler"], removedIn: "1.25", replacement: "autoscaling/v2" },
  { apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget"], removedIn: "1.25", replacement: "policy/v1" },
  { apiVersion: "policy/v1beta1", kinds: ["PodSecurityPolicy"], removedIn: "1.25", note: "use Pod Security Admission" },
  { apiVersion: "node.k8s.io/v1beta1", kinds: ["RuntimeClass"], removedIn: "1.25", replacement: "node.k8s.io/v1" },
  // 1.26
  { apiVersion: "autoscaling/v2beta2", kinds: ["HorizontalPodAutoscaler"], removedIn: "1.26", replacement: "autoscaling/v2" },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    removedIn: "1.26",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  // 1.27
  { apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], removedIn: "1.27", replacement: "storage.k8s.io/v1" },
  // 1.29
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    removedIn: "1.29",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
    deprecatedIn: "1.26",
  },
  // 1.32
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    removedIn: "1.32",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
    deprecatedIn: "1.29",
  },
];

const BY_KEY = new Map<string, ApiRemoval>();
for (const removal of API_REMOVALS) {
  for (const kind of removal.kinds) BY_KEY.set(`${removal.apiVersion}/${kind}`, removal);
}

/** The removal of this apiVersion and kind, if the guide lists one. */
export function findApiRemoval(apiVersion: string, kind: string): ApiRemoval | undefined {
  return BY_KEY.get(`${apiVersion}/${kind}`);
}

/** Minor number of "1.25"; versions are compared as numbers, never as strings ("1.9" < "1.10"). */
export function minorOf(version: string): number {
  const dot = version.indexOf(".");
  return Number(version.slice(dot + 1));
}
