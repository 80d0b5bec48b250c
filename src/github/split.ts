/**
 * Splits Markdown that is too long for one GitHub comment (65,536 characters, counted in
 * UTF-16 code units like JavaScript's `.length`) into parts that each fit, header and
 * footer included, and each render on their own: a cut inside a fenced code block closes
 * the fence and reopens it (same fence, same info string) in the next part; a cut inside
 * `<details>` closes it and reopens it expanded, with its summary marked "(continued)".
 *
 * Cuts go, in order of preference, at a blank line between blocks, at any line end, or,
 * for a line longer than a whole part, inside the line (at a space when there is one near,
 * never between the halves of a surrogate pair).
 */

export const GITHUB_COMMENT_LIMIT = 65_536;

export interface SplitOptions {
  /** Maximum length of every part, header and footer included (default 65,536). */
  limit?: number;
  /** Text that starts part `part` of `total` (e.g. a hidden marker and "Part 2 of 3"). */
  header: (part: number, total: number) => string;
  footer?: (part: number, total: number) => string;
}

/** One part, in pieces: `text` = header + opening + content + closing + footer. */
export interface CommentPart {
  header: string;
  /** Reopens what the previous part closed: `<details open>…` and fence lines. */
  opening: string;
  /** A slice of the input; the contents of all parts concatenate to the input. */
  content: string;
  /** Closes the fences and `<details>` open at the cut. */
  closing: string;
  footer: string;
  text: string;
}

export function splitComment(markdown: string, options: SplitOptions): string[] {
  return splitCommentParts(markdown, options).map((p) => p.text);
}

/**
 * The parts with their pieces. Throws a RangeError only when the limit leaves no room for
 * content next to the header, footer and reopened blocks: a caller's mistake, not input.
 * Trailing whitespace that would make a part of its own is dropped.
 */
export function splitCommentParts(markdown: string, options: SplitOptions): CommentPart[] {
  const limit = Math.floor(options.limit ?? GITHUB_COMMENT_LIMIT);
  const layout = scan(markdown);
  // Headers say "part i of N", so the parts depend on N: repeat until the count is stable.
  // With headers that grow with N this settles; each round can only raise N.
  let total = 1;
  for (let round = 0; round < 32; round++) {
    const parts = pack(layout, limit, options, total);
    if (parts.length === total) return parts;
    if (parts.length < total) {
      const relabelled = relabel(parts, limit, options);
      if (relabelled) return relabelled;
    }
    total = parts.length > total ? parts.length : total + 1;
  }
  throw new RangeError("splitComment: the number of parts does not settle; header or footer length varies too much with the total");
}

type Frame =
  | { kind: "fence"; openLine: string; indent: string; fence: string; parent: Frame | undefined }
  | { kind: "details"; summary: string | undefined; parent: Frame | undefined };

interface Layout {
  text: string;
  /** Offset of each line's start; line k ends at starts[k + 1] - 1 (its "\n"). */
  starts: number[];
  /** The open blocks before line k (stacks[k]), innermost first via `parent`. */
  stacks: (Frame | undefined)[];
  /** A cut before line k would follow a blank line outside any fence: a block boundary. */
  blockBoundary: boolean[];
  /** Before line k, the innermost block (fence or `<details>`) has no content yet: a cut there leaves it empty. */
  justOpened: boolean[];
  /** Offset after the last non-whitespace character. */
  contentEnd: number;
}

function scan(text: string): Layout {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const stacks: (Frame | undefined)[] = [undefined];
  const blockBoundary = [false];
  const justOpened = [false];
  let stack: Frame | undefined;
  let opened = false;
  for (let k = 0; k < starts.length; k++) {
    const line = text.slice(starts[k], k + 1 < starts.length ? starts[k + 1]! - 1 : text.length);
    const blank = /^[ \t\r]*$/.test(line);
    const before = stack;
    stack = step(stack, line);
    if (stack?.kind === "fence" && stack !== before) opened = true;
    else if (isTagLine(line, before)) opened = lastTagOpens(line);
    else if (!blank || stack?.kind === "fence") opened = false;
    stacks.push(stack);
    blockBoundary.push(blank && stack?.kind !== "fence");
    justOpened.push(opened);
  }
  return { text, starts, stacks, blockBoundary, justOpened, contentEnd: text.trimEnd().length };
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t\r]*$/;
const TAGS = /<details(?:\s[^>]*)?>|<\/details\s*>|<summary(?:\s[^>]*)?>(.*?)<\/summary\s*>/gi;

/** The open blocks after `line`. Frames are immutable, so earlier stacks stay valid. */
function step(stack: Frame | undefined, line: string): Frame | undefined {
  if (stack?.kind === "fence") {
    const close = FENCE_CLOSE.exec(line);
    const closes = close !== null && close[1]!.startsWith(stack.fence[0]!) && close[1]!.length >= stack.fence.length;
    return closes ? stack.parent : stack;
  }
  const open = FENCE_OPEN.exec(line);
  // A backtick fence's info string cannot hold a backtick (that line is inline code).
  if (open && !(open[2]!.startsWith("`") && open[3]!.includes("`"))) {
    return { kind: "fence", openLine: line.replace(/\r$/, ""), indent: open[1]!, fence: open[2]!, parent: stack };
  }
  if (!/^ {0,3}</.test(line)) return stack;
  let next: Frame | undefined = stack;
  for (const tag of line.matchAll(TAGS)) {
    const lower = tag[0].toLowerCase();
    if (lower.startsWith("<details")) next = { kind: "details", summary: undefined, parent: next };
    else if (lower.startsWith("</details")) next = next?.kind === "details" ? next.parent : next;
    else if (next?.kind === "details" && next.summary === undefined) next = { ...next, summary: tag[1] ?? "" };
  }
  return next;
}

/** A line of `<details>`/`<summary>` tags only (so the section still has no content). */
function isTagLine(line: string, stack: Frame | undefined): boolean {
  return stack?.kind !== "fence" && /^ {0,3}</.test(line) && line.replace(TAGS, "").trim() === "";
}

/** Whether the last tag on a tag line opens a block (`<details>`, `<summary>`) rather than closing one. */
function lastTagOpens(line: string): boolean {
  let last = "";
  for (const tag of line.matchAll(TAGS)) last = tag[0];
  return !last.toLowerCase().startsWith("</details");
}

/** A summary this long is not worth repeating in every part. */
const MAX_REPEATED_SUMMARY = 1000;

function openingFor(stack: Frame | undefined): string {
  const frames: Frame[] = [];
  for (let f: Frame | undefined = stack; f; f = f.parent) frames.unshift(f);
  return frames
    .map((f) => {
      if (f.kind === "fence") return `${f.openLine}\n`;
      const summary = f.summary && f.summary.length <= MAX_REPEATED_SUMMARY ? `${f.summary} (continued)` : "(continued)";
      return `<details open>\n<summary>${summary}</summary>\n\n`;
    })
    .join("");
}

/** Closes the open blocks after `content`, innermost first, each on a line of its own. */
function closingFor(stack: Frame | undefined, content: string): string {
  if (!stack) return "";
  let out = content.endsWith("\n") ? "" : "\n";
  let afterBlank = content.endsWith("\n\n");
  for (let f: Frame | undefined = stack; f; f = f.parent) {
    if (f.kind === "fence") out += `${f.indent}${f.fence}\n`;
    // A blank line first, so `</details>` never reads as part of a paragraph or table.
    else out += `${afterBlank ? "" : "\n"}</details>\n`;
    afterBlank = false;
  }
  return out;
}

function pack(layout: Layout, limit: number, options: SplitOptions, total: number): CommentPart[] {
  const { text, starts, stacks } = layout;
  const parts: CommentPart[] = [];
  let start = 0;
  let k = 0; // the line holding `start`
  for (;;) {
    const index = parts.length + 1;
    const header = options.header(index, total);
    const footer = options.footer?.(index, total) ?? "";
    const opening = openingFor(stacks[k]);
    const budget = limit - header.length - footer.length;
    const room = budget - opening.length;
    const part = (content: string, closing: string): CommentPart => ({ header, opening, content, closing, footer, text: header + opening + content + closing + footer });
    if (text.length - start <= room) {
      parts.push(part(text.slice(start), ""));
      return parts;
    }
    const end = cutAfter(layout, start, k, room, budget);
    const content = text.slice(start, end);
    parts.push(part(content, closingFor(stackAt(layout, end, k), content)));
    start = end;
    while (k + 1 < starts.length && starts[k + 1]! <= start) k++;
    if (start >= layout.contentEnd) return parts;
  }
}

/** The open blocks at a cut: before the line it starts, or of the line it falls inside. */
function stackAt(layout: Layout, offset: number, lineOfStart: number): Frame | undefined {
  let k = lineOfStart;
  while (k + 1 < layout.starts.length && layout.starts[k + 1]! <= offset) k++;
  return layout.stacks[k];
}

/**
 * Where the part starting at `start` (in line `k`) ends, given `room` for content and
 * closing. `budget` is the room of a whole part (limit minus header and footer): a cut
 * deep inside nested blocks is avoided when reopening and closing them again would take
 * more than half of the next part.
 */
function cutAfter(layout: Layout, start: number, k: number, room: number, budget: number): number {
  const { text, starts, stacks } = layout;
  let block = -1;
  let line = -1;
  let any = -1;
  for (let j = k + 1; j < starts.length && starts[j]! - start <= room; j++) {
    const end = starts[j]!;
    if (end >= text.length) break;
    if (end - start + closingFor(stacks[j], text.slice(Math.max(start, end - 2), end)).length > room) continue;
    if (layout.justOpened[j]) continue;
    any = end;
    if (overhead(stacks[j]) * 2 > budget) continue;
    if (layout.blockBoundary[j]) block = end;
    line = end;
  }
  // A block boundary wins unless it would leave the part less than half full.
  if (block > 0 && (block - start) * 2 >= room) return block;
  if (line > 0) return line;
  if (any > 0) return any;
  return hardCut(layout, start, k, room);
}

/** What reopening and closing the blocks open at a cut costs at most. */
function overhead(stack: Frame | undefined): number {
  return stack ? openingFor(stack).length + closingFor(stack, "x").length : 0;
}

/**
 * A cut inside the line the room runs out in, when no line end fits (or only ones right
 * after a block opener, which would leave the block empty).
 */
function hardCut(layout: Layout, start: number, k: number, room: number): number {
  const { text, starts, stacks } = layout;
  let m = k;
  while (m + 1 < starts.length && starts[m + 1]! < start + room) m++;
  for (; m >= k; m--) {
    const lineStart = Math.max(start, starts[m]!);
    const lineEnd = m + 1 < starts.length ? starts[m + 1]! - 1 : text.length;
    let end = Math.min(start + room - closingFor(stacks[m], "x").length, lineEnd);
    const space = text.lastIndexOf(" ", end - 1);
    if (space >= lineStart && end - (space + 1) <= (end - start) / 5) end = space + 1;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    if (end > lineStart) return end;
  }
  throw new RangeError(`splitComment: ${room} characters left after header, footer and reopened blocks are not enough for any content`);
}

/** Parts packed for a larger total, relabelled with the real one, if they still fit. */
function relabel(parts: CommentPart[], limit: number, options: SplitOptions): CommentPart[] | undefined {
  const total = parts.length;
  const out = parts.map((p, i) => {
    const header = options.header(i + 1, total);
    const footer = options.footer?.(i + 1, total) ?? "";
    return { ...p, header, footer, text: header + p.opening + p.content + p.closing + footer };
  });
  return out.every((p) => p.text.length <= limit) ? out : undefined;
}
