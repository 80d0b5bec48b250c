/**
 * A Flux HelmRelease whose chart moves to a new major version brings whatever the chart's
 * authors broke on purpose (renamed values, removed objects, migrations), whatever the rendered
 * diff happens to show. The version is where the chart is chosen: a HelmRelease's
 * `spec.chart.spec.version`, or for a `chartRef` the HelmChart's `spec.version` or the chart
 * OCIRepository's `spec.ref.semver` / `spec.ref.tag`.
 */
import { get } from "../../diff/summary/access.js";
import { describeRef, type Resource } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { isKind } from "./match.js";

const CHART_CHOOSERS = new Set(["helm.toolkit.fluxcd.io|HelmRelease", "source.toolkit.fluxcd.io|HelmChart", "source.toolkit.fluxcd.io|OCIRepository"]);
/** The media type of a Helm chart layer: an OCIRepository selecting it holds a chart (others hold manifests). */
const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

export const helmReleaseMajorBump: ChangeRule = {
  id: "helmrelease-chart-major",
  scope: "change",
  category: "gitops",
  level: "high",
  description: "A Flux HelmRelease's chart version moves to a new major version (spec.chart.spec.version, or its chartRef's HelmChart spec.version or OCIRepository spec.ref).",
  evaluate({ change, base, head }) {
    if (!isKind(change, CHART_CHOOSERS) || change.action !== "modified" || !base || !head) return undefined;
    const from = chartVersion(base);
    const to = chartVersion(head);
    if (!from || !to) return undefined;
    const a = major(from);
    const b = major(to);
    if (a === undefined || b === undefined || a === b) return undefined;
    return `${describeRef(change)}: chart version ${from} → ${to}, a new major version`;
  },
};

function chartVersion(r: Resource): string | undefined {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  if (r.kind === "HelmRelease") return str(get(r.body, "spec", "chart", "spec", "version"));
  if (r.kind === "HelmChart") return str(get(r.body, "spec", "version"));
  if (get(r.body, "spec", "layerSelector", "mediaType") !== HELM_CHART_LAYER) return undefined;
  return str(get(r.body, "spec", "ref", "semver")) ?? str(get(r.body, "spec", "ref", "tag"));
}

/** The major version of an exact version or of a range's lowest bound (">=1.2.0 <2", "~6.7", "6.x"). */
function major(version: string): number | undefined {
  const m = /(\d+)(\.|$|\s|x)/.exec(version.replace(/^[\s>=~^v]+/, ""));
  return m ? Number(m[1]) : undefined;
}
