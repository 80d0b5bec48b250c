import { describe, expect, it } from "vitest";
import { kustomizeInputs } from "../../src/render/kustomize/inputs.js";
import { yamlToResources } from "../../src/render/to-resources.js";
import { fastDocument } from "../../src/yaml/fast-stream.js";
import { lineOf, parseYamlMapping, parseYamlStream } from "../../src/yaml/parse.js";
import { memoryTree } from "../helpers/memory-tree.js";

const value = (text: string) => {
  const parsed = parseYamlStream(text);
  expect(parsed.errors).toEqual([]);
  return parsed.docs[0]!.value;
};

describe("merge keys, read as go-yaml v2 (kubectl, helm, kustomize's own files) reads them", () => {
  it.each<[string, string, unknown]>([
    ["an inline mapping", "a: {<<: {x: 1, y: 1}, y: 2}", { a: { x: 1, y: 2 } }],
    ["a key after the merge overrides it", "a: {<<: {x: 1}, x: 2}", { a: { x: 2 } }],
    ["a key before the merge is overridden by it", "a: {x: 2, <<: {x: 1}}", { a: { x: 1 } }],
    ["a list of mappings: the earlier one wins", "a: {<<: [{x: 1}, {x: 2, y: 2}]}", { a: { x: 1, y: 2 } }],
    ["an alias", "d: &d {x: 1}\na: {<<: *d, y: 2}", { d: { x: 1 }, a: { x: 1, y: 2 } }],
    ["a list of aliases", "d: &d {x: 1}\ne: &e {x: 2, z: 2}\na: {<<: [*d, *e]}", { d: { x: 1 }, e: { x: 2, z: 2 }, a: { x: 1, z: 2 } }],
    ["a merged mapping that merges in turn", "d: &d {<<: {x: 1}, y: 1}\na: {<<: *d}", { d: { x: 1, y: 1 }, a: { x: 1, y: 1 } }],
    ["block style", "a:\n  <<:\n    privileged: true\n  b: 1\n", { a: { privileged: true, b: 1 } }],
    ["an explicit !!merge tag", "a: {!!merge <<: {x: 1}}", { a: { x: 1 } }],
    ["a quoted key, which is not a merge", 'a: {"<<": {x: 1}}', { a: { "<<": { x: 1 } } }],
    ["a %YAML 1.1 document, by the same rule", "%YAML 1.1\n---\na: {x: 2, <<: {x: 1}}\n", { a: { x: 1 } }],
    ["nested merges in sequences", "a: [{<<: {x: 1}}, {<<: {x: 2}}]", { a: [{ x: 1 }, { x: 2 }] }],
    ["a __proto__ key as a plain key", "a: {<<: {__proto__: {polluted: 1}}}", { a: JSON.parse('{"__proto__": {"polluted": 1}}') }],
  ])("applies %s", (_name, text, expected) => {
    expect(value(text)).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, string, string, number]>([
    ["a scalar", "a:\n  <<: 1\n", "the value of `<<` must be a mapping or a list of mappings", 2],
    ["a list holding a scalar", "a:\n  <<: [{x: 1}, 2]\n", "the value of `<<` must be a mapping or a list of mappings", 2],
    ["two merge keys in one mapping", "%YAML 1.1\n---\na:\n  <<: {x: 1}\n  <<: {x: 2}\n", "more than one `<<` in one mapping", 5],
    ["a mapping that merges itself", "a: &a\n  b: {<<: *a}\n", "alias *a is inside the value of its own anchor", 2],
  ])("refuses %s, as go-yaml does", (_name, text, message, line) => {
    const parsed = parseYamlStream(text);
    expect(parsed.docs).toEqual([]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.message).toContain(message);
    expect(parsed.errors[0]!.line).toBe(line);
  });

  it("refuses two merge keys in a YAML 1.2 document as duplicate keys", () => {
    expect(parseYamlStream("a:\n  <<: {x: 1}\n  <<: {x: 2}\n").errors[0]!.message).toContain("Map keys must be unique");
  });

  it("reports a key that tools read differently (written before a merge that changes it), with its line", () => {
    const parsed = parseYamlStream("a:\n  x: 2\n  y: 1\n  <<: {x: 1, y: 1}\n");
    expect(parsed.docs[0]!.value).toEqual({ a: { x: 1, y: 1 } });
    expect(parsed.mergeConflicts).toEqual([
      {
        line: 2,
        message:
          '"x" is set here and again by the `<<` after it (line 4): kubectl and helm take the merged value, kustomize and the YAML merge rule keep this one. Set it once, or put `<<` first',
      },
    ]);
  });

  it("leaves documents without `<<` to the fast path and sends the others to the careful parser", () => {
    expect(fastDocument("a: {b: 1}\n")).toBeDefined();
    expect(fastDocument("a: {<<: {b: 1}}\n")).toBeUndefined();
    expect(fastDocument("a:\n  << : {b: 1}\n")).toBeUndefined();
  });
});

describe("source lines of merged fields", () => {
  it("point at the merged mapping that writes the field", () => {
    const text = "d: &d\n  x: 1\n  y: 2\na:\n  <<: *d\n  y: 3\n";
    const doc = parseYamlMapping(text).doc!;
    const { lineCounter } = parseYamlStream(text);
    expect(lineOf(doc, ["a", "x"], lineCounter)).toBe(2);
    expect(lineOf(doc, ["a", "y"], lineCounter)).toBe(6);
  });

  it("locate policy paths in a manifest through a merge", () => {
    const text = [
      "apiVersion: v1",
      "kind: Pod",
      "metadata: {name: p}",
      "spec:",
      "  containers:",
      "    - name: c",
      "      securityContext:",
      "        <<:",
      "          privileged: true",
      "",
    ].join("\n");
    const { resources } = yamlToResources(text, "pod.yaml");
    expect(resources[0]!.body).toMatchObject({ spec: { containers: [{ securityContext: { privileged: true } }] } });
    expect(resources[0]!.locate?.(["spec", "containers", 0, "securityContext", "privileged"])).toBe(9);
  });
});

describe("kustomization files, which kustomize reads with merge keys", () => {
  it("see a remote base hidden in a merge and refuse it", async () => {
    const tree = memoryTree("head", {
      "app/kustomization.yaml": "<<: {resources: [https://github.com/example/evil//base?ref=main]}\n",
    });
    const inputs = await kustomizeInputs("app", tree);
    expect(inputs.blocking.map((p) => p.ruleId)).toEqual(["render/remote-base"]);
    expect(inputs.blocking[0]!.line).toBe(1);
  });

  it("see Helm inflation hidden in a merge and refuse it", async () => {
    const tree = memoryTree("head", { "app/kustomization.yaml": "<<:\n  helmCharts: [{name: x, repo: https://charts.example.com}]\n" });
    const inputs = await kustomizeInputs("app", tree);
    expect(inputs.blocking.map((p) => p.ruleId)).toEqual(["render/kustomize-helm"]);
  });
});
