import { createHash } from "node:crypto";
import { TreeReadError, type InputProblem, type Tree } from "../../src/core/ports.js";

/** A Tree over an in-memory map of files, for core tests that never touch disk. */
export function memoryTree(ref: string, files: Record<string, string>, warnings: InputProblem[] = []): Tree {
  const names = Object.keys(files).sort();
  const dirs = new Set<string>(["."]);
  for (const f of names) {
    const parts = f.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return {
    ref,
    root: `/nonexistent/${ref}`,
    warnings,
    files: () => names,
    hasFile: (p) => p in files,
    hasDir: (p) => dirs.has(p),
    read: async (p) => {
      const v = files[p];
      if (v === undefined) throw new TreeReadError(p, "missing", `${p}: no such file`);
      return v;
    },
    materialize: async () => {},
    digest: async (p) => createHash("sha1").update(files[p] ?? "absent").digest("hex"),
  };
}
