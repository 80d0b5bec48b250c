/**
 * Second red team, "kubectl's list decoding": apimachinery's unstructured decoder reads ANY
 * object with a top-level `items` field as a list (`IsList()`), and kubectl, helm install and
 * Argo CD apply its items, not the object. Shipshape flattened only kinds ending in `List`, so a
 * custom `Widget` carrying a ClusterRoleBinding in `items` showed as a harmless Widget; and items
 * of a typed list without apiVersion and kind, which kubectl gives the list's, were only a
 * warning. Each case must add exactly what the real kubectl applies, in plain manifests and in
 * kustomize and helm output.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { addedObjects, checkTrees, CONFIG_MAP, KUBECTL, kubectlObjects } from "./manifests-kubectl.js";

const item = (lines: string[]) => lines.map((l, i) => `${i === 0 ? "- " : "  "}${l}`).join("\n");
const CRB_ITEM = (name: string, identity = true) =>
  item([
    ...(identity ? ["apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRoleBinding"] : []),
    `metadata: {name: ${name}}`,
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}",
    'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]',
  ]);
const CM_ITEM = (name: string, identity: "both" | "kind" | "none" = "both") =>
  item([...(identity === "both" ? ["apiVersion: v1"] : []), ...(identity !== "none" ? ["kind: ConfigMap"] : []), `metadata: {name: ${name}}`]);

const WIDGET = (items: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: harmless\nspec:\n  size: 1\nitems:\n${items}\n`;

/** Folder → one file; a ConfigMap beside each, so kubectl always applies something. */
const CASES: Record<string, string> = {
  "custom-resource-with-items": WIDGET(CRB_ITEM("widget-admin")),
  "items-without-list-apiversion": `kind: Widget\nmetadata: {name: w}\nitems:\n${CRB_ITEM("no-api-version")}\n`,
  "typed-list-items-without-kind": `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBindingList\nitems:\n${CRB_ITEM("typed-list-admin", false)}\n`,
  "custom-list-items-without-kind": WIDGET(item(["metadata: {name: inherits-widget}"])),
  "empty-items": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: empty}\nitems:\n",
  "items-missing-one-identity-field": `apiVersion: v1\nkind: List\nitems:\n${CM_ITEM("good-1")}\n${CM_ITEM("only-kind", "kind")}\n${CM_ITEM("good-2")}\n`,
  "item-that-is-a-list": `apiVersion: v1\nkind: List\nitems:\n${CM_ITEM("refused-1")}\n${item(["apiVersion: v1", "kind: List", "items: []"])}\n`,
  "item-that-is-no-mapping": `apiVersion: v1\nkind: List\nitems:\n${CM_ITEM("refused-2")}\n- just text\n`,
  "items-not-a-sequence": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nitems: {a: b}\n",
  "json-list": `${JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "from-json-list" } }] })}\n`,
};

const CHART = {
  "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
  "charts/web/templates/widget.yaml": WIDGET(CRB_ITEM("helm-widget-admin")),
};
const KUSTOMIZATION = {
  "app/kustomization.yaml": "resources:\n- cm.yaml\n- widget.yaml\n",
  "app/cm.yaml": CONFIG_MAP("settings"),
  "app/widget.yaml": WIDGET(CRB_ITEM("kustomize-widget-admin")),
};

let work: string;
let report: Report;
let headDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-manifest-lists-"));
  const head: Record<string, string> = { ...CHART, ...KUSTOMIZATION };
  for (const [folder, text] of Object.entries(CASES)) {
    head[`deploy/${folder}/objects.${text.startsWith("{") ? "json" : "yaml"}`] = text;
    head[`deploy/${folder}/cm.yaml`] = CONFIG_MAP(`beside-${folder}`);
  }
  ({ report, headDir } = await checkTrees(work, { "README.md": "base\n" }, head));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What kubectl applies from a tool's output (`kubectl apply -k`, `helm install`). */
async function kubectlOfOutput(output: string): Promise<string[]> {
  const file = join(work, `output-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, output);
  return kubectlObjects(file).names;
}

function run(binary: string, args: string[]): string {
  const r = spawnSync(binary, args, { encoding: "utf8", env: { HOME: work, PATH: "" } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("objects with a top-level items field, read as kubectl decodes them", () => {
  it.each(Object.keys(CASES))("%s: the report adds exactly what kubectl would apply", (folder) => {
    const kubectl = kubectlObjects(join(headDir, "deploy", folder));
    expect(addedObjects(report, [`deploy/${folder}`])).toEqual(kubectl.names);
  });

  it("says why an object with items is not applied as itself, and why kubectl refuses a list", () => {
    const warnings = report.findings.filter((f) => f.ruleId === "input/not-a-resource").map((f) => [f.target, f.message.replace(/^\S+: /, "")]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        ["deploy/custom-resource-with-items", "Widget harmless has a top-level items field, so kubectl reads it as a list and applies its 1 items, not the Widget itself"],
        ["deploy/empty-items", "Widget empty has an empty top-level items field, so kubectl reads it as an empty list and applies nothing"],
        ["deploy/items-missing-one-identity-field", "item 2 of List has no apiVersion and kind"],
        ["deploy/item-that-is-a-list", "item 2 of List is a list itself, so kubectl refuses the whole list"],
        ["deploy/item-that-is-no-mapping", "item 2 of List is not a mapping, so kubectl refuses the whole list"],
        ["deploy/items-not-a-sequence", "Widget w: items is not a sequence, so kubectl cannot read this list"],
      ]),
    );
  });

  it("gives items of a typed list the list's apiVersion and kind, as kubectl does", () => {
    const change = report.changes.find((c) => c.name === "typed-list-admin");
    expect(change).toMatchObject({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", target: "deploy/typed-list-items-without-kind" });
  });

  it("flattens kustomize output the same way (kubectl apply -k)", async () => {
    const output = run(KUBECTL, ["kustomize", join(headDir, "app")]);
    const expected = await kubectlOfOutput(output);
    expect(expected).toContain("clusterrolebinding.rbac.authorization.k8s.io/kustomize-widget-admin");
    expect(addedObjects(report, ["app"])).toEqual(expected);
  });

  it("flattens helm output the same way (helm install)", async () => {
    const output = run(join(PROJECT_ROOT, "tools", "bin", "helm"), ["template", "web", join(headDir, "charts/web")]);
    const expected = await kubectlOfOutput(output);
    expect(expected).toEqual(["clusterrolebinding.rbac.authorization.k8s.io/helm-widget-admin"]);
    expect(addedObjects(report, ["charts/web"])).toEqual(expected);
  });
});
