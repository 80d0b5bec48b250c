/**
 * Second red team, "files kubectl applies that Shipshape does not read": `kubectl apply -f DIR`
 * reads every .json, .yaml and .yml file of the folder, dot files included (`-R` also enters dot
 * folders), whatever its name and however its YAML is spelled. Shipshape decided from a text
 * regex (`^apiVersion:`), skipped .json, `values*.yaml` and dot files, so a ClusterRoleBinding in
 * such a file was a change nobody reviewed. Each folder below must show exactly the objects the
 * real kubectl finds there, and files of other tools must not become resources.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { addedObjects, checkTrees, CONFIG_MAP, CRB, kubectlObjects } from "./manifests-kubectl.js";

const CRB_JSON = (name: string) =>
  JSON.stringify({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" }],
  });

const REST = (name: string) => `metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]
`;

/** Folder → its files; each folder is a manifests target of its own. */
const HIDDEN: Record<string, Record<string, string>> = {
  "json-flavoured": { "rbac.yaml": `${CRB_JSON("json-flavoured")}\n` },
  "json-stream": { "rbac.yaml": `${CRB_JSON("json-first")}\n${CRB_JSON("json-second")}\n` },
  "quoted-keys": { "rbac.yaml": `"apiVersion": rbac.authorization.k8s.io/v1\n"kind": ClusterRoleBinding\n${REST("quoted-keys")}` },
  "escaped-keys": { "rbac.yaml": `"api\\x56ersion": rbac.authorization.k8s.io/v1\n"\\x6bind": ClusterRoleBinding\n${REST("escaped-keys")}` },
  "flow-mapping": {
    "rbac.yaml":
      "# a flow mapping after a comment is YAML to kubectl (a file starting with { is JSON)\n" +
      "{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding,\n metadata: {name: flow},\n" +
      " roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin},\n" +
      ' subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]}\n',
  },
  "merge-key": { "rbac.yaml": `<<: {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding}\n${REST("merged-identity")}` },
  "json-file": { "rbac.json": `${CRB_JSON("dot-json")}\n`, "cm.yaml": CONFIG_MAP("beside") },
  "yaml-in-json-file": { "rbac.json": CRB("yaml-in-json") },
  "values-named": { "values-prod.yaml": CRB("values-named"), "values.yaml": CRB("values-plain") },
  "dot-file": { ".rbac.yaml": CRB("dot-named"), "cm.yaml": CONFIG_MAP("visible") },
  "dot-folder/.hidden": { "rbac.yml": CRB("in-dot-folder") },
};

/** Files of other tools, and text that only looks like a manifest: no resources. */
const NOT_MANIFESTS: Record<string, string> = {
  ".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [{run: echo kind apiVersion}]\n",
  "package.json": '{"name": "web", "version": "1.0.0", "scripts": {"kind": "kind create cluster"}}\n',
  "tsconfig.json": '{\n  // comments are not JSON\n  "compilerOptions": {"strict": true}\n}\n',
  "docs/example.yaml": "# apiVersion: v1\n# kind: ConfigMap\nexample: |\n  apiVersion: v1\n  kind: ConfigMap\n",
  "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 1.0.0\n",
  "chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-chart\n",
  "chart/values.yaml": "apiVersion: v1\nkind: ConfigMap\n",
  "chart/ci/values-ci.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ci-values}\n",
};

let work: string;
let report: Report;
let headDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-manifest-files-"));
  const head: Record<string, string> = { ...NOT_MANIFESTS };
  for (const [folder, files] of Object.entries(HIDDEN)) {
    for (const [name, text] of Object.entries(files)) head[`deploy/${folder}/${name}`] = text;
  }
  ({ report, headDir } = await checkTrees(work, { "README.md": "base\n" }, head));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("the files of a manifests folder, read as kubectl reads them", () => {
  it.each(Object.keys(HIDDEN))("%s: the report adds exactly what kubectl would apply", (folder) => {
    const kubectl = kubectlObjects(join(headDir, "deploy", folder));
    expect(kubectl.stderr).toBe("");
    expect(kubectl.names.length).toBeGreaterThan(0);
    expect(addedObjects(report, [`deploy/${folder}`])).toEqual(kubectl.names);
  });

  it("matches kubectl -R over the whole folder, dot folders included", () => {
    const kubectl = kubectlObjects(join(headDir, "deploy"), true);
    const targets = report.targets.map((t) => t.id).filter((id) => id.startsWith("deploy/"));
    expect(addedObjects(report, targets)).toEqual(kubectl.names);
  });

  it("turns no file of another tool, and no text that only looks like a manifest, into a resource", () => {
    const manifestTargets = report.targets.filter((t) => t.type === "manifests").map((t) => t.id);
    expect(manifestTargets.filter((id) => !id.startsWith("deploy/"))).toEqual([]);
    expect(report.findings.filter((f) => f.introduced && !f.target.startsWith("deploy/") && f.target !== "chart")).toEqual([]);
    expect(addedObjects(report, ["chart"])).toEqual(["configmap/from-chart"]);
  });
});
