import { describe, expect, it } from "vitest";
import { lineOf, parseYamlStream } from "../../src/yaml/parse.js";

const TEXT = `spec:
  interval: 5m
  valuesFrom:
    - kind: ConfigMap
      name: values
  values:
    replicas: 2
  flow: { a: 1 }
`;

describe("lineOf", () => {
  const { docs, lineCounter } = parseYamlStream(TEXT);
  const at = (...path: (string | number)[]) => lineOf(docs[0]!, path, lineCounter);

  it("gives the line of the key, also when its value is a block on the next lines", () => {
    expect(at("spec", "interval")).toBe(2);
    expect(at("spec", "valuesFrom")).toBe(3);
    expect(at("spec", "values")).toBe(6);
    expect(at("spec", "flow", "a")).toBe(8);
  });

  it("gives the line of a list item, and undefined for what is not there", () => {
    expect(at("spec", "valuesFrom", 0)).toBe(4);
    expect(at("spec", "valuesFrom", 0, "name")).toBe(5);
    expect(at("spec", "missing")).toBeUndefined();
    expect(at()).toBe(1);
  });
});
