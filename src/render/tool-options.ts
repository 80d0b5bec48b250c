/** What renderers that run external binaries need from the entry point. Read once, passed down. */
import type { ChartCredentials } from "./chart-credentials.js";
import type { NetworkIsolationSetting } from "./network-isolation.js";

export type BinaryName = "helm" | "kustomize" | "kubectl";

/** A binary the operator chose, and where they chose it, for messages. */
export interface BinaryOverride {
  /** Absolute path (the entry point resolves a relative one against its working directory). */
  path: string;
  /** The flag or environment variable that set it: "--helm", "SHIPSHAPE_HELM". */
  source: string;
}

export interface ToolOptions {
  /**
   * Binaries the operator chose (CLI flags, environment variables); these win over PATH and
   * tools/bin. Never from a repository or its config: what runs is the operator's choice.
   */
  binaries: Partial<Record<BinaryName, BinaryOverride>>;
  /** The PATH value to search, read once by the entry point (never from process.env here). */
  searchPath: string;
  /** Project-local folder where `npm ci` provisions helm and kubectl (tools/bin). */
  toolsDir: string;
  /** Scratch directory for HOME/cache folders of child processes; created by the caller. */
  scratchDir: string;
  /** SHIPSHAPE_NETWORK_ISOLATION, read by the entry point; absent: `auto`. */
  network?: NetworkIsolationSetting;
  /**
   * GitOps sources, from the base side's config (never the pull request's): the repository's
   * own URLs, and the hosts remote charts may be pulled from. Absent: none.
   */
  gitops?: GitopsToolOptions;
}

export interface GitopsToolOptions {
  /** gitops.repositoryUrls: a GitRepository with one of these URLs is this repository. */
  repositoryUrls: readonly string[];
  /** gitops.allowedHosts: `host` or `host:port` that charts may be pulled from. */
  allowedHosts: readonly string[];
  /** Content-addressed chart cache; absent: a folder in the scratch directory. */
  chartCacheDir?: string;
  /**
   * The operator's credentials for private chart hosts (SHIPSHAPE_CHART_CREDENTIALS, the
   * Action's `chart-credentials`), keyed by host[:port]; never from the repository. Absent: none.
   */
  credentials?: ChartCredentials;
}
