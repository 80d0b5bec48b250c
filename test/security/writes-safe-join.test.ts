/**
 * The one safe-join every snapshot write goes through (git, directory and tarball snapshots, and
 * the kustomize renderer's rewrite of its materialised kustomization): hostile paths are refused,
 * and a symlink placed anywhere on the way never redirects a write.
 */
import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rewriteForOrigins } from "../../src/render/kustomize/origin-rewrite.js";
import { LazyTree } from "../../src/repo/lazy-tree.js";
import { SafeWriter, UnsafePathError, safeJoin, unsafePathProblem, unsafePathReason, writeInside } from "../../src/repo/safe-path.js";

let work: string;
let root: string;
let outside: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-safe-path-"));
  root = join(work, "root");
  outside = join(work, "outside");
  await mkdir(root);
  await mkdir(outside);
});
afterEach(async () => {
  // Whatever a test tried, nothing may appear outside the root.
  expect(await readdir(outside)).toEqual([]);
  await rm(work, { recursive: true, force: true });
});

describe("unsafePathReason", () => {
  it.each<[string, string]>([
    ["", "an empty path"],
    ["a\0b", "a NUL character"],
    ["/etc/passwd", "an absolute path"],
    ["\\\\server\\share", "an absolute path"],
    ["C:\\Windows", "an absolute path"],
    ["c:x", "an absolute path"],
    ["..", 'a ".." segment'],
    ["../x", 'a ".." segment'],
    ["x/../../../tmp/pwned", 'a ".." segment'],
    ["x/..", 'a ".." segment'],
    ["x\\..\\..\\pwned", 'a ".." segment'],
    ["a//b", "an empty segment"],
    ["a/", "an empty segment"],
    [".", 'a "." segment'],
    ["./a", 'a "." segment'],
    ["a/./b", 'a "." segment'],
  ])("refuses %j: %s", (path, reason) => {
    expect(unsafePathReason(path)).toBe(reason);
    expect(() => safeJoin(root, path)).toThrow(UnsafePathError);
  });

  it.each(["a", "a/b/c.yaml", ".github/shipshape.yml", "..a/b..", "a/.../b", "-x", "sp ace/ü.yaml", "a\nb"])("accepts %j", (path) => {
    expect(unsafePathReason(path)).toBeUndefined();
    expect(safeJoin(root, path)).toBe(join(root, path));
  });
});

describe("SafeWriter", () => {
  it("writes files and creates their folders", async () => {
    const writer = new SafeWriter(root);
    await Promise.all([writer.write("a/b/c.yaml", "c"), writer.write("a/b/d.yaml", "d"), writer.write("e.yaml", "e")]);
    expect(await readFile(join(root, "a/b/c.yaml"), "utf8")).toBe("c");
    expect(await readFile(join(root, "a/b/d.yaml"), "utf8")).toBe("d");
    expect(await readFile(join(root, "e.yaml"), "utf8")).toBe("e");
  });

  it("never writes through a folder symlink placed in the root beforehand", async () => {
    await symlink(outside, join(root, "app"));
    await expect(new SafeWriter(root).write("app/cm.yaml", "x")).rejects.toThrow("app: not written: it is a symbolic link on disk");
    await expect(new SafeWriter(root).write("app/deeper/cm.yaml", "x")).rejects.toThrow(UnsafePathError);
  });

  it("never writes through a symlink deeper on the way", async () => {
    await mkdir(join(root, "a/b"), { recursive: true });
    await symlink(outside, join(root, "a/b/c"));
    await expect(writeInside(root, "a/b/c/d/e.yaml", "x")).rejects.toThrow("a/b/c: not written: it is a symbolic link on disk");
  });

  it("never writes through a file symlink placed at the destination", async () => {
    await writeFile(join(work, "target"), "before");
    await symlink(join(work, "target"), join(root, "cm.yaml"));
    await expect(writeInside(root, "cm.yaml", "x")).rejects.toThrow("cm.yaml: not written: it is a symbolic link on disk");
    expect(await readFile(join(work, "target"), "utf8")).toBe("before");
  });

  it("refuses a FIFO at the destination instead of blocking on it", async () => {
    execFileSync("mkfifo", [join(root, "pipe")]);
    await expect(writeInside(root, "pipe", "x")).rejects.toThrow("pipe: not written: it exists on disk and is not a regular file");
  });

  it("refuses a file where a folder is needed", async () => {
    await writeFile(join(root, "a"), "file");
    await expect(writeInside(root, "a/b.yaml", "x")).rejects.toThrow("a: not written: it exists on disk and is not a folder");
  });

  it("refuses an existing file when asked for a new one", async () => {
    await writeFile(join(root, "t.tmp"), "old");
    await expect(writeInside(root, "t.tmp", "x", { exclusive: true })).rejects.toThrow(/EEXIST/);
    expect(await readFile(join(root, "t.tmp"), "utf8")).toBe("old");
  });
});

describe("snapshot listing", () => {
  const source = (files: Record<string, string>) => ({
    readBytes: async (path: string) => Buffer.from(files[path]!),
    close: async () => {},
  });

  it("leaves unsafe paths and files inside files out of the tree, each with an input/unsafe-path finding", async () => {
    const files = { "ok.yaml": "ok", "x/../../pwned": "x", a: "file", "a/b.yaml": "inside a file", "/abs": "x" };
    const entries = new Map(Object.keys(files).map((p) => [p, { size: 1 }]));
    const tree = new LazyTree("head", root, { entries, warnings: [] }, source(files));
    expect(tree.files()).toEqual(["a", "ok.yaml"]);
    expect(tree.warnings).toEqual([
      unsafePathProblem("x/../../pwned", 'a ".." segment'),
      unsafePathProblem("/abs", "an absolute path"),
      unsafePathProblem("a/b.yaml", 'a file, "a", as one of its folders'),
    ]);
    await tree.materialize(Object.keys(files));
    expect((await readdir(root)).sort()).toEqual(["a", "ok.yaml"]);
  });

  it("refuses to materialise through a symlink placed in its root", async () => {
    const files = { "app/cm.yaml": "x" };
    await symlink(outside, join(root, "app"));
    const tree = new LazyTree("head", root, { entries: new Map([["app/cm.yaml", { size: 1 }]]), warnings: [] }, source(files));
    await expect(tree.materialize(["app/cm.yaml"])).rejects.toThrow(UnsafePathError);
    expect((await lstat(join(root, "app"))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(root, "app"))).toBe(outside);
  });
});

describe("the kustomize renderer's rewrite of its materialised kustomization", () => {
  const tool = { info: { name: "kubectl kustomize", version: "v5.5.0", path: "/bin/kubectl" }, binary: "/bin/kubectl", flavour: "kubectl" as const };
  const kustomization = "resources:\n  - cm.yaml\n";
  const treeOf = (files: Record<string, string>) => {
    const entries = new Map(Object.keys(files).map((p) => [p, { size: files[p]!.length }]));
    return new LazyTree("head", root, { entries, warnings: [] }, { readBytes: async (p) => Buffer.from(files[p]!), close: async () => {} });
  };

  it("rewrites the copy in the root", async () => {
    const tree = treeOf({ "app/kustomization.yaml": kustomization });
    await tree.materialize(["app/kustomization.yaml"]);
    expect(await rewriteForOrigins(tree, "app/kustomization.yaml", tool)).toEqual({ strip: true });
    expect(await readFile(join(root, "app/kustomization.yaml"), "utf8")).toContain("buildMetadata");
    expect(await readdir(join(root, "app"))).toEqual(["kustomization.yaml"]);
  });

  it("does not write through a folder symlink placed in the root", async () => {
    await symlink(outside, join(root, "app"));
    const tree = treeOf({ "app/kustomization.yaml": kustomization });
    expect(await rewriteForOrigins(tree, "app/kustomization.yaml", tool)).toBeUndefined();
  });

  it("leaves a symlink at the kustomization itself alone instead of writing through it", async () => {
    await mkdir(join(root, "app"));
    await writeFile(join(work, "target"), "before");
    await symlink(join(work, "target"), join(root, "app/kustomization.yaml"));
    const tree = treeOf({ "app/kustomization.yaml": kustomization });
    expect(await rewriteForOrigins(tree, "app/kustomization.yaml", tool)).toBeUndefined();
    expect(await readFile(join(work, "target"), "utf8")).toBe("before");
    expect(await readdir(join(root, "app"))).toEqual(["kustomization.yaml"]);
  });

  it("writes nothing when the kustomization was not materialised", async () => {
    const tree = treeOf({ "app/kustomization.yaml": kustomization });
    expect(await rewriteForOrigins(tree, "app/kustomization.yaml", tool)).toBeUndefined();
    expect(await readdir(root)).toEqual([]);
  });
});
