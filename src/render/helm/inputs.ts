/**
 * The files `helm template` reads for a chart target: everything under the chart folder
 * (templates, subcharts, vendored .tgz dependencies, .helmignore) plus the values files
 * the target names, which may live elsewhere in the repository. Dependencies that are
 * declared but not vendored block the render: fetching them would mean the network.
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { InputProblem, InputSet, Tree } from "../../core/ports.js";
import { at, resolveRepoPath } from "../repo-path.js";
import { isDefinitelyRemote } from "../kustomize/remote.js";
import { parseYamlMapping } from "../../yaml/parse.js";
import { joinPath, readChart, type ChartDependency } from "./chart-file.js";
import { isDownloadable } from "../flux/chart-deps.js";

export interface HelmInputs extends InputSet {
  /** Chart name from Chart.yaml, when it could be read. */
  chartName?: string;
  /** Its line in Chart.yaml. */
  chartNameLine?: number;
  /** Repo-relative values files in the order helm must apply them. */
  valueFiles: string[];
}

export function filesUnder(tree: Tree, dir: string): string[] {
  if (dir === ".") return [...tree.files()];
  const prefix = `${dir}/`;
  return tree.files().filter((f) => f.startsWith(prefix));
}

/**
 * `downloadDependencies`: the controller downloads http(s) and oci:// dependencies before it
 * renders (Argo CD's `helm dependency build`), so those need not be vendored (chart-deps.ts).
 */
export async function helmInputs(target: TargetSpec, tree: Tree, options: { downloadDependencies?: boolean } = {}): Promise<HelmInputs> {
  const chartDir = target.path;
  const files = new Set(filesUnder(tree, chartDir));
  const blocking: InputProblem[] = [];
  const valueFiles = resolveValueFiles(target, tree, blocking);
  for (const v of valueFiles) files.add(v);

  const read = await readChart(tree, chartDir);
  if (!read.ok) {
    blocking.push(read.problem);
    return { files, blocking, warnings: [], valueFiles };
  }
  const vendored = await vendoredChartNames(tree, chartDir);
  for (const dep of read.chart.dependencies) {
    if (vendored.has(dep.name) || (options.downloadDependencies && isDownloadable(dep.repository))) continue;
    blocking.push(missingDependency(dep, chartDir));
  }
  return {
    files,
    blocking,
    warnings: [],
    valueFiles,
    ...(read.chart.name ? { chartName: read.chart.name } : {}),
    ...(read.chart.nameLine !== undefined ? { chartNameLine: read.chart.nameLine } : {}),
  };
}

function resolveValueFiles(target: TargetSpec, tree: Tree, blocking: InputProblem[]): string[] {
  const out: string[] = [];
  for (const ref of target.valueFiles ?? []) {
    const where = `values file "${ref}" of helm target ${target.id}`;
    if (isDefinitelyRemote(ref)) {
      blocking.push({ ruleId: "render/remote-base", severity: "error", message: `${where} is remote; Shipshape only reads values files from the repository` });
      continue;
    }
    const path = resolveRepoPath(target.path, ref);
    if (path === undefined) {
      blocking.push({ ruleId: "render/outside-repo", severity: "error", message: `${where} points outside the repository` });
      continue;
    }
    if (!tree.hasFile(path)) {
      blocking.push({ ruleId: "render/missing-file", severity: "error", message: `${where} refers to ${path}, which does not exist` });
      continue;
    }
    out.push(path);
  }
  return out;
}

/**
 * Names of the charts vendored in `charts/`: subchart folders by their Chart.yaml name,
 * archives by their `<name>-<version>.tgz` file name. Helm matches dependencies by name.
 */
async function vendoredChartNames(tree: Tree, chartDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  const chartsDir = joinPath(chartDir, "charts");
  for (const file of filesUnder(tree, chartsDir)) {
    const rest = file.slice(chartsDir.length + 1);
    // Helm loads no subchart whose folder or archive name starts with "_" or ".".
    if (rest.startsWith("_") || rest.startsWith(".")) continue;
    const archive = /^([^/]+)-v?\d+\.\d+\.\d+[^/]*\.tgz$/.exec(rest);
    if (archive) {
      names.add(archive[1]!);
      continue;
    }
    const sub = /^([^/]+)\/Chart\.yaml$/.exec(rest);
    if (!sub) continue;
    names.add(sub[1]!);
    const parsed = parseYamlMapping(await tree.read(file).catch(() => ""));
    if (typeof parsed.value?.name === "string") names.add(parsed.value.name);
  }
  return names;
}

function missingDependency(dep: ChartDependency, chartDir: string): InputProblem {
  const version = dep.version ? ` ${dep.version}` : "";
  const from = dep.repository ? ` from ${dep.repository}` : "";
  return {
    ruleId: "render/helm-missing-dependency",
    severity: "error",
    message:
      `${at(dep.file, dep.line)}: dependency "${dep.name}"${version}${from} is not vendored in ${joinPath(chartDir, "charts")}/. ` +
      `Shipshape does not download chart dependencies; run \`helm dependency build ${chartDir}\` and commit the charts/ folder.`,
    file: dep.file,
    ...(dep.line !== undefined ? { line: dep.line } : {}),
    // The same missing dependency whatever version or repository the change asks for.
    key: `dependency ${dep.name} not vendored`,
  };
}
