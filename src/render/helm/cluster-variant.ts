/**
 * What a chart applies on a real cluster, when its templates ask about one (cluster-usage.ts).
 * The chart renders a second time as `helm upgrade` of an existing release on a cluster that
 * serves the CRD APIs the chart names (`--is-upgrade --api-versions=…`), and the two renders are
 * compared:
 *
 * - an object only the second render has is added to the review (its policies, risk and diff
 *   see it) with a warning that says when it is applied;
 * - an object the two renders write differently stays as the install writes it, with an error:
 *   the review shows one of two versions;
 * - a chart that fails only on upgrade gets an error, since what it applies then is unknown.
 *
 * `lookup` cannot be answered without a cluster (helm template always finds nothing), nor
 * `.Release.Revision` (always 1), so every template using them to decide gets an error: its
 * output is the cluster's, not the chart's. Each finding
 * names the template file (and line), so one the base already had is not introduced again.
 */
import type { Resource } from "../../core/model/resource.js";
import { describeRef, identityKey } from "../../core/model/resource.js";
import { sortKeys } from "../../core/diff/canonical-yaml.js";
import type { InputProblem } from "../../core/ports.js";
import { at } from "../repo-path.js";
import type { ClusterQuestion, ClusterScan, ClusterUsage } from "./cluster-usage.js";

export const RULE = "render/helm-cluster-dependent";

/** Questions the second render answers; the others cannot be rendered and are reported. */
const RENDERED: ReadonlySet<ClusterQuestion> = new Set(["release-mode", "api-versions"]);

/** Objects named per finding; the rest are counted. */
const MAX_NAMED = 10;

/** Whether the chart needs the second render at all. */
export function needsClusterRender(scan: ClusterScan): boolean {
  return scan.archives.length > 0 || scan.usages.some((u) => RENDERED.has(u.question));
}

/** How the second render was run, for messages. */
export function clusterRenderLabel(crdApis: readonly string[]): string {
  const apis = crdApis.length === 0 ? "" : ` on a cluster serving ${crdApis.length > 3 ? `${crdApis.slice(0, 3).join(", ")} and ${crdApis.length - 3} more` : crdApis.join(", ")}`;
  return `\`helm upgrade\` of an existing release${apis}`;
}

export interface Comparison {
  /** Objects only the cluster render has: added to the review. */
  added: Resource[];
  problems: InputProblem[];
}

export function compareRenders(install: readonly Resource[], cluster: readonly Resource[], scan: ClusterScan, chartFile: string): Comparison {
  const byKey = new Map(install.map((r) => [identityKey(r), r]));
  const added: Resource[] = [];
  const changed: Resource[] = [];
  for (const r of cluster) {
    const twin = byKey.get(identityKey(r));
    if (!twin) added.push(r);
    else if (JSON.stringify(sortKeys(twin.body)) !== JSON.stringify(sortKeys(r.body))) changed.push(twin);
  }
  const label = clusterRenderLabel(scan.crdApis);
  const problems = [
    ...byFile(added, chartFile).map(([file, rs]) =>
      problem("warning", file, rs[0]!.source?.line, `${names(rs)} ${rs.length === 1 ? "is" : "are"} rendered only by ${label} (${why(scan, file)}); \`helm template\` alone does not show ${rs.length === 1 ? "it" : "them"}, so Shipshape added ${rs.length === 1 ? "it" : "them"} to this review`),
    ),
    ...byFile(changed, chartFile).map(([file, rs]) =>
      problem("error", file, rs[0]!.source?.line, `${names(rs)} ${rs.length === 1 ? "is" : "are"} rendered differently by ${label} (${why(scan, file)}); this review shows the first install's version, so read the template to see what an upgrade applies`),
    ),
  ];
  return { added, problems };
}

/** The second render failed: what the chart applies on an upgrade is unknown. */
export function clusterRenderFailed(scan: ClusterScan, chartFile: string, failure: string): InputProblem {
  return problem("error", chartFile, undefined, `the chart fails when rendered as ${clusterRenderLabel(scan.crdApis)} (${why(scan)}), so what it applies then is not in this review: ${failure}`);
}

/** What `helm template` cannot answer, per question: why the output may differ. */
const UNRENDERABLE: Readonly<Partial<Record<ClusterQuestion, string>>> = {
  lookup: "calls `lookup`, which reads live objects from the cluster; `helm template` renders it as if none existed",
  revision: "uses `.Release.Revision` for more than a value; `helm template` renders revision 1, and every upgrade has a higher one",
};

/** One error per template and question `helm template` cannot answer (`lookup`, `.Release.Revision`). */
export function unrenderableProblems(scan: ClusterScan): InputProblem[] {
  const first = new Map<string, ClusterUsage>();
  for (const u of scan.usages) {
    const key = `${u.question}\u0000${u.file}`;
    if (UNRENDERABLE[u.question] && !first.has(key)) first.set(key, u);
  }
  return [...first.values()].map((u) =>
    problem(
      "error",
      u.file,
      u.line,
      `${UNRENDERABLE[u.question]!}, so what this template applies depends on the cluster and may not be what this review shows. ` +
        "Read the template to see what it applies on a real cluster, then waive this finding, or make the output depend on values instead",
    ),
  );
}

function problem(severity: "error" | "warning", file: string, line: number | undefined, text: string): InputProblem {
  return { ruleId: RULE, severity, message: `${at(file, line)}: ${text}`, file, ...(line !== undefined ? { line } : {}) };
}

function byFile(resources: readonly Resource[], chartFile: string): [string, Resource[]][] {
  const groups = new Map<string, Resource[]>();
  for (const r of resources) {
    const file = r.source?.file ?? chartFile;
    groups.set(file, [...(groups.get(file) ?? []), r]);
  }
  return [...groups];
}

function names(resources: readonly Resource[]): string {
  const shown = resources.slice(0, MAX_NAMED).map(describeRef).join(", ");
  return resources.length > MAX_NAMED ? `${shown} and ${resources.length - MAX_NAMED} more` : shown;
}

const ASKS: Readonly<Record<ClusterQuestion, string>> = {
  "release-mode": ".Release.IsUpgrade/IsInstall",
  "api-versions": ".Capabilities.APIVersions",
  lookup: "lookup",
  revision: ".Release.Revision",
};

/** Where the chart asks, preferring the given file's own lines. */
function why(scan: ClusterScan, file?: string): string {
  const rendered = scan.usages.filter((u) => RENDERED.has(u.question));
  const own = rendered.filter((u) => u.file === file);
  const used = (own.length > 0 ? own : rendered).slice(0, 3);
  if (used.length === 0) return scan.archives.length > 0 ? "a vendored chart archive may ask" : "the chart asks";
  return `asked at ${used.map((u) => `${at(u.file, u.line)} (${ASKS[u.question]})`).join(", ")}`;
}
