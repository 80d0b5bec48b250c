import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TargetSpec } from "../../src/core/model/target.js";
import { createHelmRenderer } from "../../src/render/helm/renderer.js";
import { literalLine, matchDocuments, templateDocuments } from "../../src/render/helm/template-documents.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/render/source-map/helm");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
afterAll(removeTestScratchDir);

describe("helm template lines", () => {
  it("point each rendered resource at the start of its document in the template", async () => {
    const renderer = createHelmRenderer(testToolOptions());
    const target: TargetSpec = { id: "chart", type: "helm", path: "chart", releaseName: "rel" };
    const outcome = await renderer.render(target, dirTree(FIXTURES), LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    const sources = Object.fromEntries(outcome.resources.map((r) => [`${r.kind}/${r.name}`, r.source]));
    expect(sources).toEqual({
      // After a comment line; the disabled admin Service renders nothing and shifts nothing.
      "Service/rel": { file: "chart/templates/service.yaml", line: 2 },
      "Deployment/rel": { file: "chart/templates/service.yaml", line: 18 },
      // helm prints the ServiceAccount first (install order); kinds keep the mapping right.
      "ServiceAccount/ordered": { file: "chart/templates/ordered.yaml", line: 17 },
      "Deployment/ordered": { file: "chart/templates/ordered.yaml", line: 1 },
      // Every repetition of a range maps to the document inside it.
      "ConfigMap/worker-a": { file: "chart/templates/workers.yaml", line: 3 },
      "ConfigMap/worker-b": { file: "chart/templates/workers.yaml", line: 3 },
    });
  });
});

describe("problems in helm output", () => {
  it("are reported on the template: at its line when written literally, else on the file with the output line", async () => {
    const renderer = createHelmRenderer(testToolOptions());
    const target: TargetSpec = { id: "chart", type: "helm", path: "chart" };
    const fixture = resolve(import.meta.dirname, "../../fixtures/render/helm/duplicate-keys");
    const outcome = await renderer.render(target, dirTree(fixture), LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.warnings).toEqual([
      {
        ruleId: "input/yaml-invalid",
        severity: "error",
        message:
          'chart/templates/configmap.yaml (line 7 after "# Source: web/templates/configmap.yaml" in helm\'s output): invalid YAML: Map keys must be unique: key "mode" at data.mode in ConfigMap web-settings',
        key: 'invalid YAML: Map keys must be unique: key "mode" at data.mode in ConfigMap web-settings',
        file: "chart/templates/configmap.yaml",
      },
      {
        ruleId: "input/yaml-invalid",
        severity: "error",
        message: 'chart/templates/deployment.yaml:8: invalid YAML: Map keys must be unique: key "app" at metadata.labels.app in Deployment web',
        key: 'invalid YAML: Map keys must be unique: key "app" at metadata.labels.app in Deployment web',
        file: "chart/templates/deployment.yaml",
        line: 8,
      },
      {
        ruleId: "input/not-a-resource",
        severity: "warning",
        message: "chart/templates/extra.yaml:2: document has no apiVersion and kind",
        key: "document has no apiVersion and kind",
        file: "chart/templates/extra.yaml",
        line: 2,
      },
    ]);
  });

  it("place a rendered line on the template line that writes it, in order", () => {
    const template = "kind: A\nlabels:\n  app: web\n  app: web\n  name: {{ .Values.n }}\n";
    const rendered = ["# Source: c/templates/a.yaml", "kind: A", "labels:", "  app: web", "  app: web", "  name: x"];
    expect([1, 3, 4, 5].map((i) => literalLine(template, rendered, i))).toEqual([1, 3, 4, 5]);
    // A value from an action stays on its own line, not on a later line that writes the same text
    // (stable/collabora-code: failureThreshold literal in one probe, from values in the other).
    const probes = "a:\n  t: 3\n  t: {{ .Values.a }}\nb:\n  t: 3\n  t: {{ .Values.b }}\n";
    const out = ["a:", "  t: 3", "  t: 3", "b:", "  t: 3", "  t: 3"];
    expect([2, 4, 5].map((i) => literalLine(probes, out, i))).toEqual([3, 5, 6]);
    // Lines that are only actions expand to any number of lines: nothing is placed on them.
    expect(literalLine("labels:\n  {{- toYaml .Values.l | nindent 2 }}\n", ["labels:", "  a: b"], 1)).toBeUndefined();
    // With several documents, only a line written once is placed.
    const two = "kind: A\napp: web\n---\nkind: B\napp: web\nonly: once\n";
    expect(literalLine(two, ["kind: B", "app: web", "only: once"], 1)).toBeUndefined();
    expect(literalLine(two, ["kind: B", "app: web", "only: once"], 2)).toBe(6);
  });
});

describe("template documents", () => {
  it("split at --- lines, skipping template logic, comments and blank documents", () => {
    const text = "---\n# header\n{{- if .Values.x }}\napiVersion: v1\nkind: Service\n{{- end }}\n---\n\n---\n{{ include \"all\" . }}\n";
    expect(templateDocuments(text)).toEqual([{ line: 4, kind: "Service" }, { line: 10 }]);
  });

  it("match output documents by kind, then by position", () => {
    const docs = [{ line: 1, kind: "Deployment" }, { line: 9, kind: "Service" }, { line: 20 }];
    expect(matchDocuments(docs, ["Service", "Deployment"])).toEqual([9, 1]);
    expect(matchDocuments(docs, ["ConfigMap", "Secret", "Secret", "Secret"])).toEqual([1, 9, 20, undefined]);
    expect(matchDocuments(docs, ["Service", "Service"])).toEqual([9, 9]);
  });
});
