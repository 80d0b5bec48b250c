/**
 * Config files of tools that are written like Kubernetes objects but that no API server serves:
 * `skaffold.yaml` (`skaffold/v4beta6 Config`), a kind cluster config, a kubeconfig. kubectl
 * reads them happily offline, but `kubectl apply` gets "no matches for kind" from every cluster,
 * so they are not infrastructure of the repository: a file holding only such objects is not a
 * manifest (no target, nothing to review), counted like any other file that is not
 * infrastructure.
 *
 * An entry is here only when a cluster cannot serve it, or serves it only in theory:
 * - groups without a dot that Kubernetes does not define itself (`skaffold`, `builtin`):
 *   a CustomResourceDefinition's group must contain a dot, so no cluster serves them;
 * - the core group's `Config` (kubeconfig): the core group has no such kind;
 * - groups Kubernetes reserves for its components' own config files (kubeadm, kubelet, …), which
 *   the API server never serves;
 * - a tool's own group with the kind its config file uses (kind, k3d, ctlptl, Backstage's catalog
 *   descriptors), which no controller serves. A CRD could claim these; that cluster would be one built to fool a review.
 * Anything else with an apiVersion and a kind stays a resource: kubectl applies it.
 */

interface ToolConfig {
  tool: string;
  /** The group of the apiVersion (before the `/`; "" for `v1`). */
  group: string;
  /** Versions of the group (all when absent). */
  version?: RegExp;
  /** Kinds of the group (all when absent). */
  kinds?: readonly string[];
}

const TOOL_CONFIGS: readonly ToolConfig[] = [
  { tool: "skaffold", group: "skaffold" },
  { tool: "kustomize (builtin plugin config)", group: "", version: /^builtin$/ },
  { tool: "kustomize", group: "kustomize.config.k8s.io", kinds: ["Kustomization", "Component"] },
  { tool: "kubectl (kubeconfig)", group: "", version: /^v1$/, kinds: ["Config"] },
  { tool: "kubeadm", group: "kubeadm.k8s.io" },
  { tool: "kubelet", group: "kubelet.config.k8s.io" },
  { tool: "kube-proxy", group: "kubeproxy.config.k8s.io" },
  { tool: "kube-scheduler", group: "kubescheduler.config.k8s.io" },
  { tool: "kube-apiserver", group: "apiserver.config.k8s.io" },
  { tool: "kube-apiserver (audit policy)", group: "audit.k8s.io", kinds: ["Policy"] },
  { tool: "kind", group: "kind.x-k8s.io", kinds: ["Cluster"] },
  { tool: "k3d", group: "k3d.io", kinds: ["Simple", "Cluster"] },
  { tool: "ctlptl", group: "ctlptl.dev", kinds: ["Cluster", "Registry"] },
  // catalog-info.yaml: entity descriptors the Backstage catalog reads from the repository.
  { tool: "Backstage (catalog)", group: "backstage.io", kinds: ["Component", "API", "Resource", "System", "Domain", "Group", "User", "Location"] },
  { tool: "Backstage (scaffolder)", group: "scaffolder.backstage.io", kinds: ["Template"] },
];

/** The tool whose config file an object with this apiVersion and kind is, if any. */
export function toolConfigOf(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  const entry = TOOL_CONFIGS.find((c) => c.group === group && (!c.version || c.version.test(version)) && (!c.kinds || c.kinds.includes(kind)));
  return entry?.tool;
}
