/**
 * "Did you mean" for mistyped command names: the closest known name by edit distance
 * (transpositions count as one edit, so "aprpove" is one step from "approve"), else the
 * name the word starts.
 */

/**
 * Optimal string alignment distance (restricted Damerau-Levenshtein): insertions,
 * deletions, substitutions and swaps of two neighbouring characters each cost one.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j]!;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/** Words longer than this are not typos of a command name; skipping them bounds the work. */
const MAX_WORD = 32;

/**
 * The candidate `word` most likely stands for, or undefined. Case-insensitive. Within two
 * edits (one for words of three letters or fewer, so "ok" does not become "help"), the
 * nearest wins and ties go to the earlier candidate; otherwise a candidate the word is a
 * prefix of ("app" → "approve").
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length === 0 || w.length > MAX_WORD) return undefined;
  const maxDistance = w.length <= 3 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(w, name.toLowerCase());
    if (distance <= maxDistance && (!best || distance < best.distance)) best = { name, distance };
  }
  if (best) return best.name;
  if (w.length < 2) return undefined;
  return candidates.find((name) => name.toLowerCase().startsWith(w));
}
