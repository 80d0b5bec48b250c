/**
 * Template text whose output depends on the cluster a chart is installed into rather than on
 * the chart. `helm template` renders a first install (`.Release.IsInstall`) on a cluster that
 * serves only the built-in APIs and has no objects (`lookup` finds nothing), while most changes
 * ship as `helm upgrade` to a cluster with CRDs and objects in it. This finds where a chart's
 * templates (subcharts, library charts and `.tpl` helpers included) ask about any of that, and
 * which CRD APIs they name, so the renderer can render once more as a real cluster would.
 *
 * Only template actions (`{{ … }}`) count, never plain YAML text or template comments. Every
 * scan is a linear walk: template text comes from the pull request.
 */
import type { Tree } from "../../core/ports.js";
import { isValidApiVersion } from "../argv.js";
import { filesUnder } from "./inputs.js";

/** What a template asks the cluster: the release mode, the APIs it serves, or its objects. */
export type ClusterQuestion = "release-mode" | "api-versions" | "lookup" | "revision";

export interface ClusterUsage {
  question: ClusterQuestion;
  /** Repository path of the template. */
  file: string;
  /** 1-based line of the action. */
  line: number;
}

export interface ClusterScan {
  usages: ClusterUsage[];
  /** API versions of CRD groups named as string literals in template actions, sorted. */
  crdApis: string[];
  /** Vendored chart archives: their templates are not read, so a second render always runs. */
  archives: string[];
}

/** At most this many `--api-versions` flags: a chart naming more is not asking about its cluster. */
export const MAX_CRD_APIS = 64;

const QUESTIONS: readonly { question: ClusterQuestion; pattern: RegExp }[] = [
  { question: "release-mode", pattern: /\.Release\.Is(?:Upgrade|Install)\b/ },
  { question: "api-versions", pattern: /\.Capabilities\.APIVersions\b/ },
  // The function, not a field or variable of that name (`.Values.lookup`, `$lookup`).
  { question: "lookup", pattern: /(?<![\w.$])lookup\b/ },
];

/**
 * `.Release.Revision` is 1 in `helm template`, even with `--is-upgrade`, and higher on every
 * upgrade. Written out as a value (a restart annotation) it only changes that value; used any
 * other way (compared, assigned) it can decide what the chart applies.
 */
const REVISION = /\.Release\.Revision\b/;
const REVISION_AS_VALUE = /^-?\s*\$?\.Release\.Revision\s*(\|\s*(?:quote|squote|toString)\s*)*-?$/;

/** String literals in an action: "…" (no escapes inside, enough for API names) or `…`. */
const LITERAL = /"([^"\\\n]{1,300})"|`([^`\n]{1,300})`/g;

/**
 * Groups the API server serves itself: `helm template` already reports those for the chosen
 * Kubernetes version, so naming one is a version check, not a question about installed CRDs.
 */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "extensions",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

export function isTemplateFile(chartDir: string, file: string): boolean {
  const rest = chartDir === "." ? file : file.slice(chartDir.length + 1);
  return /(^|\/)templates\//.test(rest);
}

export async function scanClusterUsage(tree: Tree, chartDir: string): Promise<ClusterScan> {
  const usages: ClusterUsage[] = [];
  const apis = new Set<string>();
  const archives: string[] = [];
  for (const file of filesUnder(tree, chartDir)) {
    if (file.endsWith(".tgz")) {
      archives.push(file);
      continue;
    }
    if (!isTemplateFile(chartDir, file)) continue;
    // Unreadable templates stop helm itself; the render reports them.
    const text = await tree.read(file).catch(() => undefined);
    if (text === undefined || !text.includes("{{")) continue;
    scanText(text, file, usages, apis);
  }
  return { usages, crdApis: [...apis].sort().slice(0, MAX_CRD_APIS), archives };
}

export function scanText(text: string, file: string, usages: ClusterUsage[], apis: Set<string>): void {
  let line = 1;
  let counted = 0;
  let from = 0;
  for (;;) {
    const open = text.indexOf("{{", from);
    if (open === -1) return;
    const close = text.indexOf("}}", open + 2);
    const end = close === -1 ? text.length : close;
    const action = text.slice(open + 2, end);
    from = close === -1 ? text.length : close + 2;
    if (/^-?\s*\/\*/.test(action)) continue;
    line += countNewlines(text, counted, open);
    counted = open;
    // Names inside string literals ("lookup-helper") are not calls.
    const code = action.replace(LITERAL, '""');
    for (const { question, pattern } of QUESTIONS) {
      if (pattern.test(code)) usages.push({ question, file, line });
    }
    if (REVISION.test(code) && !REVISION_AS_VALUE.test(code.trim())) usages.push({ question: "revision", file, line });
    for (const match of action.matchAll(LITERAL)) {
      const literal = match[1] ?? match[2]!;
      if (isCrdApi(literal)) apis.add(literal);
    }
  }
}

function isCrdApi(text: string): boolean {
  if (!isValidApiVersion(text)) return false;
  const group = text.slice(0, text.indexOf("/"));
  return group.includes(".") && !BUILT_IN_GROUPS.has(group);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
