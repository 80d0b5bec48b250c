/**
 * Which files of a folder are manifests. `kubectl apply -f <folder>` reads every `.json`, `.yaml`
 * and `.yml` file in it, dot files included (`-R` also enters dot folders), whatever its name;
 * Argo CD's directory source does the same. A file counts when kubectl finds a Kubernetes object
 * in it: decided on its documents as kubectl reads them (quoted keys, JSON, merge keys, lists),
 * never on how the text looks. Files of other tools are left out by name: kustomize's and Helm's
 * own, Helm values inside a chart, Shipshape's config; and by content: config files of tools that
 * no cluster serves (tool-configs.ts).
 */
import type { Tree } from "../../core/ports.js";
import type { ToResourcesResult } from "../to-resources.js";
import { toolConfigOf } from "./tool-configs.js";

/** The extensions kubectl reads in a folder (it compares them exactly; any case is read here). */
const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;
const OTHER_TOOLS = /(?:^|\/)(?:kustomization\.ya?ml|Kustomization|Chart\.ya?ml|\.shipshape\.ya?ml)$/;
const HELM_VALUES = /(?:^|\/)values[^/]*\.ya?ml$/;
/**
 * A `kind` key needs the word, an escape (`"\x6bind"`), a `!!binary` key or a tag spelled with
 * `%` escapes: text with none of them holds no object and is not parsed.
 */
const MAY_HOLD_KIND = /kind|\\|binary|%/;
/** The same for the second key an object needs: `apiVersion`, or `items` for a list. */
const MAY_HOLD_IDENTITY = /apiVersion|items|\\|binary|%/;

export function dirOf(file: string): string {
  const i = file.lastIndexOf("/");
  return i === -1 ? "." : file.slice(0, i);
}

export function isCandidate(tree: Tree, file: string): boolean {
  if (!MANIFEST_FILE.test(file) || OTHER_TOOLS.test(file)) return false;
  return !HELM_VALUES.test(file) || !isInChart(tree, file);
}

export function mayHoldObjects(text: string): boolean {
  return MAY_HOLD_KIND.test(text) && MAY_HOLD_IDENTITY.test(text);
}

/**
 * Whether the file is a manifest. When part of it cannot be read (or reads differently to kubectl)
 * and it may hold an object, it is, so that the error is reported rather than the file skipped.
 * A file holding only config files of other tools (tool-configs.ts) never is. Otherwise:
 * - to make its folder a target (`inTarget` false), it must hold an object kubectl would apply:
 *   one with a name. YAML of another shape (an IstioOperator profile without a name, a list of
 *   settings) is no manifest; kubectl refuses it or applies nothing;
 * - in a folder that is a target, any Kubernetes-shaped document counts, so that what kubectl
 *   would refuse there is reported.
 */
export function holdsObjects(parsed: ToResourcesResult, text: string, inTarget: boolean): boolean {
  if (parsed.doubtful && mayHoldObjects(text)) return true;
  if (parsed.identities.every((o) => toolConfigOf(o.apiVersion, o.kind) !== undefined)) return false;
  return inTarget || parsed.resources.some((r) => toolConfigOf(r.apiVersion, r.kind) === undefined);
}

const chartFolders = new WeakMap<Tree, Set<string>>();

/**
 * Inside a folder with a Chart.yaml, or below one: part of a chart (templates, CRDs, CI values,
 * examples), rendered by helm, so plain-manifest discovery never makes a target of it.
 */
export function isInChart(tree: Tree, file: string): boolean {
  let charts = chartFolders.get(tree);
  if (!charts) {
    charts = new Set(tree.files().filter((f) => f === "Chart.yaml" || f.endsWith("/Chart.yaml")).map(dirOf));
    chartFolders.set(tree, charts);
  }
  if (charts.size === 0) return false;
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    if (charts.has(dir)) return true;
    if (dir === ".") return false;
  }
}
