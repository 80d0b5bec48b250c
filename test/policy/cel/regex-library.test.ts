/**
 * `find` / `findAll` with Go's regexp semantics (leftmost-first, RE2 syntax), as the Kubernetes
 * regex library (k8s.io/apiserver/pkg/cel/library/regex.go), and linear time on hostile input.
 */
import { describe, expect, it } from "vitest";
import { find, findAll } from "../../../src/policy/cel/regex-library.js";
import { run } from "./run.js";

describe("regex find / findAll", () => {
  it("returns the leftmost-first match, as Go's FindString", () => {
    expect(find("abc 123", "[0-9]+")).toBe("123");
    expect(find("abc", "[0-9]+")).toBe("");
    expect(find("ab", "a|ab")).toBe("a");
    expect(find("ab", "ab|a")).toBe("ab");
    expect(find("aaa", "a*?")).toBe("");
    expect(find("aaa", "a+?")).toBe("a");
    expect(find("xaaay", "a*")).toBe("");
    expect(find("foo bar", "\\bbar")).toBe("bar");
    expect(find("x\nab", "(?m)^a.")).toBe("ab");
    expect(find("x\nab", "^a.")).toBe("");
    expect(find("héllo wörld", "w.r")).toBe("wör");
    expect(find("😀x", "x")).toBe("x");
    expect(find("ABC", "(?i)b")).toBe("B");
  });

  it("finds all matches as Go's FindAllString (limit, empty matches)", () => {
    expect(findAll("123 abc 456", "[0-9]+", -1)).toEqual(["123", "456"]);
    expect(findAll("123 abc 456", "[0-9]+", 1)).toEqual(["123"]);
    expect(findAll("123 abc 456", "[0-9]+", 0)).toEqual([]);
    expect(findAll("abc", "", -1)).toEqual(["", "", "", ""]);
    // Go skips the empty match right after "aaa" (regexp.allMatches).
    expect(findAll("baaab", "a*", -1)).toEqual(["", "aaa", ""]);
    expect(findAll("a,b,,c", "[^,]*", -1)).toEqual(["a", "b", "", "c"]);
  });

  it("is available in CEL with the Kubernetes signatures", () => {
    expect(run("'image: registry.io/app:v1.2'.find('v[0-9.]+')")).toBe("v1.2");
    expect(run("'a1 b2 c3'.findAll('[a-z][0-9]')")).toEqual(["a1", "b2", "c3"]);
    expect(run("'a1 b2 c3'.findAll('[a-z][0-9]', 2)")).toEqual(["a1", "b2"]);
    expect(run("'a1 b2 c3'.findAll('[a-z][0-9]', -5)")).toEqual(["a1", "b2", "c3"]);
    expect(run("'abc'.find('[')")).toMatch(/^ERROR .*Illegal regex/);
  });

  it("stays linear on patterns that make a backtracking engine explode", () => {
    const input = "a".repeat(20_000) + "!";
    const start = Date.now();
    expect(find(input, "(a+)+$")).toBe("");
    expect(find(input, "(a|aa)*b")).toBe("");
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it("charges the search to the budget: a huge input with a big pattern ends as an error", () => {
    const big = "x".repeat(200_000);
    const out = run(`s.findAll('(x|y){1,50}z')`, { s: big });
    expect(out).toMatch(/^ERROR .*(cost budget|time limit)/);
  });
});
