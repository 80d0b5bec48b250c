/**
 * A Tree over a listed source (a directory or a git commit) that reads files on demand
 * and writes to disk only what a tool needs. Listing applies the safety rules once:
 * symlinks that lead outside the repository or to directories are not part of the tree
 * (and are reported), and the entry count and total size are bounded.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { TreeReadError, type InputProblem, type Tree } from "../core/ports.js";

/** Files larger than this are never read into memory as text (tools still get them on disk). */
export const MAX_READ_BYTES = 10 * 1024 * 1024;

export interface SourceEntry {
  size: number;
  /** A digest the source already knows (a git blob id); computed from the bytes otherwise. */
  digest?: string;
}

export interface TreeSource {
  /** Bytes of a listed file. */
  readBytes(path: string): Promise<Buffer>;
  /** Releases what the source holds open (a git process). */
  close(): Promise<void>;
}

export interface Listing {
  entries: Map<string, SourceEntry>;
  warnings: InputProblem[];
}

export class LazyTree implements Tree {
  private readonly fileList: readonly string[];
  private readonly dirSet = new Set<string>(["."]);
  private readonly digests = new Map<string, Promise<string>>();
  private readonly written = new Map<string, Promise<void>>();
  readonly warnings: readonly InputProblem[];

  constructor(
    readonly ref: string,
    /** Private folder the snapshot is materialised into. */
    readonly root: string,
    private readonly listing: Listing,
    private readonly source: TreeSource,
  ) {
    this.fileList = [...listing.entries.keys()].sort();
    this.warnings = listing.warnings;
    for (const f of this.fileList) {
      for (let i = f.lastIndexOf("/"); i > 0; i = f.lastIndexOf("/", i - 1)) {
        const dir = f.slice(0, i);
        if (this.dirSet.has(dir)) break;
        this.dirSet.add(dir);
      }
    }
  }

  files(): readonly string[] {
    return this.fileList;
  }

  hasFile(path: string): boolean {
    return this.listing.entries.has(path);
  }

  hasDir(path: string): boolean {
    return this.dirSet.has(path === "" ? "." : path);
  }

  async read(path: string): Promise<string> {
    const entry = this.listing.entries.get(path);
    if (!entry) throw new TreeReadError(path, "missing", `${path}: no such file in ${this.ref}`);
    if (entry.size > MAX_READ_BYTES) {
      throw new TreeReadError(path, "too-large", `${path}: ${entry.size} bytes is over the ${MAX_READ_BYTES}-byte limit for files Shipshape reads`);
    }
    const bytes = await this.source.readBytes(path).catch((err: Error) => {
      throw new TreeReadError(path, "unreadable", `${path}: cannot be read in ${this.ref}: ${err.message}`);
    });
    return bytes.toString("utf8");
  }

  digest(path: string): Promise<string> {
    let d = this.digests.get(path);
    if (d) return d;
    const entry = this.listing.entries.get(path);
    if (!entry) d = Promise.resolve("absent");
    else if (entry.digest) d = Promise.resolve(entry.digest);
    else d = this.source.readBytes(path).then((b) => createHash("sha1").update(b).digest("hex"));
    this.digests.set(path, d);
    return d;
  }

  async materialize(paths: Iterable<string>): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const path of paths) {
      if (!this.listing.entries.has(path)) continue;
      let w = this.written.get(path);
      if (!w) {
        const target = join(this.root, path);
        w = this.source.readBytes(path).then(async (bytes) => {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, bytes);
        });
        this.written.set(path, w);
      }
      pending.push(w);
    }
    await Promise.all(pending);
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

export interface ListingLimits {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_LISTING_LIMITS: ListingLimits = { maxEntries: 200_000, maxBytes: 2 * 1024 ** 3 };

export function symlinkWarning(path: string, target: string, reason: "outside" | "directory" | "dangling"): InputProblem {
  const why = {
    outside: "leads outside the repository",
    directory: "points to a directory (directory links are not followed)",
    dangling: "points to nothing",
  }[reason];
  return {
    ruleId: "input/symlink-not-followed",
    severity: "warning",
    message: `${path}: symlink to "${target}" ${why}; it was not followed. Commit the file itself instead of a link.`,
    file: path,
  };
}
