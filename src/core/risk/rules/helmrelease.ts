/**
 * A Flux HelmRelease whose chart moves to a new major version brings whatever the chart's
 * authors broke on purpose (renamed values, removed objects, migrations), whatever the rendered
 * diff happens to show.
 */
import { get } from "../../diff/summary/access.js";
import { describeRef, type Resource } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { isKind } from "./match.js";

const HELM_RELEASE = new Set(["helm.toolkit.fluxcd.io|HelmRelease"]);

export const helmReleaseMajorBump: ChangeRule = {
  id: "helmrelease-chart-major",
  scope: "change",
  category: "gitops",
  level: "high",
  description: "A Flux HelmRelease's chart version moves to a new major version (spec.chart.spec.version).",
  evaluate({ change, base, head }) {
    if (!isKind(change, HELM_RELEASE) || change.action !== "modified" || !base || !head) return undefined;
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
  const v = get(r.body, "spec", "chart", "spec", "version");
  return typeof v === "string" ? v : undefined;
}

/** The major version of an exact version or of a range's lowest bound (">=1.2.0 <2", "~6.7", "6.x"). */
function major(version: string): number | undefined {
  const m = /(\d+)(\.|$|\s|x)/.exec(version.replace(/^[\s>=~^v]+/, ""));
  return m ? Number(m[1]) : undefined;
}
