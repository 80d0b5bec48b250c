/**
 * Escaping for the contexts text from a repository or a person (resource names, messages,
 * paths, values, tool output, reasons) lands in on GitHub: Markdown inline text, raw HTML
 * blocks (`<summary>` lines), code blocks, and plain text (check-run annotations).
 *
 * The rules the renderers keep, whatever the Markdown dialect:
 * - outside code, such text never holds a raw `<`, `>` or `&`: it cannot open a tag or an
 *   HTML comment (so it can never form or move one of Shipshape's hidden markers);
 * - it mentions nobody and references nothing: `@user`, `@org/team`, `#123`, `owner/repo#123`
 *   and `GH-123` get a zero-width space, as do bare URLs (`https://`, `www.`), which GitHub
 *   would otherwise turn into links;
 * - it is bounded: a name or value longer than its cap is cut, with an ellipsis and its
 *   length, so one huge string cannot fill a comment;
 * - in code (where entities are not decoded) a `<!--` gets a zero-width space instead.
 */
import { safeSlice } from "./safe-slice.js";

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Names: resource kinds and names, targets, rule ids, paths, logins. Kubernetes names stop at 253. */
export const MAX_NAME = 256;
/** Messages and values in prose: enough to understand any real one. */
export const MAX_TEXT = 2000;
/** One line of a diff or of tool output inside a code block. */
export const MAX_CODE_LINE = 1000;

const ZWSP = "\u200b";
const ZWSP_ENTITY = "&#8203;";

/**
 * At most `max` characters (never half a surrogate pair); a longer text keeps its start and
 * says how long it was: "abc… (200000 characters)".
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeSlice(text, max)}… (${text.length} characters)`;
}

/** For text inside raw HTML (a `<summary>` line), where Markdown is not parsed. Capped at MAX_TEXT. */
export function escapeHtml(text: string): string {
  return htmlText(text, MAX_TEXT);
}

function htmlText(text: string, max: number): string {
  return neutralize(oneLine(clipText(text, max)).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c), ZWSP_ENTITY);
}

/**
 * For inline Markdown: table cells, bullets, headings. Entities for `& < >`, backslashes
 * for the punctuation that opens emphasis, code spans, links, strikethrough, math or a
 * table cell, and a neutral start so the text cannot begin a heading, quote or list.
 * Capped at MAX_TEXT; clip a name first (clipText) where it should be shorter.
 */
export function escapeMarkdown(text: string): string {
  return markdownText(text, MAX_TEXT);
}

function markdownText(text: string, max: number): string {
  const escaped = oneLine(clipText(text, max))
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(/[\\`*_[\]|~$]/g, "\\$&")
    .replace(/^[#+=-]/, "\\$&")
    .replace(/^(\d+)([.)])/, "$1\\$2")
    .replace(/^ +/, (spaces) => "&nbsp;".repeat(spaces.length));
  return neutralize(escaped, ZWSP_ENTITY);
}

/** Monospace user text in a Markdown context: a name, capped at MAX_NAME. */
export function markdownCode(text: string): string {
  return `<code>${markdownText(text, MAX_NAME)}</code>`;
}

/** Monospace user text inside raw HTML: a name, capped at MAX_NAME. */
export function htmlCode(text: string): string {
  return `<code>${htmlText(text, MAX_NAME)}</code>`;
}

/** A GitHub login shown as `@login` that notifies nobody (the login itself escaped). */
export function mention(login: string): string {
  return `@${ZWSP_ENTITY}${markdownText(login.replace(/^@/, ""), MAX_NAME)}`;
}

/**
 * For plain-text fields (check-run annotation titles, messages and raw details): nothing is
 * decoded there, so the neutralising zero-width spaces are the characters themselves.
 */
export function escapePlain(text: string, max: number): string {
  return neutralize(clipText(text, max), ZWSP).replace(/<!--/g, `<${ZWSP}!--`);
}

/**
 * A fenced code block whose fence is longer than any backtick run in the content, so a
 * diff of a README holding ``` cannot end the block early and spill into the comment.
 * Lines longer than MAX_CODE_LINE are cut, and `<!--` is broken up: GitHub shows code as
 * written, but the comment body must not hold anything that reads as a marker.
 */
export function fencedBlock(content: string, info = ""): string {
  const safe = codeText(content);
  // A loop rather than Math.max(...runs): a huge diff can hold more runs than the stack takes.
  let longestRun = 0;
  for (const run of safe.matchAll(/`+/g)) longestRun = Math.max(longestRun, run[0].length);
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  const body = safe.endsWith("\n") ? safe : `${safe}\n`;
  return `${fence}${info}\n${body}${fence}\n`;
}

/** Code as shown in a block: long lines cut, HTML comment openers broken up. */
export function codeText(content: string): string {
  const lines = content.split("\n");
  const capped = lines.some((l) => l.length > MAX_CODE_LINE) ? lines.map((l) => clipText(l, MAX_CODE_LINE)).join("\n") : content;
  return capped.replace(/<!--/g, `<${ZWSP}!--`);
}

/** Inline contexts are single lines: a newline would end a table row or a bullet. */
function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, " ");
}

/**
 * A zero-width space (`gap`, the character or its entity) where GitHub would otherwise
 * notify or link: after `@` ("@org/team", "a@b.c"), after a `#` before digits ("#12",
 * "o/r#12"; not an entity's own `&#`), inside "GH-12", and in "://" and "www.".
 */
function neutralize(text: string, gap: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${gap}`)
    .replace(/(?<!&)#(?=\d)/g, `#${gap}`)
    .replace(/(?<![A-Za-z0-9])(GH)-(?=\d)/gi, `$1${gap}-`)
    .replace(/:\/\//g, `:${gap}//`)
    .replace(/(?<![A-Za-z0-9])(www)\./gi, `$1${gap}.`);
}
