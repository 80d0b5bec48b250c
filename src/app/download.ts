/**
 * Both sides of a pull request as tarballs: one API call each, extracted with limits (size,
 * file count, no absolute paths or "..", symlinks only inside the root) into a private folder.
 */
import { join } from "node:path";
import type { GitHubApi, RepoRef } from "../github/api.js";
import { SourceError } from "../repo/errors.js";
import type { LazyTree } from "../repo/lazy-tree.js";
import { DEFAULT_ARCHIVE_LIMITS, openTarball, type ArchiveLimits } from "../repo/tarball.js";

export async function downloadTree(api: GitHubApi, repo: RepoRef, sha: string, workDir: string, side: "base" | "head", signal: AbortSignal, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<LazyTree> {
  const { data, headers } = await api.request("GET /repos/{owner}/{repo}/tarball/{ref}", { ...repo, ref: sha, request: { signal } });
  const declared = Number(headers["content-length"] ?? 0);
  if (declared > limits.maxCompressedBytes) throw new SourceError(`${side} ${sha}: the archive is ${declared} bytes, over the ${limits.maxCompressedBytes}-byte limit`);
  const bytes = Buffer.from(data as ArrayBuffer);
  return openTarball(bytes, `${side} ${sha.slice(0, 12)}`, join(workDir, `${side}-archive`), join(workDir, side), limits);
}
