import { describe, expect, it } from "vitest";
import { createManifestsRenderer } from "../../src/render/manifests/renderer.js";
import { memoryTree } from "../helpers/memory-tree.js";

const renderer = createManifestsRenderer();
const limits = { timeoutMs: 1000, maxOutputBytes: 1 << 20 };
const target = { id: "k8s", type: "manifests" as const, path: "k8s" };

/** Billion laughs: nine levels of nine aliases each, 387 million nodes if expanded. */
function aliasBomb(): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'a0: &a0 ["lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`);
  lines.push("data: {x: *a9}");
  return lines.join("\n") + "\n";
}

describe("plain manifests", () => {
  it("renders every object of every file with its file and line, flattening Lists", async () => {
    const tree = memoryTree("head", {
      "k8s/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Service, metadata: {name: two}}\n",
    });
    const outcome = await renderer.render(target, tree, limits);
    expect(outcome.status).toBe("ok");
    if (outcome.status !== "ok") return;
    expect(outcome.resources.map((r) => [r.kind, r.name, r.source])).toEqual([
      ["ConfigMap", "one", { file: "k8s/a.yaml", line: 1 }],
      ["Service", "two", { file: "k8s/a.yaml", line: 5 }],
    ]);
  });

  it("reports malformed YAML with file and line", async () => {
    const tree = memoryTree("head", { "k8s/bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   oops: [unclosed\n" });
    const outcome = await renderer.render(target, tree, limits);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems[0]).toMatchObject({ ruleId: "input/yaml-invalid", file: "k8s/bad.yaml", line: 4 });
    expect(outcome.problems[0]!.message).toMatch(/^k8s\/bad\.yaml:4: invalid YAML: Nested mappings/);
  });

  it("rejects a YAML alias bomb fast and without expanding it", async () => {
    const tree = memoryTree("head", { "k8s/bomb.yaml": aliasBomb() });
    const before = process.memoryUsage().heapUsed;
    const start = performance.now();
    const outcome = await renderer.render(target, tree, limits);
    const ms = performance.now() - start;
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems[0]!.message).toMatch(/k8s\/bomb\.yaml:1: invalid YAML: .*alias/i);
    // Generous bounds: expansion would take minutes and gigabytes.
    expect(ms).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("warns about documents that are not objects instead of dropping them silently", async () => {
    const tree = memoryTree("head", { "k8s/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Secret\nmetadata: {}\n" });
    const outcome = await renderer.render(target, tree, limits);
    expect(outcome.status).toBe("ok");
    if (outcome.status !== "ok") return;
    expect(outcome.warnings).toEqual([
      { ruleId: "input/not-a-resource", severity: "warning", message: "k8s/a.yaml:5: Secret has no metadata.name", key: "Secret has no metadata.name", file: "k8s/a.yaml", line: 5 },
    ]);
  });

  it("discovers one target per folder kubectl would apply, deciding on documents, not names or looks", async () => {
    const tree = memoryTree("head", {
      "k8s/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
      "k8s/b.yml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
      "json/cm.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}\n',
      "quoted/cm.yaml": '"apiVersion": v1\n"kind": ConfigMap\nmetadata: {name: q}\n',
      "named/values-prod.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v}\n",
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "chart/ci/values-x.yaml": "apiVersion: v1\nkind: ConfigMap\n",
      ".github/workflows/ci.yml": "on: push\njobs: {build: {runs-on: ubuntu-latest}}\n",
      ".hidden/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h}\n",
      "dots/.cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n",
      "owned/cm.yaml": "apiVersion: v1\nkind: ConfigMap\n",
      "notes/readme.yaml": "title: not a manifest\nkind: of notes\n",
      "notes/looks.yaml": "# apiVersion: v1\n# kind: ConfigMap\ntext: |\n  apiVersion: v1\n  kind: ConfigMap\n",
      "web/package.json": '{"name": "x", "kind": "module", "apiVersion": 2, "scripts": {"kind": "x"}}\n',
    });
    const found = await renderer.discover(tree, { isOwned: (p) => p.startsWith("owned/") });
    expect(found.map((t) => t.id)).toEqual([".hidden", "dots", "json", "k8s", "named", "quoted"]);
  });
});
