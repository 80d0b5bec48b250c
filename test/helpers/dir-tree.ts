/**
 * A Tree over a directory on disk, for renderer tests. Reads come from the directory; tools
 * run in a private root that `materialize` copies inputs into, exactly like the CLI's
 * trees, so no test can ever write into a fixture (the kustomize renderer rewrites its
 * materialised kustomization to ask for origin annotations).
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { TreeReadError, type Tree } from "../../src/core/ports.js";

const roots: string[] = [];
process.on("exit", () => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

export function dirTree(dir: string, ref = dir): Tree {
  const source = resolve(dir);
  const root = mkdtempSync(join(tmpdir(), "shipshape-dirtree-"));
  roots.push(root);
  const files = walk(source, "").sort();
  const fileSet = new Set(files);
  const written = new Set<string>();
  const dirs = new Set<string>(["."]);
  for (const f of files) {
    for (let i = f.lastIndexOf("/"); i > 0; i = f.lastIndexOf("/", i - 1)) dirs.add(f.slice(0, i));
  }
  return {
    ref,
    root,
    files: () => files,
    hasFile: (path) => fileSet.has(path),
    hasDir: (path) => dirs.has(path === "" ? "." : path),
    async read(path) {
      if (!fileSet.has(path)) throw new TreeReadError(path, "missing", `${path}: no such file in ${ref}`);
      return readFile(join(source, path), "utf8");
    },
    async materialize(paths) {
      for (const path of paths) {
        if (!fileSet.has(path) || written.has(path)) continue;
        mkdirSync(dirname(join(root, path)), { recursive: true });
        copyFileSync(join(source, path), join(root, path));
        written.add(path);
      }
    },
    async digest(path) {
      if (!fileSet.has(path)) return "absent";
      return createHash("sha1").update(readFileSync(join(source, path))).digest("hex");
    },
  };
}

function walk(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(root, path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
