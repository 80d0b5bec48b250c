/**
 * A base or head given as a GitHub tarball (`GET /repos/{owner}/{repo}/tarball/{ref}`): a gzipped
 * tar whose entries sit under one top-level folder. The bytes are untrusted (anyone can open a
 * pull request), so every header is judged before its body is written: paths, types, declared
 * sizes and counts. Only files, directories and symlinks that stay inside the folder reach disk,
 * and nothing is ever written through a symlink. The result is then listed like any directory.
 */
import { lstat, mkdir, readdir, readlink, realpath, unlink } from "node:fs/promises";
import { join, posix, resolve, sep } from "node:path";
import { pipeline, Readable, Transform, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";
import { ReadEntry, Unpack } from "tar";
import type { InputProblem } from "../core/ports.js";
import { openDirectory } from "./dir-source.js";
import { SourceError } from "./errors.js";
import { DEFAULT_LISTING_LIMITS, symlinkWarning, type LazyTree } from "./lazy-tree.js";
import { unsafePathProblem, unsafePathReason } from "./safe-path.js";

export interface ArchiveLimits {
  /** Bytes of the gzip stream as downloaded. */
  maxCompressedBytes: number;
  /** Entries of every type, directories included. */
  maxEntries: number;
  /** Sum of the sizes the entry headers declare. */
  maxBytes: number;
  /** Size a single entry header may declare. */
  maxEntryBytes: number;
}

/**
 * Sized for a large infrastructure monorepo, and never looser than DEFAULT_LISTING_LIMITS, so a
 * tarball that extracts always lists.
 * - 200 MiB compressed: YAML, HCL and charts compress 5-10x, so this is well over 1 GiB of text.
 * - 100k entries, directories included: the listing allows 200k files.
 * - 1 GiB declared in total: half the listing's 2 GiB; a review extracts base and head, so one
 *   pull request costs at most 2 GiB of disk.
 * - 100 MiB per entry: GitHub rejects pushed files over 100 MiB, so a larger entry is not from git.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxCompressedBytes: 200 * 1024 ** 2,
  maxEntries: 100_000,
  maxBytes: 1024 ** 3,
  maxEntryBytes: 100 * 1024 ** 2,
};

/**
 * Tar data an entry may add beyond its declared size: its header, block padding, and a pax header
 * carrying a long path and link target. Bounds the decompressed stream, which also carries bodies
 * of skipped entries and pax headers that no entry count sees.
 */
const TAR_BYTES_PER_ENTRY = 10 * 1024;
/** node-tar ignores larger pax headers, which would silently drop a path override. */
const MAX_META_BYTES = 1024 ** 2;

const LAYOUT = "Shipshape expects every entry under one folder, as in a GitHub tarball";
const TOO_LARGE = "Shipshape refuses archives this large; remove large files from the repository or raise the archive limits";
const MALFORMED = "the archive is not a plain snapshot of a repository";
const DOWNLOAD = "download it again";
/** Errors node-tar reports that come from the archive's own content, not from the machine. */
const CONTENT_ERRNOS = new Set(["EEXIST", "EISDIR", "ELOOP", "ENAMETOOLONG", "ENOTDIR", "ENOTEMPTY", "TAR_SYMLINK_ERROR"]);

type ArchiveInput = Buffer | Uint8Array | NodeJS.ReadableStream;

/**
 * Extracts a GitHub tarball into `into` (created, must be empty) without its top-level folder.
 * Refuses the whole archive with a SourceError on a broken layout, damaged data or exceeded
 * limits; skips entries with unsafe paths (an `input/unsafe-path` error), unsupported entries and
 * escaping symlinks (warnings).
 */
export async function extractTarball(archive: ArchiveInput, into: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS, layout: { topFolder: boolean } = { topFolder: true }): Promise<{ warnings: InputProblem[] }> {
  const root = resolve(into);
  await mkdir(root, { recursive: true });
  if ((await readdir(root)).length > 0) throw new Error(`${into}: extraction folder is not empty`);
  if (!isStream(archive) && archive.byteLength > limits.maxCompressedBytes) throw tooManyCompressed(limits);
  const gate = new EntryGate(limits, layout.topFolder);
  const input = isStream(archive) ? archive : Readable.from([Buffer.isBuffer(archive) ? archive : Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength)]);
  await unpackArchive(input, root, gate, limits);
  await dropEscapingLinks(root, gate);
  return { warnings: gate.warnings };
}

/**
 * Extracts into `extractDir`, then lists it as a tree materialised into `treeDir`. The tree reads
 * from `extractDir`, which must outlive it. Extraction warnings come before the listing's.
 */
export async function openTarball(
  archive: ArchiveInput,
  ref: string,
  extractDir: string,
  treeDir: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<LazyTree> {
  const { warnings } = await extractTarball(archive, extractDir, limits);
  const listingLimits = {
    maxEntries: Math.min(limits.maxEntries, DEFAULT_LISTING_LIMITS.maxEntries),
    maxBytes: Math.min(limits.maxBytes, DEFAULT_LISTING_LIMITS.maxBytes),
  };
  const tree = await openDirectory(extractDir, ref, treeDir, listingLimits);
  if (warnings.length === 0) return tree;
  // LazyTree takes its warnings from the listing only; extraction warnings belong to the same tree.
  Object.defineProperty(tree, "warnings", { value: [...warnings, ...tree.warnings], enumerable: true });
  return tree;
}

/** Judges entries from their headers alone, before any of their bytes are written. */
class EntryGate {
  readonly warnings: InputProblem[] = [];
  /** Symlinks extracted so far, by path inside the folder. */
  readonly links = new Set<string>();
  /** Every entry judged, so entries node-tar skips on its own can be told apart. */
  readonly judged = new WeakSet<ReadEntry>();
  private top: string | undefined;
  private entries = 0;
  private bytes = 0;

  /** `topFolder` false: the entries are the folder's content themselves (a Flux artifact, made by `flux push artifact`). */
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly topFolder = true,
  ) {}

  /** True to extract (with `entry.path` made relative to the folder); throws SourceError to refuse the archive. */
  admit(entry: ReadEntry): boolean {
    this.judged.add(entry);
    const raw = entry.path;
    const type = String(entry.type);
    const rel = this.relativePath(raw, type === "Directory");
    this.count(raw, entry.size ?? 0);
    if (rel === undefined) return false; // an unsafe path: skipped with a finding
    if (rel === "") return false; // the top-level folder itself: `into` stands for it
    for (let i = rel.indexOf("/"); i > 0; i = rel.indexOf("/", i + 1)) {
      const parent = rel.slice(0, i);
      if (this.links.has(parent)) {
        throw refusal(raw, `inside "${parent}", which an earlier entry made a symbolic link`, "Shipshape never writes through links");
      }
    }
    this.links.delete(rel);
    entry.path = rel;
    switch (type) {
      case "File":
      case "OldFile":
      case "ContiguousFile":
        entry.mode = 0o644; // no setuid, setgid or executable bits: nothing extracted is ever run
        return true;
      case "Directory":
        entry.mode = 0o755;
        return true;
      case "SymbolicLink":
        return this.admitSymlink(rel, String(entry.linkpath ?? ""));
      case "Link":
        return this.skip(rel, `hard link to "${this.inFolder(String(entry.linkpath ?? ""))}"`);
      case "CharacterDevice":
        return this.skip(rel, "character device");
      case "BlockDevice":
        return this.skip(rel, "block device");
      case "FIFO":
        return this.skip(rel, "FIFO");
      default:
        return this.skip(rel, `entry of type "${type}"`);
    }
  }

  /**
   * The path inside the folder, or undefined for a path that is not safe to write, judged by the
   * same rule as every other snapshot write; such entries are skipped with an input/unsafe-path
   * finding, like the same path in a git tree.
   */
  private relativePath(raw: string, isDir: boolean): string | undefined {
    const written = isDir && raw.endsWith("/") ? raw.slice(0, -1) : raw;
    const path = this.topFolder ? written : written.replace(/^(\.\/)+/, "");
    if (!this.topFolder && (path === "." || path === "")) return "";
    const reason = unsafePathReason(path);
    if (reason !== undefined) {
      this.warnings.push(unsafePathProblem(this.inFolder(path), reason));
      return undefined;
    }
    if (!this.topFolder) return path;
    const [top = "", ...rest] = path.split("/");
    const rel = rest.join("/");
    if (rel === "" && !isDir) throw refusal(raw, "not inside a top-level folder", LAYOUT);
    this.top ??= top;
    if (top !== this.top) throw refusal(raw, `outside the top-level folder "${this.top}/"`, LAYOUT);
    return rel;
  }

  private count(raw: string, size: number): void {
    const { maxEntries, maxBytes, maxEntryBytes } = this.limits;
    this.entries += 1;
    this.bytes += size;
    if (this.entries > maxEntries) throw refusal(raw, `more than ${maxEntries} entries`, TOO_LARGE);
    if (size > maxEntryBytes) throw refusal(raw, `declares ${size} bytes, over the ${maxEntryBytes}-byte limit for one entry`, TOO_LARGE);
    if (this.bytes > maxBytes) throw refusal(raw, `brings the declared total to ${this.bytes} bytes, over the ${maxBytes}-byte limit`, TOO_LARGE);
  }

  /** Links that plainly leave the folder are never created; chains through other links are checked on disk afterwards. */
  private admitSymlink(rel: string, target: string): boolean {
    const resolved = posix.join(posix.dirname(rel), target);
    if (/^([\\/]|[A-Za-z]:)/.test(target) || resolved === ".." || resolved.startsWith("../")) {
      this.warnings.push(symlinkWarning(rel, target, "outside"));
      return false;
    }
    this.links.add(rel);
    return true;
  }

  private skip(rel: string, what: string): false {
    this.warnings.push({
      ruleId: "input/archive-entry-skipped",
      severity: "warning",
      message: `${rel}: ${what} was not extracted; Shipshape extracts only files, directories and symbolic links.`,
      file: rel,
    });
    return false;
  }

  private inFolder(path: string): string {
    return this.top !== undefined && path.startsWith(`${this.top}/`) ? path.slice(this.top.length + 1) : path;
  }
}

function unpackArchive(compressed: NodeJS.ReadableStream, root: string, gate: EntryGate, limits: ArchiveLimits): Promise<void> {
  return new Promise((done, reject) => {
    let failure: Error | undefined;
    let stopped = false;
    let sawEnd = false;
    const unpack = new Unpack({
      cwd: root,
      preservePaths: false,
      preserveOwner: false, // node-tar's default is true when running as root
      chmod: false,
      noMtime: true,
      dmode: 0o755,
      fmode: 0o644,
      zstd: false, // tar data is already decompressed; never unpack a second layer
      maxMetaEntrySize: MAX_META_BYTES,
      filter: (_path, entry) => !failure && entry instanceof ReadEntry && judge(entry),
      onwarn: (code, message, data) => fail(tarWarning(code, message, data)),
    });
    const judge = (entry: ReadEntry): boolean => {
      try {
        return gate.admit(entry);
      } catch (err) {
        fail(err as Error);
        return false;
      }
    };
    /** Stops reading and lets node-tar finish the writes it started; `end` follows once they are done. */
    const stop = () => {
      if (stopped) return;
      stopped = true;
      tarData.destroy();
      setImmediate(() => unpack.end());
    };
    const fail = (err: Error | undefined) => {
      if (!err) return;
      failure ??= err;
      stop();
    };
    const gzipGuard = new ByteGuard(limits.maxCompressedBytes, () => tooManyCompressed(limits), 2, (head) =>
      head[0] === 0x1f && head[1] === 0x8b ? undefined : archiveError("not gzip-compressed", "Shipshape reads .tar.gz archives such as GitHub's tarball endpoint returns"),
    );
    const tarCap = limits.maxBytes + (limits.maxEntries + 1) * TAR_BYTES_PER_ENTRY + MAX_META_BYTES;
    const tarGuard = new ByteGuard(tarCap, () => archiveError(`expands to more than ${tarCap} bytes of tar data`, TOO_LARGE), 4, (head) =>
      (head[0] === 0x1f && head[1] === 0x8b) || head.readUInt32BE(0) === 0x28b52ffd ? archiveError("compressed twice", "Shipshape reads a tar compressed once with gzip") : undefined,
    );
    const tarData = pipeline(compressed, gzipGuard, createGunzip(), tarGuard, (err) => {
      if (err && !stopped) fail(streamError(err));
    });
    tarData.on("data", (chunk: Buffer) => {
      if (!unpack.write(chunk)) tarData.pause();
    });
    tarData.on("end", stop);
    unpack.on("drain", () => tarData.resume());
    // GitHub pads the archive after the marker; nothing after it is read.
    unpack.on("eof", () => {
      sawEnd = true;
      stop();
    });
    unpack.on("ignoredEntry", (entry: ReadEntry) => {
      if (gate.judged.has(entry) || failure) return;
      if (entry.meta) {
        fail(archiveError(`an extended header of ${entry.size} bytes is over the ${MAX_META_BYTES}-byte limit`, MALFORMED));
      } else {
        judge(entry); // a type node-tar does not know: counted, then skipped with a warning
      }
    });
    unpack.on("error", (err: Error & { tarCode?: string }) => fail(err.tarCode === "TAR_BAD_ARCHIVE" ? archiveError(`damaged tar data (${err.message.replace(/^TAR_BAD_ARCHIVE: /, "")})`, DOWNLOAD) : err));
    // node-tar may still hold the end-of-archive marker behind entries being written: judged last.
    unpack.on("end", () => {
      if (!failure && !sawEnd) failure = archiveError("ends before the end-of-archive marker", DOWNLOAD);
      if (failure) reject(failure);
      else done();
    });
  });
}

/** What node-tar reports as a warning is, for untrusted input, a reason to refuse the archive. */
function tarWarning(code: string, message: string, data: { entry?: unknown; code?: unknown; syscall?: unknown }): Error | undefined {
  if (code === "TAR_ENTRY_INFO") return undefined;
  if (code === "TAR_ENTRY_INVALID") return archiveError(`damaged tar header (${message})`, DOWNLOAD);
  const path = data.entry instanceof ReadEntry ? data.entry.path : "?";
  const errno = typeof data.code === "string" ? data.code : "";
  if (data.syscall !== undefined && !CONTENT_ERRNOS.has(errno)) return Object.assign(new Error(`extracting ${path}: ${message}`), { cause: data });
  return refusal(path, `cannot be extracted (${message})`, MALFORMED);
}

function streamError(err: Error & { code?: unknown }): Error {
  if (err instanceof SourceError) return err;
  if (typeof err.code === "string" && err.code.startsWith("Z_")) return archiveError(`damaged gzip data (${err.message})`, DOWNLOAD);
  return err;
}

/**
 * Symlinks can still escape through other links (`d -> .` then `l -> d/..`); what a link really
 * resolves to is only known on disk, once every entry is written.
 */
async function dropEscapingLinks(root: string, gate: EntryGate): Promise<void> {
  const realRoot = await realpath(root);
  for (const rel of gate.links) {
    const abs = join(root, rel);
    const info = await lstat(abs).catch(() => undefined);
    if (!info?.isSymbolicLink()) continue;
    const resolved = await realpath(abs).catch(() => undefined);
    if (resolved === undefined || resolved === realRoot || resolved.startsWith(realRoot + sep)) continue; // dangling links are the listing's to report
    const target = await readlink(abs);
    await unlink(abs);
    gate.warnings.push(symlinkWarning(rel, target, "outside"));
  }
}

/** Counts bytes passing through and checks the first few before passing any on. */
class ByteGuard extends Transform {
  private seen = 0;
  private held: Buffer | undefined = Buffer.alloc(0);

  constructor(
    private readonly max: number,
    private readonly overLimit: () => SourceError,
    private readonly headBytes: number,
    private readonly checkHead: (head: Buffer) => SourceError | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) return callback(this.overLimit());
    if (this.held === undefined) return callback(null, chunk);
    const data = Buffer.concat([this.held, chunk]);
    if (data.length < this.headBytes) {
      this.held = data;
      return callback();
    }
    this.held = undefined;
    callback(this.checkHead(data), data);
  }

  override _flush(callback: TransformCallback): void {
    const held = this.held;
    if (held === undefined) return callback();
    const err = this.checkHead(Buffer.concat([held, Buffer.alloc(this.headBytes)]));
    callback(err, held.length > 0 ? held : undefined);
  }
}

function isStream(archive: ArchiveInput): archive is NodeJS.ReadableStream {
  return !(archive instanceof Uint8Array);
}

function refusal(entry: string, problem: string, advice: string): SourceError {
  return new SourceError(`archive entry "${entry}": ${problem}; ${advice}.`);
}

function archiveError(problem: string, advice: string): SourceError {
  return new SourceError(`archive: ${problem}; ${advice}.`);
}

function tooManyCompressed(limits: ArchiveLimits): SourceError {
  return archiveError(`more than ${limits.maxCompressedBytes} compressed bytes`, TOO_LARGE);
}
