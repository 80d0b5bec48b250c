/**
 * Repositories for the corpus, written at test time: file maps (with symlinks and modes)
 * for directory sources, git commits with hand-made trees for what `git` itself would
 * refuse to create, and listings to prove nothing outside the scratch folder changed.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export type FileEntry = string | { link: string } | { text: string; mode: number } | null;
/** Repo-relative path → content; `null` removes a path that the base had. */
export type FileMap = Record<string, FileEntry>;

export async function writeFiles(root: string, files: FileMap): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [path, entry] of Object.entries(files)) {
    if (entry === null) continue;
    const abs = join(root, path);
    await mkdir(dirname(abs), { recursive: true });
    if (typeof entry === "string") await writeFile(abs, entry);
    else if ("link" in entry) await symlink(entry.link, abs);
    else await writeFile(abs, entry.text, { mode: entry.mode });
  }
}

/** Head = base with the head's entries written over it (and `null` entries left out). */
export function overlay(base: FileMap, head: FileMap): FileMap {
  const out: FileMap = { ...base };
  for (const [path, entry] of Object.entries(head)) {
    if (entry === null) delete out[path];
    else out[path] = entry;
  }
  return out;
}

/** Every entry below `root` with a digest of what it is, to compare before and after. */
export async function listing(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) out.set(path, `link:${await readlink(abs)}`);
      else if (e.isDirectory()) {
        out.set(path, "dir");
        await walk(abs, path);
      } else {
        const info = await lstat(abs);
        out.set(path, `file:${info.mode.toString(8)}:${createHash("sha1").update(await readFile(abs)).digest("hex")}`);
      }
    }
  };
  await walk(root, "");
  return out;
}

export function changedEntries(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [path, v] of after) if (before.get(path) !== v) changed.push(path);
  for (const path of before.keys()) if (!after.has(path)) changed.push(`${path} (removed)`);
  return changed;
}

/** A node of a hand-made git tree: names are taken as written (`..`, slashes, duplicates). */
export type TreeNode =
  | { name: string; blob: string; mode?: string }
  | { name: string; link: string }
  | { name: string; tree: TreeNode[] };

export class GitRepo {
  constructor(readonly dir: string) {}

  static async init(dir: string): Promise<GitRepo> {
    await mkdir(dir, { recursive: true });
    const repo = new GitRepo(dir);
    repo.git(["init", "-q"]);
    return repo;
  }

  git(args: string[], input?: Buffer | string): string {
    const r = spawnSync("git", ["-C", this.dir, "-c", "user.name=corpus", "-c", "user.email=corpus@example.invalid", ...args], { input });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
    return r.stdout.toString().trim();
  }

  blob(content: string): string {
    return this.git(["hash-object", "-w", "--stdin"], content);
  }

  /** Writes the tree object as given: no sorting, no name checks (`--literally`). */
  tree(nodes: TreeNode[]): string {
    const parts: Buffer[] = [];
    for (const n of nodes) {
      let mode: string;
      let id: string;
      if ("tree" in n) [mode, id] = ["40000", this.tree(n.tree)];
      else if ("link" in n) [mode, id] = ["120000", this.blob(n.link)];
      else [mode, id] = [n.mode ?? "100644", this.blob(n.blob)];
      parts.push(Buffer.from(`${mode} ${n.name}\0`, "utf8"), Buffer.from(id, "hex"));
    }
    return this.git(["hash-object", "-t", "tree", "-w", "--literally", "--stdin"], Buffer.concat(parts));
  }

  commit(tree: string, message: string, parent?: string): string {
    return this.git(["commit-tree", tree, "-m", message, ...(parent ? ["-p", parent] : [])]);
  }
}
