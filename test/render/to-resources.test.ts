import { describe, expect, it } from "vitest";
import { yamlToResources } from "../../src/render/to-resources.js";

const ids = (text: string, file?: string) => yamlToResources(text, file).resources.map((r) => `${r.apiVersion} ${r.kind} ${r.name}`);

describe("objects as kubectl's unstructured decoder reads them", () => {
  it("reads any mapping with items as a list and takes its items, not the mapping", () => {
    const text = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: inner}}\n";
    const result = yamlToResources(text, "a.yaml");
    expect(result.resources.map((r) => r.name)).toEqual(["inner"]);
    expect(result.objects).toBe(1);
    expect(result.problems.map((p) => p.message)).toEqual([
      "a.yaml:1: Widget w has a top-level items field, so kubectl reads it as a list and applies its 1 items, not the Widget itself",
    ]);
  });

  it("gives items without apiVersion and kind the list's apiVersion and its kind without List", () => {
    const text = "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata: {name: a}\n  spec: {replicas: 2}\n";
    const [r] = yamlToResources(text, "a.yaml").resources;
    expect(r?.body).toEqual({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "a" }, spec: { replicas: 2 } });
    expect(r?.locate?.(["spec", "replicas"])).toBe(5);
  });

  it("counts objects that are not resources, so a file of them is still read", () => {
    expect(yamlToResources("apiVersion: v1\nkind: Secret\nmetadata: {}\n").objects).toBe(1);
    expect(yamlToResources("kind: List\nitems: []\n").objects).toBe(1);
    expect(yamlToResources("kind: Config\nname: x\n---\napiVersion: v2\nname: chart\n").objects).toBe(0);
  });

  it("knows the lines of fields of a JSON document", () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "j"},\n  "data": {\n    "a": "b"\n  }\n}\n';
    const [r] = yamlToResources(text, "cm.json").resources;
    expect(r?.source).toEqual({ file: "cm.json", line: 1 });
    expect(r?.locate?.(["data", "a"])).toBe(6);
  });

  it("reads tool output the same way", () => {
    expect(ids("---\napiVersion: example.com/v1\nkind: Widget\nitems:\n- {metadata: {name: w}}\n---#\nkind: List\nitems: null\n")).toEqual(["example.com/v1 Widget w"]);
  });
});
