/**
 * Escaping for the two contexts user-controlled strings (resource names, messages,
 * paths, tool output) land in on GitHub: Markdown inline text and raw HTML blocks
 * (`<summary>` lines). Code blocks need neither, only a fence they cannot close.
 *
 * The rule the Markdown renderer keeps: outside fenced code, user text never contains a
 * raw `<`, `>` or `&`, so it cannot open a tag, whatever the Markdown dialect.
 */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** For text inside raw HTML (a `<summary>` line), where Markdown is not parsed. */
export function escapeHtml(text: string): string {
  return neutralizeMentions(oneLine(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c));
}

/**
 * For inline Markdown: table cells, bullets, headings. Entities for `& < >`, backslashes
 * for the punctuation that opens emphasis, code spans, links, strikethrough, math or a
 * table cell, and a neutral start so the text cannot begin a heading, quote or list.
 */
export function escapeMarkdown(text: string): string {
  const escaped = oneLine(text)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(/[\\`*_[\]|~$]/g, "\\$&")
    .replace(/^[#+=-]/, "\\$&")
    .replace(/^(\d+)([.)])/, "$1\\$2")
    .replace(/^ +/, (spaces) => "&nbsp;".repeat(spaces.length));
  return neutralizeMentions(escaped);
}

/** Monospace user text in a Markdown context. */
export function markdownCode(text: string): string {
  return `<code>${escapeMarkdown(text)}</code>`;
}

/** Monospace user text inside raw HTML. */
export function htmlCode(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/**
 * A fenced code block whose fence is longer than any backtick run in the content, so a
 * diff of a README holding ``` cannot end the block early and spill into the comment.
 */
export function fencedBlock(content: string, info = ""): string {
  // A loop rather than Math.max(...runs): a huge diff can hold more runs than the stack takes.
  let longestRun = 0;
  for (const run of content.matchAll(/`+/g)) longestRun = Math.max(longestRun, run[0].length);
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  const body = content.endsWith("\n") ? content : `${content}\n`;
  return `${fence}${info}\n${body}${fence}\n`;
}

/** Inline contexts are single lines: a newline would end a table row or a bullet. */
function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, " ");
}

/**
 * A zero-width space after `@` keeps a message like "owned by @org/team" from pinging
 * people when the comment is posted.
 */
function neutralizeMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, "@&#8203;");
}
