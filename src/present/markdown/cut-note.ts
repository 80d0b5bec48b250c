/** The closing note that says what was left out of a shortened comment, and where to see it. */

/** Enough to show what kind of cuts happened without the note itself growing large. */
export const MAX_NOTE_ITEMS = 20;

export interface NoteWords {
  /** What the report was shortened to fit; default "the comment limit of N characters". */
  limitLabel?: string;
  /** A sentence about where else the full results are, before the `shipshape check` hint. */
  seeAlso?: string;
  /** The closing hint; default "Run `shipshape check` locally for the full report." ("" for none, e.g. from the CLI itself). */
  fullReport?: string;
}

/**
 * `items` may hold more than MAX_NOTE_ITEMS entries; `total` counts every cut, listed or
 * not. Returns "" when nothing was cut.
 */
export function cutNote(items: readonly string[], total: number, maxLength: number, words: NoteWords = {}): string {
  if (total === 0) return "";
  const listed = items.slice(0, MAX_NOTE_ITEMS);
  const bullets = listed.map((item) => `- ${item}\n`).join("");
  const more = total > listed.length ? `- …and ${total - listed.length} more\n` : "";
  const limit = words.limitLabel ?? `the comment limit of ${maxLength} characters`;
  const hint = [words.seeAlso ?? "", words.fullReport ?? "Run `shipshape check` locally for the full report."].filter(Boolean).join(" ");
  return `---\n\n**✂️ Shortened to fit ${limit}.** Left out:\n\n${bullets}${more}${hint ? `\n${hint}\n` : ""}`;
}
