/**
 * Path handling for Compose. `docker compose config` prints host paths as absolute paths on
 * the machine that ran it; we print them relative to the repository root instead, so base
 * and head (checked out in different places) render the same text.
 */
import { posix } from "node:path";

/** Resolves `p` (as written in a Compose file) against `baseDir`, both repo-relative. */
export function resolveRepoPath(baseDir: string, p: string): string {
  if (isHostAbsolute(p) || p.startsWith("~")) return p;
  const joined = posix.normalize(posix.join(baseDir, p));
  if (joined === "" || joined === "./") return ".";
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
}

export function isHostAbsolute(p: string): boolean {
  return p.startsWith("/") || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith("\\\\");
}

/** Build contexts that are not directories: git URLs, HTTP tarballs, named contexts. */
export function isRemoteContext(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith("git@") || p.startsWith("github.com/");
}

export function dirOf(file: string): string {
  return posix.dirname(file);
}

export function joinRepo(dir: string, name: string): string {
  return dir === "." ? posix.normalize(name) : posix.normalize(posix.join(dir, name));
}

/**
 * A path Shipshape cannot read for a project: absolute on the host (or a home folder), or
 * resolved above the repository root. Compose would read it from the machine it runs on.
 */
export function isOutsideRepo(p: string): boolean {
  return isHostAbsolute(p) || p.startsWith("~") || p === ".." || p.startsWith("../");
}
