/**
 * cel-go's two-variable comprehensions (ext TwoVarComprehensions): on a list the first variable
 * is the index, on a map the key; results as cel-go gives them, and metered like any loop.
 */
import { describe, expect, it } from "vitest";
import { compileCel } from "../../../src/policy/cel/environment.js";
import { run } from "./run.js";

const object = { metadata: { labels: { team: "a", tier: "web" } }, spec: { containers: [{ name: "app", image: "nginx:1.2" }, { name: "side", image: "envoy:1" }] } };

describe("two-variable comprehensions", () => {
  it("all / exists / existsOne over a list see the index and the element", () => {
    expect(run("[10, 20, 30].all(i, v, v == (i + 1) * 10)")).toBe(true);
    expect(run("[10, 20, 30].all(i, v, i < 2)")).toBe(false);
    expect(run("object.spec.containers.exists(i, c, i == 1 && c.name == 'side')", { object })).toBe(true);
    expect(run("[1, 2, 3].existsOne(i, v, v > 2)")).toBe(true);
    expect(run("[1, 2, 3].exists_one(i, v, v > 1)")).toBe(false);
  });

  it("all / exists over a map see the key and the value", () => {
    expect(run("object.metadata.labels.all(k, v, k.size() > 1 && v != '')", { object })).toBe(true);
    expect(run("object.metadata.labels.exists(k, v, k == 'tier' && v == 'web')", { object })).toBe(true);
    expect(run("object.metadata.labels.exists(k, v, k == v)", { object })).toBe(false);
  });

  it("absorbs an error the way all / exists do (commutative && and ||)", () => {
    expect(run("[0, 1].exists(i, v, 1 / v == 1)")).toBe(true);
    expect(run("[0, 1].all(i, v, 1 / v == 1)")).toMatch(/^ERROR/);
  });

  it("transformList and transformMap, with and without a filter", () => {
    expect(run("object.spec.containers.transformList(i, c, string(i) + ':' + c.name)", { object })).toEqual(["0:app", "1:side"]);
    expect(run("[1, 2, 3, 4].transformList(i, v, i % 2 == 0, v * v)")).toEqual([1, 9]);
    expect(run("object.metadata.labels.transformList(k, v, k + '=' + v)", { object })).toEqual(["team=a", "tier=web"]);
    expect(run("object.metadata.labels.transformMap(k, v, v + '-x')", { object })).toEqual({ team: "a-x", tier: "web-x" });
    expect(run("object.metadata.labels.transformMap(k, v, k != 'team', v.upperAscii())", { object })).toEqual({ tier: "WEB" });
    expect(run("['a', 'b'].transformMap(i, v, v + v)")).toEqual({ 0: "aa", 1: "bb" });
  });

  it("nests, shadows, and leaves the one-variable macros alone", () => {
    expect(run("[[1, 2], [3]].all(i, l, l.all(j, v, v > i))")).toBe(true);
    expect(run("[1, 2].map(x, x * 2).exists(i, x, i == 1 && x == 4)")).toBe(true);
    expect(run("[1, 2].all(x, x > 0) && [1, 2].exists(x, x == 2)")).toBe(true);
  });

  it("rejects variables that are not names, or the same name twice", () => {
    expect(() => compileCel("[1].all('i', v, true)")).toThrow(/simple identifiers/);
    expect(() => compileCel("[1].all(v, v, true)")).toThrow(/different/);
  });

  it("is metered: a long two-variable loop spends the budget", () => {
    expect(run("lists.range(3000).all(i, v, lists.range(3000).all(j, w, i + j >= 0))")).toMatch(/^ERROR .*(cost budget|time limit)/);
    expect(run("lists.range(20).transformList(i, v, 'x')")).toHaveLength(20);
  });
});
