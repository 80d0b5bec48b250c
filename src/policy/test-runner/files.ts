/**
 * Finding `kyverno-test.yaml` files and resolving the paths they name. A path that leaves the
 * tree being tested (after following symlinks), or names a URL, is refused: a test suite must
 * not make the runner read arbitrary files.
 */
import { readdir, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

export const TEST_FILE_NAME = "kyverno-test.yaml";

export async function findTestFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name === ".git") continue;
        await walk(full);
      } else if (e.isFile() && e.name === TEST_FILE_NAME) out.push(full);
    }
  };
  await walk(root);
  return out;
}

export class RefusedPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedPathError";
  }
}

/** Resolves `ref` against `baseDir`; throws RefusedPathError when it escapes `root`. */
export async function resolveInside(root: string, baseDir: string, ref: string): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw new RefusedPathError(`${ref}: remote paths are not fetched`);
  const candidate = isAbsolute(ref) ? ref : resolve(baseDir, ref);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    real = candidate;
  }
  const rel = relative(root, real);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new RefusedPathError(`${ref}: resolves outside the tested directory (${real})`);
  return real;
}
