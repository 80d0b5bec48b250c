/**
 * Affected detection through the Flux objects, per object: a change to one ConfigMap of a file
 * that holds the substitution sources of two Kustomizations marks only the Kustomization that
 * reads it; a change to one HelmRelease of a multi-document file marks only that release; and
 * coverage still accounts for every changed file.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";
import { writeTree } from "../helpers/write-tree.js";

afterAll(removeTestScratchDir);

const kustomization = (name: string, path: string, vars: string) => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: ${vars}
`;
const vars = (a: string, b: string) => `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vars-a
  namespace: flux-system
data:
  message: ${a}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vars-b
  namespace: flux-system
data:
  message: ${b}
`;
const app = (name: string) => ({
  [`apps/${name}/kustomization.yaml`]: "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n",
  [`apps/${name}/cm.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  message: \${message}\n`,
});
const chart = {
  "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
  "charts/web/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
};
const release = (name: string, replicas: number) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: web
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicas: ${replicas}
`;

async function review(base: Record<string, string>, head: Record<string, string>) {
  const root = mkdtempSync(join(testScratchDir(), "flux-affected-"));
  await writeTree(join(root, "base"), base);
  await writeTree(join(root, "head"), head);
  const run = await runCli(["check", "--base", join(root, "base"), "--head", join(root, "head"), "--format", "json"]);
  const report = JSON.parse(run.stdout);
  const affected = report.targets.filter((t: { affected: boolean }) => t.affected).map((t: { id: string }) => t.id).sort();
  return { report, affected };
}

describe("Flux affected detection per object", () => {
  const repo = (a: string, b: string, replicasA: number, replicasB: number) => ({
    "clusters/prod/apps.yaml": kustomization("app-a", "./apps/a", "vars-a") + kustomization("app-b", "./apps/b", "vars-b"),
    "clusters/prod/vars.yaml": vars(a, b),
    "clusters/prod/releases.yaml": release("web-a", replicasA) + release("web-b", replicasB),
    ...app("a"),
    ...app("b"),
    ...chart,
  });

  it("a change to one substitution ConfigMap marks only the Kustomization that reads it", async () => {
    const { report, affected } = await review(repo("hello", "hello", 1, 1), repo("changed", "hello", 1, 1));
    expect(affected).toEqual(["clusters/prod", "flux:flux-system/app-a"]);
    const changes = report.changes.filter((c: { target: string }) => c.target === "flux:flux-system/app-a");
    expect(JSON.stringify(changes)).toContain("changed");
    // Coverage: the file is reviewed by the folder that applies it and by the Kustomization that reads the object.
    expect(report.coverage.reviewed).toEqual([{ file: "clusters/prod/vars.yaml", targets: ["clusters/prod", "flux:flux-system/app-a"] }]);
    expect(report.coverage.notReviewed).toEqual([]);
  });

  it("a change to one HelmRelease of a multi-document file marks only that release", async () => {
    const { report, affected } = await review(repo("hello", "hello", 1, 1), repo("hello", "hello", 1, 3));
    expect(affected).toEqual(["clusters/prod", "flux:web/web-b"]);
    const changes = report.changes.filter((c: { target: string }) => c.target === "flux:web/web-b");
    expect(changes.map((c: { kind: string; name: string }) => `${c.kind}/${c.name}`)).toEqual(["ConfigMap/web-b"]);
  });

  it("a change to one Kustomization of a file marks that one only", async () => {
    const head = repo("hello", "hello", 1, 1);
    head["clusters/prod/apps.yaml"] = kustomization("app-a", "./apps/a", "vars-a") + kustomization("app-b", "./apps/b", "vars-a");
    const { affected } = await review(repo("hello", "hello", 1, 1), head);
    expect(affected).toEqual(["clusters/prod", "flux:flux-system/app-b"]);
  });
});
