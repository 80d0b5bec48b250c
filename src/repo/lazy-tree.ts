/**
 * A Tree over a listed source (a directory or a git commit) that reads files on demand
 * and writes to disk only what a tool needs. Listing applies the safety rules once:
 * symlinks that lead outside the repository or to directories are not part of the tree
 * (and are reported), and the entry count and total size are bounded. Paths that could not be
 * written safely below the root (`..`, absolute, a file inside a file) are left out and reported,
 * and every write goes through one SafeWriter.
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { TreeReadError, type InputProblem, type Tree } from "../core/ports.js";
import { SafeWriter, unsafePathProblem, unsafePathReason } from "./safe-path.js";
import { invalidUtf8 } from "./utf8.js";

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

/** Texts kept per tree for repeated reads (see LazyTree.texts); the App holds two trees per review in flight. */
const MAX_CACHED_TEXT_BYTES = 32 * 1024 * 1024;

export class LazyTree implements Tree {
  private readonly fileList: readonly string[];
  private readonly dirSet: ReadonlySet<string>;
  private readonly digests = new Map<string, Promise<string>>();
  /**
   * Texts already read: discovery asks for the same files several times (kustomize, manifests,
   * Argo CD and Flux discovery, the CRD index). Bounded, so a huge repository reads again
   * rather than holding it all.
   */
  private readonly texts = new Map<string, string>();
  /**
   * Bytes read for a digest and not decoded yet: the changed-file comparison digests every file
   * before discovery reads the same files as text, so the bytes wait here (within the same
   * budget as the texts) instead of being read twice.
   */
  private readonly held = new Map<string, Buffer>();
  private textBytes = 0;
  /** Reads under way, so a digest and a read of one file at the same time share one read. */
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private readonly written = new Map<string, Promise<void>>();
  private readonly writer: SafeWriter;
  private readonly entries: ReadonlyMap<string, SourceEntry>;
  readonly warnings: readonly InputProblem[];

  constructor(
    readonly ref: string,
    /** Private folder the snapshot is materialised into. */
    readonly root: string,
    listing: Listing,
    private readonly source: TreeSource,
  ) {
    const screened = screenPaths(listing.entries);
    this.entries = screened.entries;
    this.dirSet = screened.folders;
    this.fileList = [...this.entries.keys()].sort();
    this.warnings = [...listing.warnings, ...screened.warnings];
    this.writer = new SafeWriter(root);
  }

  files(): readonly string[] {
    return this.fileList;
  }

  hasFile(path: string): boolean {
    return this.entries.has(path);
  }

  hasDir(path: string): boolean {
    return this.dirSet.has(path === "" ? "." : path);
  }

  async read(path: string): Promise<string> {
    const known = this.texts.get(path);
    if (known !== undefined) return known;
    const entry = this.entries.get(path);
    if (!entry) throw new TreeReadError(path, "missing", `${path}: no such file in ${this.ref}`);
    if (entry.size > MAX_READ_BYTES) {
      throw new TreeReadError(path, "too-large", `${path}: ${entry.size} bytes is over the ${MAX_READ_BYTES}-byte limit for files Shipshape reads`);
    }
    const bytes = await this.load(path).catch((err: Error) => {
      throw new TreeReadError(path, "unreadable", `${path}: cannot be read in ${this.ref}: ${err.message}`);
    });
    // The bytes are here: their digest costs a hash, not a second read (affected checks ask for it).
    if (!entry.digest && !this.digests.has(path)) this.digests.set(path, Promise.resolve(sha1(bytes)));
    const wasHeld = this.held.delete(path);
    // Decoding would silently turn bad bytes into U+FFFD, and tools read the bytes differently.
    if (!isUtf8(bytes)) {
      if (wasHeld) this.textBytes -= bytes.length;
      throw invalidUtf8(path, bytes);
    }
    const text = bytes.toString("utf8");
    // Held bytes were already counted against the budget: their text takes their place.
    if (wasHeld || this.textBytes + bytes.length <= MAX_CACHED_TEXT_BYTES) {
      this.texts.set(path, text);
      if (!wasHeld) this.textBytes += bytes.length;
    }
    return text;
  }

  digest(path: string): Promise<string> {
    let d = this.digests.get(path);
    if (d) return d;
    const entry = this.entries.get(path);
    if (!entry) d = Promise.resolve("absent");
    else if (entry.digest) d = Promise.resolve(entry.digest);
    else d = this.load(path).then((bytes) => (this.hold(path, bytes), sha1(bytes)));
    this.digests.set(path, d);
    return d;
  }

  /** Keeps bytes read for a digest for the text read that usually follows, within the budget. */
  private hold(path: string, bytes: Buffer): void {
    if (bytes.length > MAX_READ_BYTES || this.texts.has(path) || this.held.has(path)) return;
    if (this.textBytes + bytes.length > MAX_CACHED_TEXT_BYTES) return;
    this.held.set(path, bytes);
    this.textBytes += bytes.length;
  }

  private load(path: string): Promise<Buffer> {
    const held = this.held.get(path);
    if (held) return Promise.resolve(held);
    let pending = this.inFlight.get(path);
    if (pending) return pending;
    pending = this.source.readBytes(path).finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, pending);
    return pending;
  }

  async materialize(paths: Iterable<string>): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const path of paths) {
      if (!this.entries.has(path)) continue;
      let w = this.written.get(path);
      if (!w) {
        w = this.source.readBytes(path).then(async (bytes) => void (await this.writer.write(path, bytes)));
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

/**
 * Leaves out what cannot be written below a root: unsafe paths, and files inside a path that is
 * itself a file (a crafted git tree can list both `a` and `a/b`). Also gives the folders of what
 * is left. Both are rare, so the listing is copied only when something is left out.
 */
function screenPaths(listed: Map<string, SourceEntry>): { entries: Map<string, SourceEntry>; folders: Set<string>; warnings: InputProblem[] } {
  const warnings: InputProblem[] = [];
  let entries = listed;
  for (const path of listed.keys()) {
    const reason = unsafePathReason(path);
    if (reason === undefined) continue;
    if (entries === listed) entries = new Map(listed);
    entries.delete(path);
    warnings.push(unsafePathProblem(path, reason));
  }
  let folders = foldersOf(entries.keys());
  const fileFolders = [...entries.keys()].filter((path) => folders.has(path));
  if (fileFolders.length === 0) return { entries, folders, warnings };
  if (entries === listed) entries = new Map(listed);
  for (const path of [...entries.keys()]) {
    const parent = fileFolders.find((f) => path.startsWith(`${f}/`));
    if (parent === undefined) continue;
    entries.delete(path);
    warnings.push(unsafePathProblem(path, `a file, "${parent}", as one of its folders`));
  }
  folders = foldersOf(entries.keys());
  return { entries, folders, warnings };
}

/** Every folder that holds a file, "." included. */
function foldersOf(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>(["."]);
  for (const f of paths) {
    for (let i = f.lastIndexOf("/"); i > 0; i = f.lastIndexOf("/", i - 1)) {
      const dir = f.slice(0, i);
      if (folders.has(dir)) break;
      folders.add(dir);
    }
  }
  return folders;
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

function sha1(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex");
}
