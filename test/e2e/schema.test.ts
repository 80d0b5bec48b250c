/**
 * Schema validation through the whole CLI, one repository with every renderer: findings
 * point at the right repository file and line, only what the change brings is introduced,
 * CRDs from one target validate custom resources of another, and the Kubernetes version
 * changes the verdict on a removed API.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/core/model/finding.js";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

let work: string;
let base: string;
let head: string;

const deployment = (extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
${extra}`;

const BASE_FILES: Record<string, string> = {
  // A pre-existing unknown field that the change does not touch.
  "raw/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: legacy\n  labelz: {a: b}\ndata: {k: v}\n",
  "raw/deploy.yaml": deployment(""),
  "app/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
  "app/base/deployment.yaml": deployment(""),
  "app/overlay/kustomization.yaml": "namespace: shop\nresources:\n  - ../base\n",
  "charts/c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
  "charts/c/values.yaml": "minAvailable: 1\n",
  "charts/c/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  v: \"{{ .Values.minAvailable }}\"\n",
  "stack/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
  "widgets/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: small\n  port: 8080\n",
  "flow/flowschema.yaml":
    "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: fs\nspec:\n  priorityLevelConfiguration: {name: global-default}\n",
};

const HEAD_CHANGES: Record<string, string> = {
  "raw/cm.yaml": BASE_FILES["raw/cm.yaml"]!.replace("data: {k: v}", "data: {k: v2}"),
  "raw/deploy.yaml": deployment("          imagePullPolicyy: Always\n"),
  "app/base/deployment.yaml": deployment("").replace("replicas: 2", 'replicas: "three"'),
  "charts/c/templates/pdb.yaml":
    "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: c\nspec:\n  minAvailable: {{ .Values.minAvailable }}\n",
  "charts/c/templates/cm.yaml":
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  v: \"{{ .Values.minAvailable }}\"\n  kube: \"{{ .Capabilities.KubeVersion.Version }}\"\n",
  "stack/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    restart_policy: always\n",
  "widgets/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: huge\n  port: http\n",
  "flow/flowschema.yaml": BASE_FILES["flow/flowschema.yaml"]!.replace("name: fs", "name: fs2"),
};

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

async function check(...extra: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await runCli(["check", "--base", base, "--head", head, "--format", "json", ...extra]);
  return { code: run.code, report: run.stdout ? (JSON.parse(run.stdout) as Report) : (undefined as unknown as Report), stderr: run.stderr };
}

const pick = (f: Finding) => ({ ruleId: f.ruleId, target: f.target, file: f.file, line: f.line, path: f.path, introduced: f.introduced });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-schema-"));
  base = join(work, "base");
  head = join(work, "head");
  await write(base, BASE_FILES);
  await cp(join(PROJECT_ROOT, "fixtures/schema/crds/widgets.example.com.yaml"), join(base, "crds/widgets.yaml"));
  await cp(base, head, { recursive: true });
  await write(head, HEAD_CHANGES);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("schema validation end to end", () => {
  it("points each finding at the repository file and line it comes from", async () => {
    const { code, report } = await check("--kube-version", "1.31.4");
    expect(code).toBe(1);
    const byRule = (ruleId: string, target: string) => report.findings.filter((f) => f.ruleId === ruleId && f.target === target).map(pick);
    expect(byRule("schema/unknown-field", "raw")).toEqual([
      { ruleId: "schema/unknown-field", target: "raw", file: "raw/cm.yaml", line: 5, path: "metadata.labelz", introduced: false },
      { ruleId: "schema/unknown-field", target: "raw", file: "raw/deploy.yaml", line: 16, path: "spec.template.spec.containers[0].imagePullPolicyy", introduced: true },
    ]);
    expect(byRule("schema/type", "app/overlay")).toEqual([
      { ruleId: "schema/type", target: "app/overlay", file: "app/base/deployment.yaml", line: expect.any(Number), path: "spec.replicas", introduced: true },
    ]);
    expect(byRule("api/removed", "charts/c")).toEqual([
      { ruleId: "api/removed", target: "charts/c", file: "charts/c/templates/pdb.yaml", line: 1, path: "apiVersion", introduced: true },
    ]);
    const removed = report.findings.find((f) => f.ruleId === "api/removed")!;
    expect(removed.message).toBe("policy/v1beta1 PodDisruptionBudget is not served by Kubernetes 1.31: removed in 1.25; use policy/v1");
    expect(byRule("schema/unknown-field", "stack")).toEqual([
      { ruleId: "schema/unknown-field", target: "stack", file: "stack/compose.yaml", line: 4, path: "restart_policy", introduced: true },
    ]);
  });

  it("validates a custom resource against a CRD rendered by another target", async () => {
    const { report } = await check("--kube-version", "1.31");
    const widget = report.findings.filter((f) => f.target === "widgets").map((f) => [f.ruleId, f.path, f.line, f.introduced]);
    expect(widget).toEqual([["schema/enum", "spec.size", 6, true]]);
    expect(report.findings.find((f) => f.target === "widgets")!.message).toContain('"huge"');
  });

  it("turns a deprecation into a removal when the Kubernetes version moves past it", async () => {
    const on = async (v: string) => (await check("--kube-version", v)).report.findings.filter((f) => f.target === "flow").map((f) => [f.ruleId, f.severity]);
    expect(await on("1.31")).toEqual([["api/deprecated", "warning"]]);
    expect(await on("1.32")).toEqual([["api/removed", "error"]]);
  });

  it("passes the version to helm and rejects unknown versions with the list of bundled ones", async () => {
    const helmCm = (r: Report) => r.changes.find((c) => c.target === "charts/c" && c.kind === "ConfigMap")!.diff;
    expect(helmCm((await check("--kube-version", "1.30")).report)).toContain("+  kube: v1.30.0");
    expect(helmCm((await check()).report)).toContain("+  kube: v1.36.0");
    const bad = await check("--kube-version", "1.99");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/1\.99.*1\.28.*1\.36/s);
    await writeFile(join(base, ".github-config.yml"), 'kubernetesVersion: "1.12"\n');
    const viaConfig = await check("--config", join(base, ".github-config.yml"));
    expect(viaConfig.code).toBe(2);
    expect(viaConfig.stderr).toContain("kubernetesVersion: ");
    await rm(join(base, ".github-config.yml"));
  });

  it("keeps Secret values out of schema messages", async () => {
    const secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: 12345\n  nested: {x: hunter2}\n";
    await write(head, { "raw/secret.yaml": secret });
    const { report } = await check();
    await rm(join(head, "raw/secret.yaml"));
    const text = JSON.stringify(report);
    expect(report.findings.some((f) => f.resource?.kind === "Secret")).toBe(true);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("12345");
  });

  it("does not modify the user's kustomization when asking kustomize for origins", async () => {
    await check();
    expect(await readFile(join(head, "app/overlay/kustomization.yaml"), "utf8")).toBe("namespace: shop\nresources:\n  - ../base\n");
  });
});
