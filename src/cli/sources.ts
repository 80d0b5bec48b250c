/**
 * Turning --base/--head into explicit sources. `dir:PATH` is a directory and `git:REV` a
 * revision in --repo; a bare value is whichever of the two exists, and an error (exit 2)
 * when both do: a pull request can add a folder named `origin/main/`, and taking it for
 * the branch would review the pull request against itself, with its own config.
 */
import { resolve } from "node:path";
import { SOURCE_PREFIXES, type SourceSpec } from "../analysis/sources.js";
import { isDirectory } from "../repo/dir-source.js";
import { SourceError } from "../repo/errors.js";
import { resolveRevision } from "../repo/git-source.js";

/** A --base/--head value as written: explicit (`dir:`, `git:`) or bare. */
export type SourceArg = { kind: "dir" | "git" | "either"; value: string };

export function parseSourceArg(text: string): SourceArg {
  if (text.startsWith(SOURCE_PREFIXES.dir)) return { kind: "dir", value: text.slice(SOURCE_PREFIXES.dir.length) };
  if (text.startsWith(SOURCE_PREFIXES.git)) return { kind: "git", value: text.slice(SOURCE_PREFIXES.git.length) };
  return { kind: "either", value: text };
}

/** Decides what a --base/--head value names. Throws SourceError (exit 2). */
export async function resolveSourceArg(flag: "--base" | "--head", arg: SourceArg, repo: string, cwd: string): Promise<SourceSpec> {
  const dir: SourceSpec = { kind: "dir", path: resolve(cwd, arg.value), ref: arg.value };
  const git: SourceSpec = { kind: "git", repo: resolve(cwd, repo), rev: arg.value };
  if (arg.kind === "dir") return dir;
  if (arg.kind === "git") return git;
  const [isDir, sha] = await Promise.all([isDirectory(dir.path), resolveRevision(git.repo, arg.value)]);
  if (isDir && sha) {
    throw new SourceError(
      `${flag} ${arg.value} is ambiguous: it is both a directory (${dir.path}) and a git revision in ${git.repo} (${sha.slice(0, 12)}). ` +
        `Say which one: ${flag} ${SOURCE_PREFIXES.git}${arg.value} for the revision, or ${flag} ${SOURCE_PREFIXES.dir}${arg.value} for the directory`,
    );
  }
  return isDir ? dir : git;
}
