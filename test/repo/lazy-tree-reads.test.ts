import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { LazyTree, type TreeSource } from "../../src/repo/lazy-tree.js";

/** A source that counts its reads, so the tests can say how often a file left the disk. */
function countingSource(files: Record<string, string | Buffer>): TreeSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readBytes: async (path) => {
      reads.push(path);
      await new Promise((r) => setTimeout(r, 1));
      const content = files[path];
      if (content === undefined) throw new Error(`${path}: not in the test tree`);
      return Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    },
    close: async () => {},
  };
}

function treeOf(files: Record<string, string | Buffer>) {
  const source = countingSource(files);
  const entries = new Map(Object.entries(files).map(([path, c]) => [path, { size: Buffer.byteLength(c) }]));
  return { tree: new LazyTree("test", "/nonexistent-root", { entries, warnings: [] }, source), source };
}

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

describe("LazyTree reads each file once", () => {
  it("keeps a digest's bytes for the text read that follows", async () => {
    const { tree, source } = treeOf({ "a.yaml": "kind: A\n" });
    expect(await tree.digest("a.yaml")).toBe(sha1("kind: A\n"));
    expect(await tree.read("a.yaml")).toBe("kind: A\n");
    expect(await tree.read("a.yaml")).toBe("kind: A\n");
    expect(source.reads).toEqual(["a.yaml"]);
  });

  it("shares one read between a digest and a read asked for at the same time", async () => {
    const { tree, source } = treeOf({ "a.yaml": "kind: A\n", "b.yaml": "kind: B\n" });
    const [d, t, t2] = await Promise.all([tree.digest("a.yaml"), tree.read("a.yaml"), tree.read("a.yaml")]);
    expect([d, t, t2]).toEqual([sha1("kind: A\n"), "kind: A\n", "kind: A\n"]);
    const [t3, d3] = await Promise.all([tree.read("b.yaml"), tree.digest("b.yaml")]);
    expect([t3, d3]).toEqual(["kind: B\n", sha1("kind: B\n")]);
    expect(source.reads.sort()).toEqual(["a.yaml", "b.yaml"]);
  });

  it("still refuses bytes that are not UTF-8 after a digest held them", async () => {
    const bad = Buffer.from([0x6b, 0xff, 0x0a]);
    const { tree } = treeOf({ "bad.yaml": bad });
    expect(await tree.digest("bad.yaml")).toBe(createHash("sha1").update(bad).digest("hex"));
    await expect(tree.read("bad.yaml")).rejects.toThrow(/UTF-8/);
  });
});
