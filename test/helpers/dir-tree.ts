/** A Tree over a directory on disk, for renderer tests. No snapshot copy, no size cap. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { TreeReadError, type Tree } from "../../src/core/ports.js";

export function dirTree(dir: string, ref = dir): Tree {
  const root = resolve(dir);
  const files = walk(root, "").sort();
  const fileSet = new Set(files);
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
      return readFile(join(root, path), "utf8");
    },
    // Already on disk: the directory is the root.
    materialize: async () => {},
    async digest(path) {
      if (!fileSet.has(path)) return "absent";
      return createHash("sha1").update(readFileSync(join(root, path))).digest("hex");
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
