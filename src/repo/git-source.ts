/**
 * A base or head given as a git revision: extracted with `git archive` into a private
 * snapshot, so the user's working tree and index are never touched. Extraction is bounded
 * in entries and bytes because the repository content is untrusted.
 */
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { extract } from "tar";
import { SourceError } from "./errors.js";
import { scanSnapshot, SnapshotTree } from "./snapshot-tree.js";

export interface ArchiveLimits {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 200_000, maxBytes: 2 * 1024 ** 3 };

export async function resolveRevision(repo: string, rev: string): Promise<string | undefined> {
  const out = await runGit(repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return out.code === 0 ? out.stdout.trim() : undefined;
}

export async function snapshotRevision(
  repo: string,
  rev: string,
  into: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<SnapshotTree> {
  const sha = await resolveRevision(repo, rev);
  if (!sha) throw new SourceError(`${rev}: not a directory, and not a commit in the git repository at ${repo}`);
  await mkdir(into, { recursive: true });
  let entries = 0;
  let bytes = 0;
  let overLimit: string | undefined;
  const child = spawn("git", ["-C", repo, "archive", "--format=tar", sha], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()).slice(-4000));
  const extractor = extract({
    cwd: into,
    strict: true,
    // Strips absolute paths and `..` (node-tar's default); restated here because it matters.
    preservePaths: false,
    filter: (_path, entry) => {
      entries += 1;
      bytes += "size" in entry ? Number(entry.size ?? 0) : 0;
      if (!overLimit && entries > limits.maxEntries) overLimit = `more than ${limits.maxEntries} files`;
      if (!overLimit && bytes > limits.maxBytes) overLimit = `more than ${limits.maxBytes} bytes`;
      if (overLimit) child.kill("SIGKILL");
      return !overLimit;
    },
  });
  const done = new Promise<void>((resolvePromise, reject) => {
    extractor.on("finish", () => resolvePromise());
    extractor.on("error", reject);
  });
  child.stdout.pipe(extractor);
  const code = await new Promise<number | null>((r) => child.on("close", r));
  await done.catch((err: Error) => {
    if (!overLimit) throw new SourceError(`${rev}: could not extract the revision: ${err.message}`);
  });
  if (overLimit) throw new SourceError(`${rev}: the revision has ${overLimit}; Shipshape refuses to extract it`);
  if (code !== 0) throw new SourceError(`${rev}: git archive failed: ${stderr.trim()}`);
  const scan = await scanSnapshot(into);
  return new SnapshotTree(rev, into, scan.files, scan.removedSymlinks);
}

function runGit(repo: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn("git", ["-C", repo, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("error", () => resolvePromise({ code: -1, stdout: "" }));
    child.on("close", (code) => resolvePromise({ code, stdout }));
  });
}
