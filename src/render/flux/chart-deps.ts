/**
 * Chart dependencies that must be downloaded, as source-controller (for a chart of a Git source)
 * and Argo CD's repo server (`helm dependency build`) download them before rendering: every
 * dependency of Chart.yaml (requirements.yaml for v1 charts; the lock file's list and exact
 * versions when there is one) with an http(s) or oci:// repository and no chart of its name in
 * `charts/` is pulled with chart-pull.ts — allowed hosts only, digests checked, cached — into
 * `charts/` of a scratch copy of the chart, never of the repository. `file://` dependencies and
 * those without a repository are left to helm, as before: they must be in the chart.
 */
import { copyFile, cp, mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { RenderLimits } from "../../core/ports.js";
import type { ToolOptions } from "../tool-options.js";
import { isPlainObject, parseYamlMapping } from "../../yaml/parse.js";
import { pullChart } from "./chart-pull.js";
import { scratchFolder } from "./scratch.js";

/** More than this many downloads for one chart is no chart anyone deploys. */
const MAX_DOWNLOADS = 32;

export interface Dependency {
  name: string;
  version?: string;
  repository?: string;
}

export type DependencyFetch = { ok: true; fetched: string[] } | { ok: false; why: string; toolError?: boolean };

/** A repository helm would download from: http(s) or oci. */
export function isDownloadable(repository: string | undefined): boolean {
  return repository !== undefined && /^(https?|oci):\/\//i.test(repository);
}

/** The dependencies `helm dependency build` reads: the lock's when there is one, else the chart's. */
export function declaredDependencies(chartYaml: string, requirementsYaml: string | undefined, lockYaml: string | undefined): Dependency[] {
  const list = (text: string | undefined): Dependency[] | undefined => {
    const parsed = text === undefined ? undefined : parseYamlMapping(text).value;
    if (!parsed || !Array.isArray(parsed.dependencies)) return undefined;
    return parsed.dependencies.filter(isPlainObject).flatMap((d) =>
      typeof d.name === "string" && d.name !== ""
        ? [{ name: d.name, ...(typeof d.version === "string" && d.version !== "" ? { version: d.version } : {}), ...(typeof d.repository === "string" ? { repository: d.repository } : {}) }]
        : [],
    );
  };
  return list(lockYaml) ?? list(requirementsYaml) ?? list(chartYaml) ?? [];
}

/** The dependencies of the chart in `chartDir` that must be downloaded (declared, downloadable, not in charts/). */
export async function dependenciesToDownload(chartDir: string): Promise<Dependency[]> {
  const read = (name: string) => readFile(join(chartDir, name), "utf8").catch(() => undefined);
  const chartYaml = await read("Chart.yaml");
  if (chartYaml === undefined) return [];
  const requirements = await read("requirements.yaml");
  const lock = (await read("Chart.lock")) ?? (await read("requirements.lock"));
  const present = await vendoredNames(join(chartDir, "charts"));
  const wanted = new Map<string, Dependency>();
  for (const dep of declaredDependencies(chartYaml, requirements, lock)) {
    if (present.has(dep.name) || wanted.has(dep.name) || !isDownloadable(dep.repository)) continue;
    wanted.set(dep.name, dep);
  }
  return [...wanted.values()];
}

/** Pulls what `chartDir` (a scratch copy) declares and lacks into its charts/. */
export async function fetchChartDependencies(chartDir: string, opts: ToolOptions, limits: Pick<RenderLimits, "signal">): Promise<DependencyFetch> {
  const wanted = new Map((await dependenciesToDownload(chartDir)).map((d) => [d.name, d]));
  if (wanted.size === 0) return { ok: true, fetched: [] };
  if (wanted.size > MAX_DOWNLOADS) return { ok: false, why: `the chart has ${wanted.size} dependencies to download; Shipshape downloads at most ${MAX_DOWNLOADS}` };
  await mkdir(join(chartDir, "charts"), { recursive: true });
  const fetched: string[] = [];
  for (const dep of wanted.values()) {
    const pulled = await pullChart({ repoUrl: dep.repository!, chart: dep.name, ...(dep.version !== undefined ? { version: dep.version } : {}) }, opts, limits);
    if (!pulled.ok) return { ok: false, why: `chart dependency "${dep.name}"${dep.version ? ` ${dep.version}` : ""} from ${hostOf(dep.repository!)}: ${pulled.why}`, ...(pulled.toolError ? { toolError: true } : {}) };
    // helm loads every archive of charts/ by the chart inside it; the file name only has to be one helm reads.
    await copyFile(pulled.archive, join(chartDir, "charts", `${dep.name}-shipshape-${pulled.digest.slice(0, 12)}.tgz`));
    fetched.push(dep.name);
  }
  return { ok: true, fetched };
}

/** Names of the charts in charts/: folders by their Chart.yaml name, archives by `<name>-<version>.tgz`. */
async function vendoredNames(chartsDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  const entries = await readdir(chartsDir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.startsWith("_") || e.name.startsWith(".")) continue;
    const archive = /^(.+)-v?\d+\.\d+\.\d+[^/]*\.tgz$/.exec(e.name);
    if (e.isFile() && archive) names.add(archive[1]!);
    if (!e.isDirectory()) continue;
    names.add(e.name);
    const meta = parseYamlMapping((await readFile(join(chartsDir, e.name, "Chart.yaml"), "utf8").catch(() => "")) ?? "").value;
    if (typeof meta?.name === "string") names.add(meta.name);
  }
  return names;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url.slice(0, 80);
  }
}

/**
 * A chart folder of a snapshot ready for `helm template`: the snapshot itself when nothing must
 * be downloaded; else a scratch copy of the chart and of the values files (same relative paths,
 * so every path of the command line holds) with the dependencies pulled into its charts/.
 */
export async function chartRootWithDependencies(root: string, folder: string, valueFiles: readonly string[], opts: ToolOptions, limits: Pick<RenderLimits, "signal">): Promise<{ ok: true; root: string } | { ok: false; why: string; toolError?: boolean }> {
  if ((await dependenciesToDownload(join(root, folder))).length === 0) return { ok: true, root };
  const work = await scratchFolder(opts, "chart-deps");
  await cp(join(root, folder), join(work, folder), { recursive: true });
  for (const f of valueFiles) {
    await mkdir(dirname(join(work, f)), { recursive: true });
    await copyFile(join(root, f), join(work, f));
  }
  const fetched = await fetchChartDependencies(join(work, folder), opts, limits);
  return fetched.ok ? { ok: true, root: work } : fetched;
}
