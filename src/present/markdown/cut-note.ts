/** The closing note that says what was left out of a shortened comment, and where to see it. */

/** Enough to show what kind of cuts happened without the note itself growing large. */
export const MAX_NOTE_ITEMS = 20;

/**
 * `items` may hold more than MAX_NOTE_ITEMS entries; `total` counts every cut, listed or
 * not. Returns "" when nothing was cut.
 */
export function cutNote(items: readonly string[], total: number, maxLength: number): string {
  if (total === 0) return "";
  const listed = items.slice(0, MAX_NOTE_ITEMS);
  const bullets = listed.map((item) => `- ${item}\n`).join("");
  const more = total > listed.length ? `- …and ${total - listed.length} more\n` : "";
  return (
    `---\n\n**✂️ Shortened to fit the comment limit of ${maxLength} characters.** Left out:\n\n` +
    `${bullets}${more}\nRun \`shipshape check\` locally for the full report.\n`
  );
}
