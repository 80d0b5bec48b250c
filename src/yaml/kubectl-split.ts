/**
 * A manifest stream cut into documents the way kubectl cuts it, before any YAML parser sees it
 * (kubectl's file reader and k8s.io/apimachinery's YAMLOrJSONDecoder and YAMLReader, checked
 * against kubectl 1.32):
 * - a byte-order mark at the start of the file is dropped (`unicode.BOMOverride`);
 * - a file whose first non-space character is `{` is a stream of JSON values, not YAML;
 * - otherwise the text is cut at every line that starts with `---` followed by nothing but
 *   spaces (Go's `unicode.IsSpace`) or a `#` comment, whatever YAML would make of that line
 *   (`---#x` is no marker for YAML, `----` and `--- x` are an error for kubectl, which stops
 *   reading the file there). Lines end at `\n` only; each piece is then parsed as a YAML stream
 *   of its own, and go-yaml drops a byte-order mark that starts it.
 * Line numbers stay the file's: only byte-order marks are removed, never a line.
 */
import { LineCounter } from "yaml";

/** Go's `unicode.IsSpace`, which `strings.TrimSpace` uses (YAML's own blanks are space and tab). */
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "g");
const GO_LEADING_SPACE = new RegExp(`^[${GO_SPACE}]*`);
const BOM = "\ufeff";
/** kubectl looks for `{` in the first 4096 bytes only (GuessJSONStream). */
const JSON_PEEK_BYTES = 4096;
/** A line with something YAML reads: not blank, not only a comment. */
const CONTENT_LINE = /^[ \t]*[^ \t\r#]/;

export interface Piece {
  /** Offsets in the split's `text`; separator lines are in no piece. */
  start: number;
  end: number;
  /** Offset and 1-based line of the piece's first content line; -1 and 0 when it has none. */
  contentStart: number;
  contentLine: number;
}

export interface SplitProblem {
  kind: "separator" | "byte-order-mark";
  line: number;
  message: string;
}

export interface KubectlSplit {
  /** The stream without the byte-order marks kubectl drops; offsets and lines refer to it. */
  text: string;
  /** True when kubectl reads the whole file as JSON values (then `pieces` is empty). */
  json: boolean;
  pieces: Piece[];
  lineCounter: LineCounter;
  problems: SplitProblem[];
}

export function splitLikeKubectl(input: string): KubectlSplit {
  const dropped = input.includes(BOM) ? dropByteOrderMarks(input) : { text: input, problems: [] };
  const { text, problems } = dropped;
  const lineCounter = new LineCounter();
  const pieces: Piece[] = [];
  const json = startsAsJson(text);
  let piece: Piece = { start: 0, end: 0, contentStart: -1, contentLine: 0 };
  let stopped = json;
  let line = 0;
  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl;
    line += 1;
    lineCounter.addNewLine(pos);
    if (!stopped) {
      const separator = separatorAt(text, pos, end);
      if (separator === "invalid") {
        problems.push({ kind: "separator", line, message: INVALID_SEPARATOR });
        stopped = true;
      }
      if (separator !== "none") {
        pieces.push({ ...piece, end: pos });
        piece = { start: nl === -1 ? text.length : nl + 1, end: 0, contentStart: -1, contentLine: 0 };
      } else if (piece.contentStart === -1 && CONTENT_LINE.test(text.slice(pos, end))) {
        piece.contentStart = pos;
        piece.contentLine = line;
      }
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  if (!stopped) pieces.push({ ...piece, end: text.length });
  return { text, json, pieces: pieces.filter((p) => p.contentStart !== -1), lineCounter, problems };
}

function separatorAt(text: string, pos: number, end: number): "none" | "valid" | "invalid" {
  if (!text.startsWith("---", pos)) return "none";
  const rest = text.slice(pos + 3, end).replace(GO_TRIM, "");
  return rest === "" || rest.startsWith("#") ? "valid" : "invalid";
}

const INVALID_SEPARATOR =
  "kubectl refuses this line as a document separator (after --- it allows only spaces or a # comment) and stops reading the " +
  "file there. Put the document's content on the next line.";

/** kubectl's test: the first character that is not a Go space, within the first 4096 bytes, is `{`. */
function startsAsJson(text: string): boolean {
  const lead = GO_LEADING_SPACE.exec(text)![0].length;
  if (text[lead] !== "{") return false;
  return lead < 128 ? lead < JSON_PEEK_BYTES : Buffer.byteLength(text.slice(0, lead)) < JSON_PEEK_BYTES;
}

/**
 * Drops the byte-order marks kubectl drops: one at the start of the file, and one at the start of
 * each piece (go-yaml's reader skips it). Any other at the start of a line is reported and kept:
 * go-yaml reads it as part of a key after a comment or a blank line, and loses track of the lines
 * after it inside a mapping, while YAML libraries read it otherwise.
 */
function dropByteOrderMarks(input: string): { text: string; problems: SplitProblem[] } {
  const problems: SplitProblem[] = [];
  const out: string[] = [];
  let pieceStart = true;
  let line = 0;
  for (let pos = input.startsWith(BOM) ? 1 : 0; pos <= input.length; ) {
    const nl = input.indexOf("\n", pos);
    const end = nl === -1 ? input.length : nl;
    line += 1;
    const from: number = pieceStart && input.startsWith(BOM, pos) ? pos + 1 : pos;
    if (input.startsWith(BOM, from)) problems.push({ kind: "byte-order-mark", line, message: STRAY_BOM });
    pieceStart = separatorAt(input, from, end) !== "none";
    out.push(input.slice(from, nl === -1 ? end : nl + 1));
    if (nl === -1) break;
    pos = nl + 1;
  }
  return { text: out.join(""), problems };
}

const STRAY_BOM =
  "a byte-order mark (U+FEFF) starts this line, but not the document: kubectl drops only one that starts a document; this one " +
  "it reads as text (or loses track of the lines after it), while other YAML tools read it otherwise. Remove it.";
