import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TargetSpec } from "../../src/core/model/target.js";
import { createHelmRenderer } from "../../src/render/helm/renderer.js";
import { matchDocuments, templateDocuments } from "../../src/render/helm/template-documents.js";
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
