/**
 * Runs the pure normaliser over a Tree. The normaliser reads synchronously, and which files
 * it needs (extends targets, env_files) is only known while it runs, so we run it, load the
 * files it asked for, and run it again until it asks for nothing new. Compose projects are
 * small; two or three rounds is typical.
 */
import type { TargetSpec } from "../../core/model/target.js";
import { TreeReadError, type InputProblem, type Tree } from "../../core/ports.js";
import { normalizeComposeProject, type ComposeProjectResult } from "./normalize.js";
import { composeProblem } from "./problems.js";

/** Each round loads at least one new file; more rounds than this means absurd nesting. */
const MAX_ROUNDS = 32;

export interface TreeLoadResult {
  result: ComposeProjectResult;
  /** Files that exist but could not be read (too large, unreadable). */
  readProblems: InputProblem[];
  /** The text of every file the normaliser read, by repo-relative path. */
  texts: ReadonlyMap<string, string>;
}

export async function loadComposeTarget(target: TargetSpec, tree: Tree): Promise<TreeLoadResult> {
  const cache = new Map<string, string | undefined>();
  const readProblems: InputProblem[] = [];
  for (let round = 0; ; round++) {
    const pending = new Set<string>();
    const result = normalizeComposeProject({
      projectDir: target.path,
      ...(target.composeFiles ? { files: target.composeFiles } : {}),
      ...(target.composeProfiles ? { profiles: target.composeProfiles } : {}),
      ...(target.composeEnv ? { env: target.composeEnv } : {}),
      read: (path) => {
        if (cache.has(path)) return cache.get(path);
        pending.add(path);
        return undefined;
      },
    });
    if (pending.size === 0) return { result, readProblems, texts: present(cache) };
    if (round >= MAX_ROUNDS) {
      const problem = composeProblem(
        "compose/unsupported",
        "error",
        { file: target.path },
        `files are nested more than ${MAX_ROUNDS} levels deep through extends and env_file; flatten the project`,
      );
      return { result: { ...result, problems: [...result.problems, problem] }, readProblems, texts: present(cache) };
    }
    await Promise.all([...pending].map(async (path) => cache.set(path, await readIfPresent(tree, path, readProblems))));
  }
}

function present(cache: ReadonlyMap<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of cache) if (text !== undefined) out.set(path, text);
  return out;
}

async function readIfPresent(tree: Tree, path: string, problems: InputProblem[]): Promise<string | undefined> {
  // Compose files may name host paths ("/etc/x", "../../x"); those are never part of the snapshot.
  if (path.startsWith("/") || path === ".." || path.startsWith("../") || !tree.hasFile(path)) return undefined;
  try {
    return await tree.read(path);
  } catch (err) {
    if (!(err instanceof TreeReadError)) throw err;
    if (err.reason === "invalid-utf8") problems.push(err.toProblem());
    else if (err.reason !== "missing") {
      problems.push(composeProblem("compose/file-missing", "error", { file: path }, `${path} cannot be read (${err.reason}): ${err.message}`));
    }
    return undefined;
  }
}
