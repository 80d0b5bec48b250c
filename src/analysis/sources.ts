/**
 * Where one side of a review comes from, always said explicitly: a directory, or a git
 * revision of a repository. Nothing guesses between the two after this point: a pull
 * request can add a folder named like a branch (`origin/main/`), and a guess that picks
 * the folder reviews the pull request against itself, with its own config.
 */
import { openDirectory } from "../repo/dir-source.js";
import { openRevision } from "../repo/git-source.js";
import type { LazyTree } from "../repo/lazy-tree.js";

export type SourceSpec =
  /** `path` is absolute; `ref` is what the user wrote, for the report. */
  | { kind: "dir"; path: string; ref: string }
  /** `repo` is the absolute path of the git repository. */
  | { kind: "git"; repo: string; rev: string };

/** The explicit spelling of each kind on the command line: `dir:PATH`, `git:REV`. */
export const SOURCE_PREFIXES = { dir: "dir:", git: "git:" } as const;

/** `into` is the private folder files are materialised into when a tool needs them. */
export function openSource(spec: SourceSpec, into: string): Promise<LazyTree> {
  return spec.kind === "dir" ? openDirectory(spec.path, spec.ref, into) : openRevision(spec.repo, spec.rev, into);
}
