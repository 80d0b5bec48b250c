/**
 * Third red team, Helm: `helm template` renders a first install on an empty cluster that serves
 * only built-in APIs, so a ClusterRoleBinding gated on `.Release.IsUpgrade` (every later
 * `helm upgrade`), on `.Capabilities.APIVersions.Has "<a CRD API>"` or on `lookup` finding
 * something was not in the review. Now a chart that asks renders a second time as an upgrade on
 * a cluster serving the CRD APIs it names: what only that render has is added to the review,
 * what it writes differently is an error, and `lookup` or a `.Release.Revision` that decides
 * anything is always an error on the template.
 * Charts that only check built-in API versions, or keep an unchanged `lookup`, get nothing new.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { helmTemplateArgv, isValidApiVersion } from "../../src/render/argv.js";
import { scanText, type ClusterUsage } from "../../src/render/helm/cluster-usage.js";
import { runCli } from "../helpers/cli.js";
import { writeTree } from "../helpers/write-tree.js";

const CRB = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone-is-admin
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
`;
const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n";
const CHART = { "web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n", "web/values.yaml": "{}\n", "web/templates/cm.yaml": CM };
const gated = (condition: string, body = CRB) => `{{- if ${condition} }}\n${body}{{- end }}\n`;
const RULE = "render/helm-cluster-dependent";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-helm-cluster-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});


async function check(base: Record<string, string>, head: Record<string, string>): Promise<Report> {
  const dir = await mkdtemp(join(work, "case-"));
  await writeTree(join(dir, "base"), base);
  await writeTree(join(dir, "head"), head);
  const run = await runCli(["check", "--base", join(dir, "base"), "--head", join(dir, "head"), "--format", "json"]);
  expect(run.stderr).not.toMatch(/TypeError|at .*\.ts:/);
  return JSON.parse(run.stdout) as Report;
}

const ours = (r: Report) => r.findings.filter((f) => f.ruleId === RULE).map((f) => ({ severity: f.severity, file: f.file, line: f.line, introduced: f.introduced, message: f.message }));
const added = (r: Report, kind: string) => r.changes.filter((c) => c.kind === kind).map((c) => `${c.action} ${c.name}`);

describe("output that depends on the install is reviewed", () => {
  it("a ClusterRoleBinding only an upgrade renders is in the review, with a warning naming the gate", async () => {
    const r = await check(CHART, { ...CHART, "web/templates/crb.yaml": gated(".Release.IsUpgrade") });
    expect(added(r, "ClusterRoleBinding")).toEqual(["added everyone-is-admin"]);
    // Risk and policies see it as they see any other object.
    expect(r.risk?.reasons.map((x) => x.message)).toContain("ClusterRoleBinding everyone-is-admin binds cluster-admin");
    expect(ours(r)).toEqual([
      expect.objectContaining({ severity: "warning", file: "web/templates/crb.yaml", introduced: true, message: expect.stringMatching(/ClusterRoleBinding everyone-is-admin is rendered only by `helm upgrade`.*crb\.yaml:1 \(\.Release\.IsUpgrade/) }),
    ]);
  });

  it("a CRD API the chart asks about through a helper in _helpers.tpl is served by the second render", async () => {
    const helpers = '{{- define "web.monitoring" -}}{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}{{- end -}}\n';
    const r = await check(CHART, { ...CHART, "web/templates/_helpers.tpl": helpers, "web/templates/crb.yaml": gated('eq (include "web.monitoring" .) "true"') });
    expect(added(r, "ClusterRoleBinding")).toEqual(["added everyone-is-admin"]);
    expect(ours(r)[0]?.message).toMatch(/on a cluster serving monitoring\.coreos\.com\/v1/);
  });

  it("an object an upgrade writes differently is an error (the review shows the install's version)", async () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: {{ ternary \"upgraded\" \"b\" .Release.IsUpgrade | quote }}\n";
    const r = await check(CHART, { ...CHART, "web/templates/cm.yaml": cm });
    expect(ours(r)).toEqual([expect.objectContaining({ severity: "error", file: "web/templates/cm.yaml", introduced: true, message: expect.stringMatching(/ConfigMap settings is rendered differently/) })]);
  });

  it("a chart that fails only on upgrade is an error", async () => {
    const r = await check(CHART, { ...CHART, "web/templates/crb.yaml": gated(".Release.IsUpgrade", '{{ fail "upgrade path" }}\n') });
    expect(ours(r)).toEqual([expect.objectContaining({ severity: "error", file: "web/Chart.yaml", introduced: true, message: expect.stringMatching(/fails when rendered as `helm upgrade`.*upgrade path/) })]);
  });

  it("`lookup` is an error on the template that calls it, with its line", async () => {
    const r = await check(CHART, { ...CHART, "web/templates/crb.yaml": `# a comment\n${gated('(lookup "v1" "Namespace" "" "kube-system")')}` });
    expect(ours(r)).toEqual([expect.objectContaining({ severity: "error", file: "web/templates/crb.yaml", line: 2, introduced: true, message: expect.stringMatching(/calls `lookup`/) })]);
  });

  it("`.Release.Revision` deciding what renders is an error (helm template says 1, even with --is-upgrade)", async () => {
    const r = await check(CHART, { ...CHART, "web/templates/crb.yaml": gated("gt (int .Release.Revision) 1") });
    expect(ours(r)).toEqual([expect.objectContaining({ severity: "error", file: "web/templates/crb.yaml", line: 1, introduced: true, message: expect.stringMatching(/uses `\.Release\.Revision` for more than a value/) })]);
  });
});

describe("no crying wolf", () => {
  it("built-in API checks and an unchanged lookup raise nothing new", async () => {
    const pdb = '{{- if .Capabilities.APIVersions.Has "policy/v1" }}\napiVersion: policy/v1\n{{- else }}\napiVersion: policy/v1beta1\n{{- end }}\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n';
    const secret = '{{- $old := lookup "v1" "Secret" .Release.Namespace "web" }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  fresh: {{ empty $old | quote }}\n';
    const base = { ...CHART, "web/templates/pdb.yaml": pdb, "web/templates/kept.yaml": secret };
    const r = await check(base, { ...base, "web/templates/cm.yaml": CM.replace("a: b", "a: c") });
    expect(ours(r).filter((f) => f.introduced)).toEqual([]);
    expect(ours(r)).toEqual([expect.objectContaining({ severity: "error", file: "web/templates/kept.yaml", introduced: false })]);
  });
});

describe("the template scan", () => {
  const scan = (text: string) => {
    const usages: ClusterUsage[] = [];
    const apis = new Set<string>();
    scanText(text, "t.yaml", usages, apis);
    return { usages: usages.map((u) => `${u.question}@${u.line}`), apis: [...apis] };
  };

  it("reads actions only: not YAML text, comments, values or names in strings", () => {
    const text = 'lookup: plain yaml\n{{/* lookup .Release.IsUpgrade */}}\n{{ .Values.lookup }} {{ include "lookup-helper" . }}\n{{ $.Release.IsInstall }}\n\n{{- if lookup "v1" "Pod" "" "" }}{{ end }}\n';
    expect(scan(text)).toEqual({ usages: ["release-mode@4", "lookup@6"], apis: [] });
  });

  it("`.Release.Revision` as a value is fine; compared or assigned it is a question", () => {
    const text = '{{ .Release.Revision }} {{- .Release.Revision | quote -}}\n{{ if gt .Release.Revision 1 }}{{ end }}\n{{ $r := $.Release.Revision }}\n';
    expect(scan(text).usages).toEqual(["revision@2", "revision@3"]);
  });

  it("collects CRD API literals, not built-in ones or unsafe text", () => {
    const text = '{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" }} {{ list "gateway.networking.k8s.io/v1" "networking.k8s.io/v1" "policy/v1" "a.b/v1,--kube-version=1" }}';
    expect(scan(text).apis.sort()).toEqual(["gateway.networking.k8s.io/v1", "monitoring.coreos.com/v1/ServiceMonitor"]);
  });

  it("the command line takes each API as one flag and nothing that could be read as another", () => {
    expect(isValidApiVersion("a.b/v1,x.y/v1")).toBe(false);
    const built = helmTemplateArgv({ target: "web", chartDir: "web", release: { name: "web", from: "chart" }, namespace: "default", valueFiles: [], skipSchemaValidation: false, isUpgrade: true, apiVersions: ["monitoring.coreos.com/v1", "--set=x"] });
    expect(built.ok && built.args).toEqual(["template", "--namespace=default", "--include-crds", "--is-upgrade", "--api-versions=monitoring.coreos.com/v1", "--", "web", "./web"]);
  });
});
