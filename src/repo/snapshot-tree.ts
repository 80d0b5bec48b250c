/**
 * A Tree over a materialised snapshot directory. Both the directory source and the git
 * source copy or extract into a private scratch folder first, so renders never see the
 * user's working tree, and symlinks leading outside the snapshot are removed before any
 * tool runs.
 */
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink, realpath, rm, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { TreeReadError, type InputProblem, type Tree } from "../core/ports.js";

/** Files larger than this are never read into memory (renderers still see them on disk). */
export const MAX_READ_BYTES = 10 * 1024 * 1024;

export interface SnapshotScan {
  files: string[];
  /** Repo-relative paths of symlinks that pointed outside the snapshot and were removed. */
  removedSymlinks: { path: string; target: string }[];
}

export class SnapshotTree implements Tree {
  private readonly fileSet: Set<string>;
  private readonly dirSet = new Set<string>(["."]);
  private readonly digests = new Map<string, Promise<string>>();
  readonly warnings: readonly InputProblem[];

  constructor(
    readonly ref: string,
    readonly root: string,
    private readonly fileList: readonly string[],
    readonly removedSymlinks: SnapshotScan["removedSymlinks"],
  ) {
    this.fileSet = new Set(fileList);
    this.warnings = removedSymlinks.map((s) => ({
      ruleId: "input/symlink-outside-repo",
      severity: "warning" as const,
      message: `${s.path}: symlink to "${s.target}" leads outside the repository; it was not followed. Commit the file itself instead of a link.`,
      file: s.path,
    }));
    for (const f of fileList) {
      let i = f.lastIndexOf("/");
      while (i > 0) {
        const dir = f.slice(0, i);
        if (this.dirSet.has(dir)) break;
        this.dirSet.add(dir);
        i = dir.lastIndexOf("/");
      }
    }
  }

  files(): readonly string[] {
    return this.fileList;
  }

  hasFile(path: string): boolean {
    return this.fileSet.has(path);
  }

  hasDir(path: string): boolean {
    return this.dirSet.has(path === "" ? "." : path);
  }

  async read(path: string): Promise<string> {
    if (!this.fileSet.has(path)) throw new TreeReadError(path, "missing", `${path}: no such file in ${this.ref}`);
    const abs = join(this.root, path);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new TreeReadError(path, "unreadable", `${path}: cannot be read in ${this.ref}`);
    if (info.size > MAX_READ_BYTES) {
      throw new TreeReadError(path, "too-large", `${path}: ${info.size} bytes is over the ${MAX_READ_BYTES}-byte limit for files Shipshape reads`);
    }
    return readFile(abs, "utf8");
  }

  digest(path: string): Promise<string> {
    let d = this.digests.get(path);
    if (!d) {
      d = this.fileSet.has(path)
        ? readFile(join(this.root, path)).then((buf) => createHash("sha1").update(buf).digest("hex"))
        : Promise.resolve("absent");
      this.digests.set(path, d);
    }
    return d;
  }
}

/**
 * Walks a snapshot directory: lists regular files (and symlinks to files inside the
 * snapshot) and deletes symlinks whose target resolves outside it. Skips `.git`.
 */
export async function scanSnapshot(root: string): Promise<SnapshotScan> {
  const realRoot = await realpath(root);
  const files: string[] = [];
  const removedSymlinks: SnapshotScan["removedSymlinks"] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name === ".git") continue;
      const abs = join(dir, entry.name);
      const rel = toPosix(relative(realRoot, abs));
      if (entry.isDirectory()) {
        await walk(abs);
        continue;
      }
      if (entry.isSymbolicLink()) {
        const resolved = await realpath(abs).catch(() => undefined);
        if (!resolved || !isInside(realRoot, resolved)) {
          const target = await readlink(abs).catch(() => "?");
          removedSymlinks.push({ path: rel, target });
          await rm(abs, { force: true });
          continue;
        }
        // Links to directories inside the snapshot are left for the tools; their files are
        // already listed under the real directory.
        const info = await lstat(resolved);
        if (info.isFile()) files.push(rel);
        continue;
      }
      if (entry.isFile()) files.push(rel);
    }
  };
  await walk(realRoot);
  files.sort();
  return { files, removedSymlinks };
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}
