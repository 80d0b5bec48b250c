/**
 * Helm targets by convention: every directory with a Chart.yaml, except subcharts. A
 * chart under another chart's `charts/` folder renders as part of its parent, with the
 * parent's values; rendering it alone would be a different (and often broken) release.
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { Tree } from "../../core/ports.js";
import { dirOf } from "../repo-path.js";

export function isChartFile(path: string): boolean {
  return path === "Chart.yaml" || path.endsWith("/Chart.yaml");
}

export function discoverCharts(tree: Tree): TargetSpec[] {
  const chartDirs = new Set(tree.files().filter(isChartFile).map(dirOf));
  return [...chartDirs]
    .filter((dir) => !isSubchart(dir, chartDirs))
    .sort()
    .map((dir) => ({ id: dir, type: "helm", path: dir }));
}

function isSubchart(dir: string, chartDirs: Set<string>): boolean {
  const segments = dir.split("/");
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] !== "charts") continue;
    const parent = i === 0 ? "." : segments.slice(0, i).join("/");
    if (chartDirs.has(parent)) return true;
  }
  return false;
}
