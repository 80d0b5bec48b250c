/**
 * Every command line Shipshape gives helm, kustomize and kubectl is built here, and nowhere
 * else. Folder names, chart names and values files come from an untrusted pull request, so
 * none of them may ever be read as an option:
 *
 * - options come first, always in `--flag=value` form, and every value that is not ours is
 *   checked (release names, namespaces, Kubernetes versions) or `./`-prefixed (paths);
 * - positional arguments come after `--` (cobra, which all three tools use, reads nothing
 *   after it as a flag) and paths are `./relative` besides, which also keeps kustomize from
 *   reading a folder such as `github.com/org/repo` as a remote repository.
 *
 * A value that cannot be made safe is refused with a finding; a bad release name is replaced
 * by a safe one derived from it, with a warning, because the chart still renders correctly.
 */
import type { InputProblem } from "../core/ports.js";
import { at } from "./repo-path.js";

/** The three binaries, and how the kustomize renderer runs (standalone or inside kubectl). */
export type ToolFlavour = "helm" | "kustomize" | "kubectl";

export type ArgvBuild = { ok: true; args: string[]; warnings: InputProblem[] } | { ok: false; problems: InputProblem[] };

/** Helm's own rule (helm prints it when it refuses a name): DNS-1123 subdomain, at most 53 characters. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const RELEASE_NAME_MAX = 53;
/** A Kubernetes namespace is a DNS-1123 label: at most 63 characters. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAMESPACE_MAX = 63;
/** What `normalizeKubernetesVersion` produces (1.31), or a full patch version. */
const KUBE_VERSION = /^1\.\d{1,3}(\.\d{1,4})?$/;
/** Control characters: helm refuses them in values paths, and no sane repository path holds one. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Longest piece of repository text quoted in a message. */
const QUOTE_MAX = 80;

export function isValidReleaseName(name: string): boolean {
  return name.length <= RELEASE_NAME_MAX && RELEASE_NAME.test(name);
}

export function isValidNamespace(name: string): boolean {
  return name.length <= NAMESPACE_MAX && NAMESPACE.test(name);
}

export function isValidKubeVersion(version: string): boolean {
  return KUBE_VERSION.test(version);
}

/**
 * A valid release name made from any text: lower-cased, every run of other characters
 * turned into one "-", each dot-separated part trimmed to start and end with a letter or
 * digit, cut to 53 characters. "release" when nothing usable is left.
 */
export function deriveReleaseName(text: string): string {
  const parts = text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .split(".")
    .map((part) => part.replace(/^-+|-+$/g, ""))
    .filter((part) => part !== "");
  let name = parts.join(".");
  if (name.length > RELEASE_NAME_MAX) name = name.slice(0, RELEASE_NAME_MAX).replace(/[-.]+$/, "");
  return name === "" ? "release" : name;
}

/**
 * A repository-relative POSIX path as a tool argument: "./path" ("./" for the root), or
 * undefined when it is not a plain path inside the repository (absolute, `..` or empty
 * segments, NUL). Callers pass paths they already resolved; this is the last check.
 */
export function pathArg(repoPath: string): string | undefined {
  if (repoPath === ".") return "./";
  if (repoPath === "" || repoPath.includes("\0") || repoPath.startsWith("/")) return undefined;
  const segments = repoPath.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return undefined;
  return `./${repoPath}`;
}

/** Where the release name came from, so a bad one can be reported where it is written. */
export interface ReleaseNameSource {
  name: string;
  /** config: the target's `releaseName`; chart: Chart.yaml `name`; path: the chart folder's name. */
  from: "config" | "chart" | "path";
  file?: string;
  line?: number;
}

export interface HelmTemplateRequest {
  /** Target id, for messages. */
  target: string;
  /** Repo-relative chart folder. */
  chartDir: string;
  release: ReleaseNameSource;
  namespace: string;
  /** Repo-relative values files, already resolved and checked against the tree. */
  valueFiles: readonly string[];
  kubeVersion?: string;
  skipSchemaValidation: boolean;
  /** Render as `helm upgrade` of an existing release would (`.Release.IsUpgrade`). */
  isUpgrade?: boolean;
  /** Extra APIs `.Capabilities.APIVersions` reports; each must pass `isValidApiVersion`. */
  apiVersions?: readonly string[];
  /**
   * Absolute paths of values files Shipshape itself wrote in the scratch folder (an Argo CD
   * Application's inline values and parameters), given after `valueFiles`. Never repository paths.
   */
  scratchValueFiles?: readonly string[];
  /** Leave the chart's crds/ folder out (Argo CD `skipCrds`): no `--include-crds`. */
  skipCrds?: boolean;
}

/**
 * `group/version` or `group/version/Kind` as `--api-versions` takes it: no comma (the flag is
 * a CSV string slice), no quote, no leading dash.
 */
const API_VERSION = /^[a-z0-9][a-z0-9.-]{0,252}\/v[a-z0-9]{1,20}(\/[A-Za-z][A-Za-z0-9]{0,62})?$/;

export function isValidApiVersion(text: string): boolean {
  return API_VERSION.test(text);
}

/** `helm template --namespace=NS --include-crds [--values=./V]… [--kube-version=V] [--is-upgrade] [--api-versions=A]… -- RELEASE ./CHART` */
export function helmTemplateArgv(req: HelmTemplateRequest): ArgvBuild {
  const problems: InputProblem[] = [];
  const warnings: InputProblem[] = [];
  const chart = pathArg(req.chartDir);
  if (chart === undefined) problems.push(unsafePath(req.target, "chart folder", req.chartDir));
  if (!isValidNamespace(req.namespace)) {
    problems.push({
      ruleId: "render/namespace-invalid",
      severity: "error",
      message:
        `namespace ${quote(req.namespace)} of helm target ${quote(req.target)} is not a valid Kubernetes namespace ` +
        `(lower-case letters, digits and "-", starting and ending with a letter or digit, at most ${NAMESPACE_MAX} characters); fix \`namespace\` in the config`,
    });
  }
  if (req.kubeVersion !== undefined && !isValidKubeVersion(req.kubeVersion)) {
    problems.push({
      ruleId: "render/kube-version-invalid",
      severity: "error",
      message: `Kubernetes version ${quote(req.kubeVersion)} of helm target ${quote(req.target)} is not a version like 1.31 or 1.31.4`,
    });
  }
  const values: string[] = [];
  for (const file of req.valueFiles) {
    const arg = pathArg(file);
    if (arg === undefined || CONTROL.test(file)) problems.push(unsafePath(req.target, "values file", file));
    else values.push(`--values=${csvField(arg)}`);
  }
  for (const file of req.scratchValueFiles ?? []) {
    if (!file.startsWith("/") || CONTROL.test(file)) problems.push(unsafePath(req.target, "generated values file", file));
    else values.push(`--values=${csvField(file)}`);
  }
  if (problems.length > 0) return { ok: false, problems };

  let release = req.release.name;
  if (!isValidReleaseName(release)) {
    release = deriveReleaseName(release);
    warnings.push(invalidReleaseName(req, release));
  }
  const args = ["template", `--namespace=${req.namespace}`, ...(req.skipCrds ? [] : ["--include-crds"]), ...values];
  if (req.kubeVersion !== undefined) args.push(`--kube-version=${req.kubeVersion}`);
  if (req.skipSchemaValidation) args.push("--skip-schema-validation");
  if (req.isUpgrade) args.push("--is-upgrade");
  for (const api of req.apiVersions ?? []) if (isValidApiVersion(api)) args.push(`--api-versions=${api}`);
  args.push("--", release, chart!);
  return { ok: true, args, warnings };
}

/** `kustomize build -- ./DIR` or `kubectl kustomize -- ./DIR`. */
export function kustomizeBuildArgv(flavour: "kustomize" | "kubectl", target: string, dir: string): ArgvBuild {
  const arg = pathArg(dir);
  if (arg === undefined) return { ok: false, problems: [unsafePath(target, "kustomization folder", dir)] };
  return { ok: true, args: [flavour === "kustomize" ? "build" : "kustomize", "--", arg], warnings: [] };
}

/** A chart name as helm repositories index them; never starts with "-" or holds a "/". */
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** A version or a semver constraint (">=1.0.0 <2", "~6.7", "6.x"); no quote, no control character. */
const CHART_VERSION = /^[0-9A-Za-z.+\-<>=~^*|, ]{1,64}$/;

export function isValidChartName(name: string): boolean {
  return CHART_NAME.test(name);
}

export function isValidChartVersion(version: string): boolean {
  return CHART_VERSION.test(version) && !version.startsWith("-");
}

export interface HelmPullRequest {
  /** Absolute folder of ours the archive is written to. */
  destination: string;
  /** http(s) repository URL or oci:// registry path, already checked against gitops.allowedHosts. */
  repoUrl: string;
  chart: string;
  version?: string;
}

/**
 * `helm pull --destination=D [--version=V] --repo=URL -- CHART` (HTTP repositories) or
 * `helm pull --destination=D [--version=V] -- oci://HOST/PATH/CHART`. The chart name and the
 * version are checked; the URL's host was checked against the base side's allowed hosts.
 */
export function helmPullArgv(req: HelmPullRequest): string[] | undefined {
  if (!isValidChartName(req.chart)) return undefined;
  if (req.version !== undefined && !isValidChartVersion(req.version)) return undefined;
  if (/[\s"\u0000-\u001f]/.test(req.repoUrl)) return undefined;
  const args = ["pull", `--destination=${req.destination}`];
  if (req.version !== undefined) args.push(`--version=${req.version}`);
  if (req.repoUrl.startsWith("oci://")) return [...args, "--", `${req.repoUrl.replace(/\/+$/, "")}/${req.chart}`];
  return [...args, `--repo=${req.repoUrl}`, "--", req.chart];
}

/** The version probes; nothing from a repository goes into them. */
const VERSION_ARGV: Readonly<Record<ToolFlavour, readonly string[]>> = {
  helm: ["version", "--short"],
  kustomize: ["version"],
  kubectl: ["version", "--client"],
};

export function versionArgv(flavour: ToolFlavour): string[] {
  return [...VERSION_ARGV[flavour]];
}

/**
 * helm splits `--values` on commas, reading the value as one CSV record (pflag's string
 * slice): "./a,http://host/x" would be two values files, the second fetched over HTTP.
 * A field with a comma or a quote is quoted the CSV way so it stays one path.
 */
function csvField(value: string): string {
  return /[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function invalidReleaseName(req: HelmTemplateRequest, derived: string): InputProblem {
  const { name, from, file, line } = req.release;
  const what = from === "config" ? "releaseName" : from === "chart" ? "chart name" : "chart folder name";
  const where = file ? `${at(file, line)}: ` : "";
  const fix = from === "config" ? "fix `releaseName`" : "set `releaseName` for this target";
  return {
    ruleId: "render/release-name-invalid",
    severity: "warning",
    message:
      `${where}${what} ${quote(name)} is not a valid helm release name (lower-case letters, digits, "-" and ".", ` +
      `starting and ending with a letter or digit, at most ${RELEASE_NAME_MAX} characters); rendered as release "${derived}". ` +
      `To choose the name, ${fix} in the config (.github/shipshape.yml)`,
    ...(file ? { file } : {}),
    ...(line !== undefined ? { line } : {}),
  };
}

function unsafePath(target: string, what: string, path: string): InputProblem {
  return {
    ruleId: "render/unsafe-path",
    severity: "error",
    message:
      `${what} ${quote(path)} of target ${quote(target)} cannot be passed to the renderer safely ` +
      "(absolute, with \"..\" or empty segments, or with control characters); rename it",
  };
}

/** JSON-quoted (newlines and quotes visible), and cut: the text comes from a repository. */
function quote(text: string): string {
  const cut = text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX)}…` : text;
  return JSON.stringify(cut);
}
