import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { yamlToResources } from "../../src/render/to-resources.js";

const FILE = "fixtures/render/source-map/manifests/app.yaml";
const text = readFileSync(resolve(import.meta.dirname, "../..", FILE), "utf8");

describe("plain manifest field lines", () => {
  const { resources } = yamlToResources(text, FILE);
  const byName = new Map(resources.map((r) => [r.name, r]));

  it("give the line of a key at any depth", () => {
    const app = byName.get("app")!;
    expect(app.source).toEqual({ file: FILE, line: 2 });
    expect(app.locate!([])).toBe(2);
    expect(app.locate!(["spec", "replicas"])).toBe(9);
    expect(app.locate!(["spec", "template", "spec", "containers", 0, "imagePullPolicyy"])).toBe(15);
    expect(app.locate!(["spec", "template", "spec", "containers", 1])).toBe(16);
    expect(app.locate!(["metadata", "labels", "app"])).toBe(7);
  });

  it("give the deepest existing part of a path, or nothing when even the first key is missing", () => {
    const app = byName.get("app")!;
    expect(app.locate!(["spec", "selector"])).toBe(8);
    expect(app.locate!(["spec", "template", "spec", "containers", 5, "image"])).toBe(12);
    expect(app.locate!(["status"])).toBeUndefined();
  });

  it("work inside the items of a List", () => {
    expect(byName.get("first")!.locate!(["data", "a"])).toBe(27);
    expect(byName.get("second")!.locate!(["data", "b"])).toBe(33);
    expect(byName.get("second")!.locate!([])).toBe(28);
    expect(byName.get("second")!.locate!(["spec"])).toBeUndefined();
  });

  it("are only offered for repository files", () => {
    expect(yamlToResources(text).resources.every((r) => r.locate === undefined)).toBe(true);
  });

  it("keep indented documents' columns", () => {
    const indented = "---\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n  data:\n    k: v\n";
    const [cm] = yamlToResources(indented, "x.yaml").resources;
    expect(cm!.locate!(["data", "k"])).toBe(7);
  });

  it("cost nothing until asked: 10k resources parse as fast as before", () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: value-${i}\n`;
    const big = Array.from({ length: 10_000 }, (_, i) => doc(i)).join("---\n");
    const started = performance.now();
    const { resources } = yamlToResources(big, "big.yaml");
    const parsed = performance.now() - started;
    expect(resources).toHaveLength(10_000);
    const asked = performance.now();
    expect(resources[9_999]!.locate!(["data", "key"])).toBe(10_000 * 7 - 1);
    // One document is re-read, not the file.
    expect(performance.now() - asked).toBeLessThan(Math.max(50, parsed / 10));
  });
});
