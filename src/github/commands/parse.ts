/**
 * Commands in pull-request comments and in replies to Shipshape's review comments:
 * `/shipshape <command> [args]` or `@<app-slug> <command> [args]` at the start of a line.
 *
 * Parsing never throws: every command line becomes a result (a command, a known command
 * with bad arguments, or an unknown word with a "did you mean"), and the caller decides
 * what to run and what to answer. Only lines a reader sees as the author's own text
 * count: code blocks, block quotes and HTML comments hold examples and quotes of other
 * people's commands, and running those would surprise everyone reading the thread.
 */
import { suggest } from "./suggest.js";

export const COMMAND_NAMES = ["help", "recheck", "approve", "waive", "unwaive", "explain"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type Command =
  | { name: "help" }
  | { name: "recheck" }
  | { name: "approve"; reason?: string }
  /** Without `rule` the caller takes the finding of the review thread the reply is in. */
  | { name: "waive"; rule?: string; reason: string }
  | { name: "unwaive"; rule?: string }
  | { name: "explain"; rule?: string };

/** How the command was addressed: `/shipshape …` or `@app …`. */
export type Trigger = "slash" | "mention";

interface Located {
  /** 1-based line of the command in the comment body. */
  line: number;
  /** That line, as written. */
  text: string;
  trigger: Trigger;
}

export type CommandResult =
  | ({ kind: "command"; command: Command } & Located)
  /** A known command with arguments it cannot take; `usage` is its synopsis. */
  | ({ kind: "invalid"; name: CommandName; message: string; usage: string } & Located)
  | ({ kind: "unknown"; word: string; suggestion?: CommandName } & Located);

export interface ParseOptions {
  /** The GitHub App's slug ("shipshape"); `@shipshape` and `@shipshape[bot]` address it. */
  appSlug: string;
}

export interface ParsedComment {
  /** One result per command line, in order, at most MAX_COMMANDS. */
  results: CommandResult[];
  /** Command lines after the first MAX_COMMANDS: not parsed, not to be run. */
  ignored: number;
  /** True when the body was longer than MAX_SCANNED_CHARS and only its start was read. */
  truncated: boolean;
}

/** GitHub's own limit for a comment body; anything longer did not come from GitHub. */
export const MAX_SCANNED_CHARS = 65_536;
/** One comment should not be able to queue an unbounded amount of work. */
export const MAX_COMMANDS = 10;
/** Reasons are stored in the sticky comment's state and shown in reports. */
export const MAX_REASON_CHARS = 500;

/** Synopses, with the `/shipshape ` prefix left out. */
export const USAGE: Record<CommandName, string> = {
  help: "help",
  recheck: "recheck",
  approve: "approve [reason…]",
  waive: "waive [rule] <reason…>",
  unwaive: "unwaive [rule]",
  explain: "explain [rule]",
};

/** The results alone; use `parseComment` to learn about ignored commands and truncation. */
export function parseCommands(body: string, options: ParseOptions): CommandResult[] {
  return parseComment(body, options).results;
}

export function parseComment(body: string, options: ParseOptions): ParsedComment {
  if (typeof body !== "string") return { results: [], ignored: 0, truncated: false };
  const truncated = body.length > MAX_SCANNED_CHARS;
  // The last line of a cut body may be a command cut short; it is dropped rather than misread.
  const text = truncated ? body.slice(0, Math.max(0, body.lastIndexOf("\n", MAX_SCANNED_CHARS))) : body;
  const prefix = prefixPattern(options?.appSlug ?? "");
  const results: CommandResult[] = [];
  let ignored = 0;
  const lines = text.split(/\r\n|\r|\n/);
  for (const index of plainLines(lines)) {
    const line = lines[index]!;
    const match = prefix.exec(line);
    if (!match) continue;
    if (results.length >= MAX_COMMANDS) {
      ignored += 1;
      continue;
    }
    const located: Located = { line: index + 1, text: line, trigger: match[1] ? "slash" : "mention" };
    results.push(parseCommandText(match[2] ?? "", located));
  }
  return { results, ignored, truncated };
}

/** Whether a token names a finding rule (`schema/invalid`) or a finding id (12 hex digits). */
export function looksLikeRule(token: string): boolean {
  return FINDING_ID.test(token) || RULE_ID.test(token);
}

const FINDING_ID = /^[0-9a-f]{12}$/i;
const RULE_ID = /^[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)+$/;

function prefixPattern(appSlug: string): RegExp {
  const slug = appSlug.trim().replace(/^@/, "").replace(/\[bot\]$/i, "");
  const mention = slug ? `|@${escapeRegExp(slug)}(?:\\[bot\\])?` : "";
  // Group 1 is set for the slash form; group 2 is everything after the prefix.
  return new RegExp(`^ {0,3}(?:(/shipshape)${mention})(?=\\s|$)(.*)$`, "i");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function parseCommandText(afterPrefix: string, at: Located): CommandResult {
  // Text after an HTML comment opener is hidden from readers; it is not part of the command.
  const rest = afterPrefix.split("<!--")[0]!.trim();
  const word = /^\S+/.exec(rest)?.[0];
  if (word === undefined) return { kind: "command", command: { name: "help" }, ...at };
  const name = COMMAND_NAMES.find((n) => n === word.toLowerCase());
  if (!name) {
    const suggestion = suggest(word, COMMAND_NAMES) as CommandName | undefined;
    return { kind: "unknown", word, ...(suggestion ? { suggestion } : {}), ...at };
  }
  const args = rest.slice(word.length).trim();
  const invalid = (message: string): CommandResult => ({ kind: "invalid", name, message, usage: USAGE[name], ...at });
  const ok = (command: Command): CommandResult => ({ kind: "command", command, ...at });
  switch (name) {
    case "help":
      return ok({ name });
    case "recheck":
      return args ? invalid("no arguments expected") : ok({ name });
    case "approve":
      if (args.length > MAX_REASON_CHARS) return invalid(REASON_TOO_LONG);
      return ok(args ? { name, reason: args } : { name });
    case "waive": {
      const { rule, rest: reason } = leadingRule(args);
      if (!reason) return invalid("a waiver needs a reason");
      if (reason.length > MAX_REASON_CHARS) return invalid(REASON_TOO_LONG);
      return ok(rule ? { name, rule, reason } : { name, reason });
    }
    case "unwaive":
    case "explain": {
      if (!args) return ok({ name });
      const { rule, rest: extra } = leadingRule(args);
      if (!rule || extra) return invalid("expected at most one argument: a rule id (such as `schema/invalid`) or a 12-character finding id");
      return ok({ name, rule });
    }
  }
}

const REASON_TOO_LONG = `a reason can be at most ${MAX_REASON_CHARS} characters`;

/**
 * Splits off the first token when it names a rule. Copied rule ids often keep the
 * backticks of the report or a trailing colon ("schema/invalid: the CRD is …").
 */
function leadingRule(args: string): { rule?: string; rest: string } {
  const token = /^\S+/.exec(args)?.[0];
  if (token === undefined) return { rest: "" };
  // No rule id is this long; a longer word is the start of the reason (and is never scanned again).
  if (token.length > MAX_RULE_CHARS) return { rest: args };
  const cleaned = trimEnd(trimBackticks(trimEnd(token, TRAILING_PUNCTUATION)), TRAILING_PUNCTUATION);
  if (!looksLikeRule(cleaned)) return { rest: args };
  const rule = FINDING_ID.test(cleaned) ? cleaned.toLowerCase() : cleaned;
  return { rule, rest: args.slice(token.length).trim() };
}

/** Longer than any rule id or finding id with its punctuation and backticks. */
const MAX_RULE_CHARS = 200;
const TRAILING_PUNCTUATION = ":,;.";

/**
 * `text` without trailing characters from `set`. A loop, not `/[…]+$/`: that pattern retries
 * from every position of a long run not at the end (quadratic on `;;;…;x`).
 */
function trimEnd(text: string, set: string): string {
  let end = text.length;
  while (end > 0 && set.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

function trimBackticks(text: string): string {
  let start = 0;
  while (start < text.length && text[start] === "`") start++;
  return trimEnd(text.slice(start), "`");
}

interface Fence {
  char: string;
  length: number;
}

/**
 * Indexes of the lines that can hold a command: outside fenced and indented code, block
 * quotes (including a quoted paragraph's lazy continuation lines, which GitHub renders
 * inside the quote) and HTML comments, indented by at most three spaces. This follows
 * CommonMark closely enough for comments people write; where it is unsure it skips the
 * line, so a doubtful command is ignored rather than run.
 */
function* plainLines(lines: readonly string[]): Generator<number> {
  let fence: Fence | undefined;
  let inComment = false;
  let paragraph = false;
  let quoteParagraph = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    if (inComment) {
      inComment = commentOpenAfter(line, true);
      continue;
    }
    if (isBlank(line)) {
      paragraph = false;
      quoteParagraph = false;
      continue;
    }
    if (indentWidth(line) >= 4) {
      // In a paragraph this continues it; otherwise it is indented code (or a quote's lazy line).
      if (paragraph && !quoteParagraph) inComment = commentOpenAfter(line, false);
      continue;
    }
    const quoted = /^ {0,3}>/.exec(line);
    if (quoted) {
      const content = line.slice(quoted[0].length).replace(/^ /, "");
      quoteParagraph = !isBlank(content) && !fenceOpener(content);
      paragraph = false;
      continue;
    }
    const opener = fenceOpener(line);
    if (opener) {
      fence = opener;
      paragraph = false;
      quoteParagraph = false;
      continue;
    }
    if (quoteParagraph) continue;
    yield i;
    inComment = commentOpenAfter(line, false);
    paragraph = true;
  }
}

function fenceOpener(line: string): Fence | undefined {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return undefined;
  const fence = match[1]!;
  // A backtick fence's info string cannot hold a backtick (that line is inline code).
  if (fence.startsWith("`") && match[2]!.includes("`")) return undefined;
  return { char: fence[0]!, length: fence.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  return match !== null && match[1]!.startsWith(fence.char) && match[1]!.length >= fence.length;
}

/** Whether an HTML comment is still open at the end of the line. */
function commentOpenAfter(line: string, openAtStart: boolean): boolean {
  let open = openAtStart;
  let from = 0;
  for (;;) {
    const at = line.indexOf(open ? "-->" : "<!--", from);
    if (at < 0) return open;
    from = at + (open ? 3 : 4);
    open = !open;
  }
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

/** Leading whitespace in columns, a tab reaching the next multiple of four. */
function indentWidth(line: string): number {
  let width = 0;
  for (const c of line) {
    if (c === " ") width += 1;
    else if (c === "\t") width += 4 - (width % 4);
    else break;
  }
  return width;
}
