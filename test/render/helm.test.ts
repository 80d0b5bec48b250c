import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TargetSpec } from "../../src/core/model/target.js";
import { createHelmRenderer, templateArgs } from "../../src/render/helm/renderer.js";
import { hasExternalRef } from "../../src/render/helm/schema-refs.js";
import { splitBySource } from "../../src/render/helm/source-map.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/render/helm");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const noOwnership = { isOwned: () => false };
afterAll(removeTestScratchDir);

function target(path: string, extra: Partial<TargetSpec> = {}): TargetSpec {
  return { id: path, type: "helm", path, ...extra };
}

const renderer = createHelmRenderer(testToolOptions());

describe("helm discovery", () => {
  it("finds charts but not their subcharts, even under a top-level charts/ folder", async () => {
    const targets = await renderer.discover(dirTree(`${FIXTURES}/app-repo`), noOwnership);
    expect(targets).toEqual([{ id: "charts/web", type: "helm", path: "charts/web" }]);
  });

  it("finds several charts in one repository", async () => {
    const targets = await renderer.discover(dirTree(`${FIXTURES}/missing-dep`), noOwnership);
    expect(targets.map((t) => t.id)).toEqual(["charts/api", "legacy"]);
  });

  it("owns the chart folder", () => {
    expect(renderer.owns?.(target("charts/web"), dirTree(`${FIXTURES}/app-repo`), { files: new Set(), blocking: [], warnings: [] })).toEqual(["charts/web"]);
  });
});

describe("helm inputs", () => {
  it("include every chart file, vendored subcharts and values files outside the chart", async () => {
    const t = target("charts/web", { valueFiles: ["../../envs/prod/values.yaml"] });
    const inputs = await renderer.inputs(t, dirTree(`${FIXTURES}/app-repo`));
    expect(inputs.blocking).toEqual([]);
    expect([...inputs.files].sort()).toEqual([
      "charts/web/Chart.yaml",
      "charts/web/charts/cache/Chart.yaml",
      "charts/web/charts/cache/templates/statefulset.yaml",
      "charts/web/charts/cache/values.yaml",
      "charts/web/charts/metrics-0.2.0.tgz",
      "charts/web/templates/_helpers.tpl",
      "charts/web/templates/deployment.yaml",
      "charts/web/templates/service.yaml",
      "charts/web/values.yaml",
      "envs/prod/values.yaml",
    ]);
  });

  it("block values files that are missing or outside the repository", async () => {
    const t = target("charts/web", { valueFiles: ["../../envs/qa/values.yaml", "../../../secrets.yaml"] });
    const inputs = await renderer.inputs(t, dirTree(`${FIXTURES}/app-repo`));
    expect(inputs.blocking.map((p) => p.ruleId)).toEqual(["render/missing-file", "render/outside-repo"]);
    expect(inputs.blocking[0]!.message).toContain("envs/qa/values.yaml");
  });

  it("block dependencies that are not vendored (v2 Chart.yaml)", async () => {
    const inputs = await renderer.inputs(target("charts/api"), dirTree(`${FIXTURES}/missing-dep`));
    expect(inputs.blocking).toHaveLength(1);
    const [p] = inputs.blocking;
    expect(p).toMatchObject({ ruleId: "render/helm-missing-dependency", severity: "error", file: "charts/api/Chart.yaml", line: 5 });
    expect(p!.message).toContain('"postgresql"');
    expect(p!.message).toContain("helm dependency build charts/api");
    expect(p!.message).toContain("commit the charts/ folder");
  });

  it("block dependencies that are not vendored (v1 requirements.yaml)", async () => {
    const inputs = await renderer.inputs(target("legacy"), dirTree(`${FIXTURES}/missing-dep`));
    expect(inputs.blocking.map((p) => [p.ruleId, p.file, p.line])).toEqual([["render/helm-missing-dependency", "legacy/requirements.yaml", 2]]);
    expect(inputs.blocking[0]!.message).toContain('"redis"');
  });

  it("block dependencies of a chart with no apiVersion, which helm reads as v1, from requirements.yaml (charts/_x is not vendored)", async () => {
    const inputs = await renderer.inputs(target("unversioned"), dirTree(`${FIXTURES}/v1-charts`));
    expect(inputs.blocking.map((p) => [p.ruleId, p.file, p.line])).toEqual([["render/helm-missing-dependency", "unversioned/requirements.yaml", 2]]);
    expect(inputs.blocking[0]!.message).toBe(
      'unversioned/requirements.yaml:2: dependency "redis" 10.5.7 from https://charts.example.com/stable is not vendored in unversioned/charts/. ' +
        "Shipshape does not download chart dependencies; run `helm dependency build unversioned` and commit the charts/ folder.",
    );
    expect([...inputs.files].sort()).toEqual([
      "unversioned/Chart.yaml",
      "unversioned/charts/_redis/Chart.yaml",
      "unversioned/requirements.lock",
      "unversioned/requirements.yaml",
      "unversioned/templates/cm.yaml",
    ]);
  });

  it("take requirements.yaml dependencies over Chart.yaml's, as helm does, even in a v2 chart", async () => {
    const inputs = await renderer.inputs(target("v2-requirements"), dirTree(`${FIXTURES}/v1-charts`));
    expect(inputs.blocking.map((p) => [p.ruleId, p.file, p.line])).toEqual([["render/helm-missing-dependency", "v2-requirements/requirements.yaml", 2]]);
    expect(inputs.blocking[0]!.message).toContain('"cache"');
  });

  it("accept requirements.yaml dependencies vendored in charts/", async () => {
    const inputs = await renderer.inputs(target("vendored"), dirTree(`${FIXTURES}/v1-charts`));
    expect(inputs.blocking).toEqual([]);
  });

  it("block an unparsable Chart.yaml with its line", async () => {
    const inputs = await renderer.inputs(target("chart"), dirTree(`${FIXTURES}/bad-chart`));
    expect(inputs.blocking).toHaveLength(1);
    expect(inputs.blocking[0]).toMatchObject({ ruleId: "input/yaml-invalid", file: "chart/Chart.yaml" });
    expect(inputs.blocking[0]!.line).toBeGreaterThanOrEqual(4);
  });
});

describe("helm render", () => {
  it("renders a chart with a folder subchart, an archived subchart and an outside values file", async () => {
    const t = target("charts/web", { valueFiles: ["../../envs/prod/values.yaml"], namespace: "shop" });
    const outcome = await renderer.render(t, dirTree(`${FIXTURES}/app-repo`), LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    const byId = new Map(outcome.resources.map((r) => [`${r.kind}/${r.name}`, r]));
    expect([...byId.keys()].sort()).toEqual(["ConfigMap/web-metrics", "Deployment/web-web", "Service/web-web", "StatefulSet/web-cache"]);
    const deployment = byId.get("Deployment/web-web")!;
    expect(deployment.body).toMatchObject({ spec: { replicas: 4, template: { spec: { containers: [{ image: "example/web:2.2.0" }] } } } });
    expect(deployment.source).toEqual({ file: "charts/web/templates/deployment.yaml", line: 1 });
    expect(byId.get("StatefulSet/web-cache")!.source).toEqual({ file: "charts/web/charts/cache/templates/statefulset.yaml", line: 1 });
    expect(byId.get("StatefulSet/web-cache")!.body).toMatchObject({
      spec: { template: { spec: { containers: [{ resources: { limits: { memory: "256Mi" } } }] } } },
    });
    expect(byId.get("ConfigMap/web-metrics")!.source).toEqual({ file: "charts/web/charts/metrics-0.2.0.tgz" });
    expect(outcome.warnings).toEqual([]);
  });

  it("uses the release name, namespace and kube version of the target", () => {
    const args = templateArgs(target("charts/web", { releaseName: "shop", namespace: "prod", kubernetesVersion: "1.30.0" }), {
      files: new Set(),
      blocking: [],
      warnings: [],
      valueFiles: ["envs/prod/values.yaml"],
      chartName: "web",
    });
    expect(args).toEqual({
      ok: true,
      warnings: [],
      args: ["template", "--namespace=prod", "--include-crds", "--values=./envs/prod/values.yaml", "--kube-version=1.30.0", "--", "shop", "./charts/web"],
    });
  });

  it("reports a template error as invalid with helm's message", async () => {
    const outcome = await renderer.render(target("chart"), dirTree(`${FIXTURES}/template-error`), LIMITS);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toMatchObject({ ruleId: "render/failed", severity: "error", file: "chart/Chart.yaml" });
    expect(outcome.problems[0]!.message).toContain("needs-tag/templates/deployment.yaml:16:52): image.tag is required");
  });

  it("does not run helm when a dependency is missing", async () => {
    const offline = createHelmRenderer(testToolOptions({ binaries: { helm: { path: "/nonexistent/helm", source: "--helm" } } }));
    const outcome = await offline.render(target("charts/api"), dirTree(`${FIXTURES}/missing-dep`), LIMITS);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems.map((p) => p.ruleId)).toEqual(["render/helm-missing-dependency"]);
  });

  it("renders a v1 chart (no apiVersion) with its requirements.yaml dependency vendored", async () => {
    const outcome = await renderer.render(target("vendored"), dirTree(`${FIXTURES}/v1-charts`), LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.map((r) => [r.kind, r.name, r.source?.file])).toEqual([
      ["ConfigMap", "vendored-settings", "vendored/templates/cm.yaml"],
      ["Service", "vendored-redis", "vendored/charts/redis/templates/service.yaml"],
    ]);
  });

  it("reports a missing requirements.yaml dependency of a v1 chart, not a failed render", async () => {
    const outcome = await renderer.render(target("unversioned"), dirTree(`${FIXTURES}/v1-charts`), LIMITS);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems.map((p) => [p.ruleId, p.file, p.line])).toEqual([["render/helm-missing-dependency", "unversioned/requirements.yaml", 2]]);
  });

  it("skips schema validation, with a warning, when the schema refers outside itself", async () => {
    const outcome = await renderer.render(target("chart"), dirTree(`${FIXTURES}/schema-ref`), LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.map((r) => r.name)).toEqual(["schemaref"]);
    expect(outcome.warnings.map((w) => [w.ruleId, w.file])).toEqual([["render/helm-external-schema", "chart/values.schema.json"]]);
  });

  it("is a tool-error when the operator's helm is missing", async () => {
    const broken = createHelmRenderer(testToolOptions({ binaries: { helm: { path: "/nonexistent/helm", source: "--helm" } } }));
    const outcome = await broken.render(target("chart"), dirTree(`${FIXTURES}/template-error`), LIMITS);
    expect(outcome).toEqual({ status: "tool-error", message: "--helm is /nonexistent/helm, but there is no executable file there" });
  });

  it("reports helm's version", async () => {
    const info = await renderer.info();
    expect(info.name).toBe("helm");
    expect(info.version).toMatch(/^v3\.\d+\.\d+/);
    expect(info.path).toMatch(/tools\/bin\/helm$/);
  });
});

describe("helm output helpers", () => {
  it("split output at # Source comments", () => {
    const out = "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\nkind: B\n---\nkind: C\n";
    expect(splitBySource(out).map((s) => s.source)).toEqual(["c/templates/a.yaml", "c/templates/b.yaml"]);
    expect(splitBySource(out)[1]!.text).toContain("kind: C");
  });

  it("treat only in-document $refs as internal", () => {
    expect(hasExternalRef('{"$ref": "#/definitions/port"}')).toBe(false);
    expect(hasExternalRef('{"$ref": "https://example.com/x.json"}')).toBe(true);
    expect(hasExternalRef('{"$ref" : "../../etc/schema.json"}')).toBe(true);
    // Parsed, not searched: an escaped key is still $ref to helm.
    expect(hasExternalRef('{"\\u0024ref": "file:///etc/passwd"}')).toBe(true);
    expect(hasExternalRef('{"properties": {"a": {"$r\\u0065f": "http://127.0.0.1/x"}}}')).toBe(true);
    expect(hasExternalRef('{"$id": "http://127.0.0.1/base.json", "properties": {"a": {"$ref": "#/x"}}}')).toBe(true);
    expect(hasExternalRef('{"$schema": "http://127.0.0.1/meta"}')).toBe(true);
    expect(hasExternalRef('{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"id": {"type": "string", "default": {"id": "x"}}}}')).toBe(false);
    expect(hasExternalRef("not json {")).toBe(true);
  });
});
