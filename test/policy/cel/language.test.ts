/**
 * Language pieces @bufbuild/cel 0.6 lacks and Kubernetes policies use: `cel.bind`, optional
 * entries in list and map literals, the cel-go ext lists and strings functions, and the Kubernetes
 * lists library (k8s.io/apiserver/pkg/cel/library/lists.go), with their cel-go semantics.
 */
import { describe, expect, it } from "vitest";
import { desugarOptionals } from "../../../src/policy/cel/optional-syntax.js";
import { compileCel } from "../../../src/policy/cel/environment.js";
import { run } from "./run.js";

const object = { metadata: { name: "web", labels: { team: "a" } }, spec: { containers: [{ name: "app", image: "nginx:1.2" }, { name: "side", image: "envoy:1" }] } };

describe("cel.bind", () => {
  it("binds a name for the body, nests and shadows", () => {
    expect(run("cel.bind(x, 2, x * x)")).toBe(4);
    expect(run("cel.bind(c, object.spec.containers, c.size() == 2 && c[0].name == 'app')", { object })).toBe(true);
    expect(run("cel.bind(a, 1, cel.bind(b, a + 1, cel.bind(a, 10, a + b)))")).toBe(12);
    expect(run("cel.bind(names, object.spec.containers.map(c, c.name), names.exists(n, n == 'side'))", { object })).toBe(true);
    expect(run("[1, 2].map(i, cel.bind(d, i * 10, d + i))")).toEqual([11, 22]);
  });

  it("rejects a bind whose name is not an identifier", () => {
    expect(() => compileCel("cel.bind('x', 1, 2)")).toThrow(/simple identifier/);
  });

  it("reports the identifiers an expression reads", () => {
    expect([...compileCel("authorizer.group('apps').check('get').allowed() && object.x").identifiers]).toEqual(expect.arrayContaining(["authorizer", "object"]));
  });
});

describe("optional entries in literals", () => {
  it("rewrites [?x] and {?k: v} into calls", () => {
    expect(desugarOptionals("[?a.?b, c]")).toBe("optList__([optEntry__(a.optSelect__('b')), c])");
    expect(desugarOptionals("{'x': 1, ?'k': m[?'k']}")).toBe("optMap__({'x': 1, 'k': optEntry__( m.optIndex__('k'))})");
    expect(desugarOptionals("[a ? b : c, d]")).toBe("[a ? b : c, d]");
    expect(desugarOptionals("f([?x], {?'a': y})[0]")).toBe("f(optList__([optEntry__(x)]), optMap__({'a': optEntry__( y)}))[0]");
  });

  it("keeps present entries and drops absent ones, as cel-go", () => {
    expect(run("[?object.metadata.?name, ?object.metadata.?namespace, 'x']", { object })).toEqual(["web", "x"]);
    expect(run("{?'team': object.metadata.labels[?'team'], ?'env': object.metadata.labels[?'env'], 'n': 1}", { object })).toEqual({ team: "a", n: 1 });
    expect(run("[?optional.none()].size() == 0 && [?optional.of([1, ?optional.of(2)])][0] == [1, 2]")).toBe(true);
    expect(run("[?1]")).toMatch(/^ERROR .*optional/);
  });
});

describe("lists", () => {
  it("has the Kubernetes lists library", () => {
    expect(run("[1, 2, 2, 3].indexOf(2) == 1 && ['a', 'b', 'b', 'c'].lastIndexOf('b') == 2 && [1.0].indexOf(1.1) == -1 && [].indexOf('s') == -1")).toBe(true);
    expect(run("[1, 3].sum() == 4 && [1.0, 3.5].sum() == 4.5 && [].sum() == 0 && ['b', 'a'].min() == 'a' && [2, 9].max() == 9")).toBe(true);
    expect(run("[].min()")).toMatch(/^ERROR .*empty list/);
    expect(run("[1, 2, 3].isSorted() && !['b', 'a'].isSorted() && [].isSorted() && [1, 2].includes(2) && 'a'.includes('a')")).toBe(true);
    expect(run("[[1], [2]].indexOf([2]) == 1 && [{'a': 1}].indexOf({'a': 1}) == 0 && [1].indexOf(1.0) == 0")).toBe(true);
    expect(run("[1, 'a'].isSorted()")).toMatch(/^ERROR .*compare/);
  });

  it("has cel-go's ext lists", () => {
    expect(run("lists.range(4)")).toEqual([0, 1, 2, 3]);
    expect(run("lists.range(0) == [] && lists.range(-3) == []")).toBe(true);
    expect(run("[1, 2, 3, 4].slice(1, 3)")).toEqual([2, 3]);
    expect(run("[1, 2].slice(2, 1)")).toMatch(/^ERROR .*start index/);
    expect(run("[1, 2].slice(0, 3)")).toMatch(/^ERROR .*length 2/);
    expect(run("[1, [2, [3, [4]]]].flatten()")).toEqual([1, 2, [3, [4]]]);
    expect(run("[1, [2, [3, [4]]]].flatten(2)")).toEqual([1, 2, 3, [4]]);
    expect(run("[1, [2]].flatten(-1)")).toMatch(/^ERROR .*non-negative/);
    expect(run("[1, 2, 1, 3, 2, 1.0].distinct()")).toEqual([1, 2, 3]);
    expect(run("[1, 2, 3].reverse()")).toEqual([3, 2, 1]);
    expect(run("['b', 'c', 'a'].sort()")).toEqual(["a", "b", "c"]);
    expect(run("[3, 1.5, 2].sort()")).toEqual([1.5, 2, 3]);
    expect(run("[1, 'a'].sort()")).toMatch(/^ERROR .*compare/);
    expect(run("object.spec.containers.sortBy(c, c.image).map(c, c.name)", { object })).toEqual(["side", "app"]);
    expect(run("[{'k': 2, 'v': 'x'}, {'k': 1, 'v': 'y'}, {'k': 2, 'v': 'z'}].sortBy(e, e.k).map(e, e.v)")).toEqual(["y", "x", "z"]);
    expect(run("[1, 2].first().value() == 1 && [1, 2].last().value() == 2 && !([].first().hasValue())")).toBe(true);
  });
});

describe("strings", () => {
  it("has the ext strings functions with Go's semantics", () => {
    expect(run("'hello'.charAt(1) + 'hello'.indexOf('l') + 'hello'.lastIndexOf('l')")).toMatch(/^ERROR/); // string + int: no overload
    expect(run("'hello'.charAt(1) == 'e' && 'hello'.indexOf('l') == 2 && 'hello'.lastIndexOf('l') == 3")).toBe(true);
    expect(run("'TacoCat'.lowerAscii() == 'tacocat' && 'TacoCat'.upperAscii() == 'TACOCAT' && '  x '.trim() == 'x'")).toBe(true);
    expect(run("'a,b,c'.split(',')")).toEqual(["a", "b", "c"]);
    expect(run("'a,b,c'.split(',', 2)")).toEqual(["a", "b,c"]);
    expect(run("'a,b,c'.split(',', 0)")).toEqual([]);
    expect(run("'a,b,c'.split(',', -1)")).toEqual(["a", "b", "c"]);
    expect(run("'héllo'.split('')")).toEqual(["h", "é", "l", "l", "o"]);
    expect(run("'aaa'.replace('a', 'b', 2) + '|' + 'aaa'.replace('a', 'b') + '|' + 'aaa'.replace('a', 'b', -1) + '|' + 'ab'.replace('', '-')")).toBe("bba|bbb|bbb|-a-b-");
    expect(run("'hello'.substring(1, 3) == 'el' && ['a', 'b'].join('-') == 'a-b' && strings.quote('a\"b') == '\"a\\\\\"b\"'")).toBe(true);
    expect(run("'%s has %d containers'.format(['web', 2])")).toBe("web has 2 containers");
    expect(run("'gums'.reverse() + '😀a'.reverse()")).toBe("smuga😀");
  });

  it("converts IPs and CIDRs to strings", () => {
    expect(run("string(ip('2001:DB8::1')) + ' ' + string(cidr('192.168.1.77/24')) + ' ' + string(cidr('10.0.0.0/8').ip())")).toBe("2001:db8::1 192.168.1.77/24 10.0.0.0");
    expect(run("string(1) == '1' && string(quantity('1Gi')) == ''")).toMatch(/^ERROR .*string/);
  });
});

describe("cost of the new functions", () => {
  it("stops huge ranges, doubling binds and growing replaces", () => {
    const start = Date.now();
    expect(run("lists.range(9223372036854775807).size()")).toMatch(/^ERROR .*cost budget/);
    expect(run("lists.range(100000000).size()")).toMatch(/^ERROR .*cost budget/);
    const doubling = Array.from({ length: 40 }, (_, i) => `cel.bind(v${i + 1}, v${i} + v${i}, `).join("");
    expect(run(`cel.bind(v0, 'xxxxxxxxxxxxxxxx', ${doubling} v40.size()${")".repeat(40)})`)).toMatch(/^ERROR .*cost budget/);
    expect(run("s.replace('', s).replace('', s).size()", { s: "x".repeat(5000) })).toMatch(/^ERROR .*cost budget/);
    expect(run("lists.range(2000).map(i, lists.range(2000)).flatten().distinct().size()")).toMatch(/^ERROR .*(cost budget|time limit)/);
    expect(run("lists.range(3000).sortBy(i, -i)[0]")).toBe(2999);
    expect(Date.now() - start).toBeLessThan(8000);
  });
});
