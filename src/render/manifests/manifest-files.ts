/**
 * Which files of a folder are manifests. `kubectl apply -f <folder>` reads every `.json`, `.yaml`
 * and `.yml` file in it, dot files included (`-R` also enters dot folders), whatever its name;
 * Argo CD's directory source does the same. A file counts when kubectl finds a Kubernetes object
 * in it: decided on its documents as kubectl reads them (quoted keys, JSON, merge keys, lists),
 * never on how the text looks. Files of other tools are left out by name: kustomize's and Helm's
 * own, Helm values inside a chart, Shipshape's config.
 */
import type { Tree } from "../../core/ports.js";
import type { ToResourcesResult } from "../to-resources.js";

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
  return !HELM_VALUES.test(file) || !insideChart(tree, file);
}

export function mayHoldObjects(text: string): boolean {
  return MAY_HOLD_KIND.test(text) && MAY_HOLD_IDENTITY.test(text);
}

/**
 * A file holds objects when one of its documents is one; when part of it cannot be read (or
 * reads differently to kubectl), when it may hold one, so that the error is reported rather than
 * the file skipped.
 */
export function holdsObjects(parsed: ToResourcesResult, text: string): boolean {
  return parsed.objects > 0 || (parsed.doubtful && mayHoldObjects(text));
}

const chartFolders = new WeakMap<Tree, Set<string>>();

/** Inside a folder with a Chart.yaml, or below one. */
function insideChart(tree: Tree, file: string): boolean {
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
