/**
 * The files a change touches: on one side only, or with different content. Digests come
 * from the source when it knows them (git blob ids), so unchanged files are not read there.
 */
import type { Tree } from "../ports.js";
import { createLimit } from "./limit.js";

/** Reads at once when a digest needs the bytes (a directory or an archive). */
const DIGEST_CONCURRENCY = 16;

export async function changedFiles(base: Tree, head: Tree): Promise<string[]> {
  const all = [...new Set([...base.files(), ...head.files()])].sort();
  const limit = createLimit(DIGEST_CONCURRENCY);
  const changed = await Promise.all(
    all.map((f) =>
      limit(async () => {
        if (!base.hasFile(f) || !head.hasFile(f)) return true;
        const [b, h] = await Promise.all([base.digest(f), head.digest(f)]);
        return b !== h;
      }),
    ),
  );
  return all.filter((_, i) => changed[i]);
}
