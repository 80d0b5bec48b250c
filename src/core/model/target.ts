/** The kinds of render target Shipshape knows. Renderers register under these names. */
export type TargetType = "kustomize" | "helm" | "compose" | "manifests" | "argocd" | "flux";

export const TARGET_TYPES: readonly TargetType[] = ["kustomize", "helm", "compose", "manifests", "argocd", "flux"];

/** The GitOps controllers whose applications are targets; the other types are folders. */
export type Controller = "argocd" | "flux";

const CONTROLLERS: Partial<Record<TargetType, Controller>> = { argocd: "argocd", flux: "flux" };

/** The controller that deploys a target of this type, or undefined for a folder target. */
export function controllerOf(type: TargetType): Controller | undefined {
  return CONTROLLERS[type];
}

/**
 * One thing that renders to a set of resources: a kustomization directory, a chart,
 * a Compose project or a directory of plain manifests. Paths are repo-relative POSIX
 * paths without a leading "./"; the repository root is ".".
 */
export interface TargetSpec {
  /** Repo-relative path, plus `#name` when the config names the target. */
  id: string;
  type: TargetType;
  path: string;
  name?: string;
  /** Helm release name; defaults to the chart name. */
  releaseName?: string;
  /** Namespace given to namespaced resources that have none (and to `helm template`). */
  namespace?: string;
  /** Helm values files, relative to the chart directory. */
  valueFiles?: string[];
  /** Compose files relative to the target directory, merged in order. */
  composeFiles?: string[];
  /** Compose profiles to activate. */
  composeProfiles?: string[];
  /** Extra interpolation values for Compose (override the project's .env). */
  composeEnv?: Record<string, string>;
  kubernetesVersion?: string;
  /**
   * GitOps targets (argocd, flux): where the application object that defines the target is,
   * so each side's renderer reads its own version of it.
   */
  definedIn?: { file: string; index: number };
  /**
   * GitOps targets found in another target's rendered output (app-of-apps): the object as that
   * side rendered it, the target that rendered it and how deep the chain is (1 for a child).
   */
  renderedFrom?: {
    target: string;
    depth: number;
    object: Record<string, unknown>;
    file?: string;
    line?: number;
    /** Objects of the same render the object reads (Flux sources, `valuesFrom`/`substituteFrom` ConfigMaps and Secrets a generator makes), and the file each comes from when known. */
    sources?: { object: Record<string, unknown>; file?: string }[];
  };
  /** GitOps targets: the kind of the application object (Application, ApplicationSet, Kustomization, HelmRelease). */
  kind?: string;
  /** True when the target comes from the config file rather than discovery. */
  explicit?: boolean;
}

export function targetId(path: string, name?: string): string {
  return name ? `${path}#${name}` : path;
}
