import { describe, expect, it } from "vitest";
import { ConditionError, evaluateConditions } from "../../src/policy/engine/conditions.js";
import { operatorFor } from "../../src/policy/engine/operators.js";
import { substituteAll, substituteString, SubstitutionError } from "../../src/policy/engine/substitute.js";

describe("condition operators", () => {
  it.each<[string, unknown, unknown, boolean]>([
    ["Equals", "CREATE", "CREATE", true],
    ["Equals", "CREATE", "CRE*", true],
    ["equals", "CREATE", "UPDATE", false],
    ["Equals", 3, 3, true],
    ["Equals", 3, "3", true],
    ["Equals", 3, "3.5", false],
    ["Equals", true, true, true],
    ["Equals", "true", true, false],
    ["Equals", "1Gi", "1024Mi", true],
    ["Equals", "1h", "60m0s", true],
    ["Equals", "1h", 3600, true],
    ["Equals", { a: 1 }, { a: 1 }, true],
    ["Equals", ["a"], ["a"], true],
    ["Equals", null, null, false],
    ["NotEquals", "DELETE", "DELETE", false],
    ["NotEquals", "CREATE", "DELETE", true],
    ["NotEquals", 2, 1, true],
    ["GreaterThan", 5, 3, true],
    ["GreaterThan", "5", 3, true],
    ["GreaterThan", "2Gi", "1Gi", true],
    ["GreaterThan", "500m", "1", false],
    ["GreaterThanOrEquals", "1.0.0", "1.0.0", true],
    ["LessThan", "1.2.0", "1.10.0", true],
    ["LessThan", "30s", "1m0s", true],
    ["LessThanOrEquals", 3, "3", true],
    ["GreaterThan", "abc", 1, false],
    ["DurationGreaterThan", "2h", "1h", true],
    ["DurationLessThan", 30, "1m0s", true],
    ["DurationGreaterThanOrEquals", "bad", "1h", false],
    // the In family
    ["AnyIn", "CREATE", ["CREATE", "UPDATE"], true],
    ["AnyIn", "DELETE", ["CREATE", "UPDATE"], false],
    ["AnyIn", ["a", "x"], ["a", "b"], true],
    ["AnyIn", ["x", "y"], ["a", "b"], false],
    ["AnyIn", "nginx:latest", ["*:latest"], true],
    ["AllIn", ["a", "b"], ["a", "b", "c"], true],
    ["AllIn", ["a", "z"], ["a", "b", "c"], false],
    ["AnyNotIn", ["NET_ADMIN", "CHOWN"], ["CHOWN", "KILL"], true],
    ["AnyNotIn", ["CHOWN"], ["CHOWN", "KILL"], false],
    ["AnyNotIn", [], ["CHOWN"], false],
    ["AnyNotIn", "ALL", [], true],
    ["AnyNotIn", "ALL", ["ALL"], false],
    ["AllNotIn", ["x", "y"], ["a", "b"], true],
    ["AllNotIn", ["x", "a"], ["a", "b"], false],
    ["AllNotIn", "livenessProbe", ["name", "image"], true],
    ["AllNotIn", "livenessProbe", ["name", "livenessProbe"], false],
    // ranges as values
    ["AnyNotIn", [5500, 7000], "5000-6000", true],
    ["AnyNotIn", [5500, 5600], "5000-6000", false],
    ["AnyIn", [4000, 5500], "5000-6000", true],
    ["AllIn", [5500, 5600], "5000-6000", true],
    ["AllNotIn", [4000, 7000], "5000-6000", true],
    ["AnyIn", 5500, "5000-6000", true],
    // a JSON array in a string is a list
    ["AnyIn", "b", '["a", "b"]', true],
    // deprecated In / NotIn
    ["In", "a", ["a", "b"], true],
    ["In", ["a", "b"], ["a", "b", "c"], true],
    ["In", ["a", "z"], ["a", "b", "c"], false],
    ["NotIn", "z", ["a", "b"], true],
    ["NotIn", ["a", "z"], ["a", "b"], true],
  ])("%s(%j, %j) → %s", (op, key, value, expected) => {
    const fn = operatorFor(op);
    expect(fn).toBeDefined();
    expect(fn!(key, value)).toBe(expected);
  });

  it("has no handler for unknown operators", () => {
    expect(operatorFor("Contains")).toBeUndefined();
  });
});

describe("condition blocks", () => {
  const data = { request: { operation: "CREATE", object: { metadata: { name: "web", labels: { app: "web" } } } } };

  it.each<[string, unknown, boolean]>([
    ["no conditions", undefined, true],
    ["all holds", { all: [{ key: "{{ request.operation }}", operator: "Equals", value: "CREATE" }] }, true],
    ["all fails", { all: [{ key: "{{ request.operation }}", operator: "Equals", value: "CREATE" }, { key: "a", operator: "Equals", value: "b" }] }, false],
    ["any holds", { any: [{ key: "a", operator: "Equals", value: "b" }, { key: "{{ request.object.metadata.name }}", operator: "Equals", value: "w*" }] }, true],
    ["any fails", { any: [{ key: "a", operator: "Equals", value: "b" }] }, false],
    ["empty any never holds", { any: [] }, false],
    ["empty all holds", { all: [] }, true],
    ["any and all together", { any: [{ key: "x", operator: "Equals", value: "x" }], all: [{ key: "y", operator: "Equals", value: "z" }] }, false],
    ["old list form", [{ key: "{{ request.operation }}", operator: "In", value: ["CREATE", "UPDATE"] }], true],
    ["default for a missing label", { all: [{ key: "{{ request.object.metadata.labels.team || 'none' }}", operator: "Equals", value: "none" }] }, true],
  ])("%s", (_name, block, expected) => {
    expect(evaluateConditions(block, data).result).toBe(expected);
  });

  it("reports the messages of deciding conditions", () => {
    const r = evaluateConditions({ all: [{ key: "a", operator: "Equals", value: "b", message: "a is not b" }] }, data);
    expect(r).toEqual({ result: false, messages: ["a is not b"] });
  });

  it("fails on unknown operators and unresolvable variables", () => {
    expect(() => evaluateConditions({ all: [{ key: "a", operator: "Like", value: "a" }] }, data)).toThrow(ConditionError);
    expect(() => evaluateConditions({ all: [{ key: "{{ request.object.metadata.labels.team }}", operator: "Equals", value: "x" }] }, data)).toThrow(/Unknown key "team"/);
  });
});

describe("variable substitution", () => {
  const data = { request: { object: { metadata: { name: "web", labels: { app: "web" } }, spec: { replicas: 3 } } }, names: ["a", "b"], key: "app" };

  it.each<[string, unknown]>([
    ["{{ request.object.spec.replicas }}", 3],
    ["{{request.object.metadata.labels}}", { app: "web" }],
    ["name-{{ request.object.metadata.name }}", "name-web"],
    ["{{ request.object.metadata.name }}/{{ request.object.spec.replicas }}", "web/3"],
    ["list: {{ names }}", 'list: ["a","b"]'],
    ["{{ request.object.metadata.labels.{{ key }} }}", "web"],
    ["\\{{ not.a.variable }}", "{{ not.a.variable }}"],
    ["no variables", "no variables"],
  ])("%s", (text, expected) => {
    expect(substituteString(text, data)).toEqual(expected);
  });

  it("substitutes keys and leaves documents without variables untouched", () => {
    const doc = { "{{ key }}": "{{ request.object.metadata.name }}", plain: { a: 1 } };
    expect(substituteAll(doc, data)).toEqual({ app: "web", plain: { a: 1 } });
    const plain = { a: [1, { b: "c" }] };
    expect(substituteAll(plain, data)).toBe(plain);
  });

  it("`{{@}}` is the resource's value at the pattern's path", () => {
    expect(substituteAll({ spec: { replicas: "{{@}}" } }, data)).toEqual({ spec: { replicas: 3 } });
  });

  it("an unresolvable variable is an error naming it", () => {
    expect(() => substituteString("{{ request.object.metadata.annotations.x }}", data)).toThrow(SubstitutionError);
  });
});
