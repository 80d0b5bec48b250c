/** Pairing copies of one identity by where they come from (issue 12, found #1). */
import { describe, expect, it } from "vitest";
import { pairResources } from "../../src/core/diff/match.js";
import type { Resource } from "../../src/core/model/resource.js";

function cm(name: string, v: string, file?: string): Resource {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    namespace: "default",
    name,
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: { v } },
    ...(file ? { source: { file, line: 1 } } : {}),
  };
}

/** Pairs as "file:v → file:v", and the unpaired as "file:v". */
function describePairing(base: Resource[], head: Resource[]) {
  const at = (r: Resource) => `${r.source?.file ?? "?"}:${(r.body.data as { v: string }).v}`;
  const p = pairResources(base, head);
  return { pairs: p.pairs.map((x) => `${at(x.base)} → ${at(x.head)}`), added: p.added.map(at), removed: p.removed.map(at) };
}

describe("pairResources with copies of one identity", () => {
  it("pairs each copy with the copy from the same file", () => {
    expect(describePairing([cm("x", "1", "a.yaml"), cm("x", "2", "b.yaml")], [cm("x", "2", "b.yaml"), cm("x", "1", "a.yaml")])).toEqual({
      pairs: ["a.yaml:1 → a.yaml:1", "b.yaml:2 → b.yaml:2"],
      added: [],
      removed: [],
    });
  });

  it("pairs a copy moved to another file by its content", () => {
    expect(describePairing([cm("x", "1", "a.yaml"), cm("x", "2", "b.yaml")], [cm("x", "1", "a.yaml"), cm("x", "2", "c.yaml")])).toEqual({
      pairs: ["a.yaml:1 → a.yaml:1", "b.yaml:2 → c.yaml:2"],
      added: [],
      removed: [],
    });
  });

  it("tells copies within one file apart by their order", () => {
    expect(describePairing([cm("x", "1", "a.yaml"), cm("x", "2", "a.yaml")], [cm("x", "1", "a.yaml"), cm("x", "3", "a.yaml")])).toEqual({
      pairs: ["a.yaml:1 → a.yaml:1", "a.yaml:2 → a.yaml:3"],
      added: [],
      removed: [],
    });
  });

  it("reports no removal for a copy dropped while the identity remains, nor an addition for a new copy", () => {
    expect(describePairing([cm("x", "1", "a.yaml"), cm("x", "2", "b.yaml")], [cm("x", "1", "a.yaml")])).toEqual({ pairs: ["a.yaml:1 → a.yaml:1"], added: [], removed: [] });
    expect(describePairing([cm("x", "1", "a.yaml")], [cm("x", "1", "a.yaml"), cm("x", "2", "b.yaml")])).toEqual({ pairs: ["a.yaml:1 → a.yaml:1"], added: [], removed: [] });
  });

  it("removes every copy when the identity is gone from the head", () => {
    expect(describePairing([cm("x", "1", "a.yaml"), cm("x", "2", "b.yaml")], [cm("y", "1", "a.yaml")])).toEqual({
      pairs: [],
      added: ["a.yaml:1"],
      removed: ["a.yaml:1", "b.yaml:2"],
    });
  });

  it("pairs a single copy whatever file it moved to", () => {
    expect(describePairing([cm("x", "1", "a.yaml")], [cm("x", "2", "b.yaml")])).toEqual({ pairs: ["a.yaml:1 → b.yaml:2"], added: [], removed: [] });
  });
});
