/**
 * The one way a repository path becomes a file on disk. Paths come from untrusted content (git
 * tree entries, tar headers, kustomization rewrites), so every write of a snapshot goes through
 * here: the path must be relative and plain (no `..`, `.` or empty segments, no NUL), and no
 * folder on the way, nor the file itself, may be a symbolic link, so nothing already on disk can
 * redirect a write outside the root.
 */
import { constants } from "node:fs";
import { lstat, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { InputProblem } from "../core/ports.js";

/** Anything that may be unsafe; most paths are plainly safe and skip the detailed checks. */
const SUSPICIOUS = /^$|\0|^[\\/]|^[A-Za-z]:|\/\/|\/$|(?:^|[\\/])\.{1,2}(?:$|[\\/])/;

/** Why `path` cannot be written below a snapshot root; undefined when it can. */
export function unsafePathReason(path: string): string | undefined {
  if (!SUSPICIOUS.test(path)) return undefined;
  if (path === "") return "an empty path";
  if (path.includes("\0")) return "a NUL character";
  // Backslashes and drive letters too: a path must not be absolute for any tool that reads it.
  if (/^([\\/]|[A-Za-z]:)/.test(path)) return "an absolute path";
  const segments = path.split("/");
  if (segments.some((s) => s.split("\\").includes(".."))) return 'a ".." segment';
  if (segments.includes("")) return "an empty segment";
  if (segments.includes(".")) return 'a "." segment';
  return undefined;
}

export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: not written: ${reason}`);
    this.name = "UnsafePathError";
  }
}

/** `root/path` for a path that passed `unsafePathReason`; throws UnsafePathError otherwise. */
export function safeJoin(root: string, path: string): string {
  const reason = unsafePathReason(path);
  if (reason !== undefined) throw new UnsafePathError(path, `it has ${reason}`);
  return join(root, path);
}

/** The finding for an entry left out of a snapshot because of its path. */
export function unsafePathProblem(path: string, reason: string): InputProblem {
  return {
    ruleId: "input/unsafe-path",
    severity: "error",
    message:
      `${path}: the path has ${reason}, so the file was left out of the snapshot (writing it could land outside ` +
      "Shipshape's scratch folder). Rename or remove it in the repository.",
    file: path,
  };
}

const MAX_WRITES_IN_FLIGHT = 16;

export interface WriteOptions {
  /** Fail when the file exists (for temporary files). */
  exclusive?: boolean;
}

/**
 * Writes files below one root. Folders it has checked or created are remembered, so a snapshot
 * of many files in few folders costs one check per folder; the checks themselves are what keep a
 * symlink placed anywhere below the root from redirecting a write.
 */
export class SafeWriter {
  private readonly folders = new Map<string, Promise<void>>();
  /** Writes in flight, bounded: thousands of files opened at once are slower than a few at a time. */
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly root: string) {}

  async write(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<string> {
    const target = safeJoin(this.root, path);
    await this.folder(parentOf(path));
    if (this.running >= MAX_WRITES_IN_FLIGHT) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      await writeNoFollow(target, path, data, options);
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
    return target;
  }

  /** Makes sure `dir` ("" for the root) is a real folder below the root, creating what is missing. */
  folder(dir: string): Promise<void> {
    let pending = this.folders.get(dir);
    if (pending) return pending;
    pending = dir === "" ? mkdir(this.root, { recursive: true }).then(() => undefined) : this.folder(parentOf(dir)).then(() => this.makeFolder(dir));
    // A failure is not cached: the next write names its own path in the error.
    pending.catch(() => this.folders.delete(dir));
    this.folders.set(dir, pending);
    return pending;
  }

  private async makeFolder(dir: string): Promise<void> {
    const abs = join(this.root, dir);
    try {
      await mkdir(abs);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const info = await lstat(abs);
    if (info.isSymbolicLink()) throw new UnsafePathError(dir, "it is a symbolic link on disk; Shipshape never writes through links");
    if (!info.isDirectory()) throw new UnsafePathError(dir, "it exists on disk and is not a folder");
  }
}

/** One write below `root` with every check, for callers that write a single file. */
export function writeInside(root: string, path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<string> {
  return new SafeWriter(root).write(path, data, options);
}

/**
 * True when `path` is a regular file below `root` reached through real folders only: what a
 * rewrite of an already materialised copy checks before replacing it.
 */
export async function isPlainFileInside(root: string, path: string): Promise<boolean> {
  if (unsafePathReason(path) !== undefined) return false;
  const segments = path.split("/");
  for (let i = 1; i <= segments.length; i++) {
    const info = await lstat(join(root, ...segments.slice(0, i))).catch(() => undefined);
    if (!info || info.isSymbolicLink()) return false;
    if (i < segments.length ? !info.isDirectory() : !info.isFile()) return false;
  }
  return true;
}

async function writeNoFollow(target: string, path: string, data: string | Uint8Array, options: WriteOptions): Promise<void> {
  // O_NOFOLLOW: a symlink at the file itself fails with ELOOP; O_NONBLOCK: a FIFO fails with ENXIO
  // instead of blocking. Nothing else but Shipshape writes below the root.
  const flag =
    constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK | (options.exclusive ? constants.O_EXCL : constants.O_TRUNC);
  try {
    await writeFile(target, data, { flag, mode: 0o644 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new UnsafePathError(path, "it is a symbolic link on disk; Shipshape never writes through links");
    if (code === "ENXIO" || code === "EISDIR") throw new UnsafePathError(path, "it exists on disk and is not a regular file");
    throw err;
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}
