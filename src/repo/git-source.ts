/**
 * A base or head given as a git revision: listed with `git ls-tree` (blob ids double as
 * digests, so unchanged files are never read) and read through `git cat-file --batch`.
 * The user's working tree and index are never touched. Listing is bounded in entries and
 * bytes because the repository content is untrusted.
 */
import { isUtf8 } from "node:buffer";
import { spawn } from "node:child_process";
import { posix } from "node:path";
import { SourceError } from "./errors.js";
import { GitBlobReader } from "./git-batch.js";
import { DEFAULT_LISTING_LIMITS, LazyTree, symlinkWarning, type Listing, type ListingLimits, type SourceEntry } from "./lazy-tree.js";
import { unsafePathProblem } from "./safe-path.js";
import { firstInvalidByte } from "./utf8.js";

export async function resolveRevision(repo: string, rev: string): Promise<string | undefined> {
  const out = await runGit(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  return out.code === 0 ? out.stdout.toString("utf8").trim() : undefined;
}

export async function openRevision(repo: string, rev: string, into: string, limits: ListingLimits = DEFAULT_LISTING_LIMITS): Promise<LazyTree> {
  const sha = await resolveRevision(repo, rev);
  if (!sha) throw new SourceError(`${rev}: not a directory, and not a commit in the git repository at ${repo}`);
  const out = await runGit(repo, ["ls-tree", "-r", "-z", "-l", "--full-tree", sha]);
  if (out.code !== 0) throw new SourceError(`${rev}: git ls-tree failed in ${repo}`);
  const reader = new GitBlobReader(repo);
  try {
    const { listing, blobs } = await parseListing(out.stdout, rev, limits, reader);
    return new LazyTree(rev, into, listing, {
      readBytes: (path) => reader.read(blobs.get(path)!),
      close: () => reader.close(),
    });
  } catch (err) {
    await reader.close();
    throw err;
  }
}

interface RawEntry {
  mode: string;
  type: string;
  id: string;
  size: number;
  path: string;
}

async function parseListing(raw: Buffer, rev: string, limits: ListingLimits, reader: GitBlobReader): Promise<{ listing: Listing; blobs: Map<string, string> }> {
  const rows: RawEntry[] = [];
  const refused: Listing["warnings"] = [];
  // Names are bytes in git: decoded loosely, two names that differ only in bytes that are not
  // UTF-8 would become one, and one of the files would vanish. Such names are refused.
  for (let start = 0; start < raw.length; ) {
    const nul = raw.indexOf(0, start);
    const end = nul === -1 ? raw.length : nul;
    const record = raw.subarray(start, end);
    start = end + 1;
    const tab = record.indexOf(9);
    if (tab === -1) continue;
    const [mode, type, id, size] = record.subarray(0, tab).toString("latin1").split(/ +/);
    const name = record.subarray(tab + 1);
    if (!isUtf8(name)) {
      if (type === "blob") refused.push(unsafePathProblem(escapedName(name), "bytes that are not UTF-8 in its name"));
      continue;
    }
    rows.push({ mode: mode!, type: type!, id: id!, size: Number(size), path: name.toString("utf8") });
  }
  if (rows.length + refused.length > limits.maxEntries) throw new SourceError(`${rev}: more than ${limits.maxEntries} files; Shipshape refuses to read it`);
  const total = rows.reduce((n, r) => n + (Number.isFinite(r.size) ? r.size : 0), 0);
  if (total > limits.maxBytes) throw new SourceError(`${rev}: more than ${limits.maxBytes} bytes; Shipshape refuses to read it`);

  const entries = new Map<string, SourceEntry>();
  const blobs = new Map<string, string>();
  const warnings: Listing["warnings"] = [...refused];
  const byPath = new Map(rows.map((r) => [r.path, r]));
  const dirs = new Set(rows.flatMap((r) => ancestors(r.path)));
  for (const r of rows) {
    if (r.type !== "blob") continue; // submodules (commits) are not part of the snapshot
    if (r.mode !== "120000") {
      entries.set(r.path, { size: r.size, digest: r.id });
      blobs.set(r.path, r.id);
      continue;
    }
    const target = (await reader.read(r.id)).toString("utf8");
    const resolved = posix.normalize(posix.join(posix.dirname(r.path), target));
    const pointee = byPath.get(resolved);
    if (posix.isAbsolute(target) || resolved === ".." || resolved.startsWith("../")) warnings.push(symlinkWarning(r.path, target, "outside"));
    else if (dirs.has(resolved)) warnings.push(symlinkWarning(r.path, target, "directory"));
    else if (!pointee || pointee.type !== "blob" || pointee.mode === "120000") warnings.push(symlinkWarning(r.path, target, "dangling"));
    else {
      entries.set(r.path, { size: pointee.size, digest: pointee.id });
      blobs.set(r.path, pointee.id);
    }
  }
  return { listing: { entries, warnings }, blobs };
}

/** The name with each byte that is not part of a UTF-8 character written as `\\xHH`. */
function escapedName(name: Buffer): string {
  let out = "";
  for (let rest = name; rest.length > 0; ) {
    const bad = firstInvalidByte(rest);
    out += rest.subarray(0, bad).toString("utf8");
    if (bad < rest.length) out += `\\x${rest[bad]!.toString(16).padStart(2, "0")}`;
    rest = rest.subarray(bad + 1);
  }
  return out;
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) out.push(path.slice(0, i));
  return out;
}

function runGit(repo: string, args: string[]): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((resolvePromise) => {
    const child = spawn("git", ["-C", repo, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d));
    child.on("error", () => resolvePromise({ code: -1, stdout: Buffer.alloc(0) }));
    child.on("close", (code) => resolvePromise({ code, stdout: Buffer.concat(chunks) }));
  });
}
