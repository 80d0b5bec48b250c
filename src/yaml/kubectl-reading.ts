/**
 * The documents of a manifest stream as kubectl reads them: cut where kubectl cuts (see
 * kubectl-split.ts), each piece parsed on its own (the fast path when it can, the careful parser
 * otherwise), JSON files read as JSON. Where kubectl and YAML tools read the same text
 * differently, a problem says so:
 * - `invalid`: kubectl cannot read it (or stops reading the file there);
 * - `ambiguous`: kubectl reads it one way and other YAML tools another (a second document
 *   between two `---` lines, which kubectl never sees; a byte-order mark inside a document; line
 *   breaks that go-yaml (YAML 1.1) knows and YAML 1.2 does not: a lone `\r`, U+0085, U+2028,
 *   U+2029);
 * - `merge-conflict`: a `<<` whose value depends on the tool (see merge-keys.ts).
 */
import type { LineCounter } from "yaml";
import { fastDocument } from "./fast-stream.js";
import { readJsonStream } from "./json-stream.js";
import { splitLikeKubectl, type Piece } from "./kubectl-split.js";
import { parseYamlStream } from "./parse.js";

export interface ReadDocument {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** Offsets in `text` of the start of that line and of the document's end. */
  start: number;
  end: number;
}

export interface ReadProblem {
  kind: "invalid" | "ambiguous" | "merge-conflict";
  message: string;
  line?: number;
}

export interface KubectlReading {
  /** The stream without the byte-order marks kubectl drops (lines unchanged). */
  text: string;
  lineCounter: LineCounter;
  docs: ReadDocument[];
  problems: ReadProblem[];
}

/** Line breaks to go-yaml (YAML 1.1) that YAML 1.2 parsers read as ordinary characters. */
const YAML11_BREAKS = /\r(?!\n)|[\u0085\u2028\u2029]/;

export function readLikeKubectl(input: string): KubectlReading {
  const split = splitLikeKubectl(input);
  const { text, lineCounter } = split;
  const reading: KubectlReading = { text, lineCounter, docs: [], problems: [] };
  for (const p of split.problems) reading.problems.push({ kind: p.kind === "separator" ? "invalid" : "ambiguous", message: p.message, line: p.line });
  if (split.json) {
    readJson(reading);
  } else {
    for (const piece of split.pieces) readPiece(reading, piece);
  }
  reading.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return reading;
}

function readJson(reading: KubectlReading): void {
  const { text, lineCounter } = reading;
  const stream = readJsonStream(text);
  for (const v of stream.values) {
    const line = lineCounter.linePos(v.start).line;
    reading.docs.push({ value: v.value, line, start: lineCounter.lineStarts[line - 1] ?? v.start, end: v.end });
  }
  if (stream.error) {
    reading.problems.push({
      kind: "invalid",
      message: stream.error.tooDeep
        ? `JSON value ${stream.error.message}; the rest of the file is not read`
        : `invalid JSON (kubectl reads a file that starts with { as a stream of JSON values, and stops at this one): ${stream.error.message}`,
      line: lineCounter.linePos(stream.error.offset).line,
    });
  }
}

function readPiece(reading: KubectlReading, piece: Piece): void {
  const source = reading.text.slice(piece.start, piece.end);
  const breakAt = YAML11_BREAKS.exec(source);
  if (breakAt) {
    reading.problems.push({
      kind: "ambiguous",
      message:
        `a ${breakName(breakAt[0])} here is a line break to kubectl (YAML 1.1) but not to YAML 1.2 tools, so they read the lines ` +
        "around it differently. Use \\n line ends, and escapes in quoted strings.",
      line: reading.lineCounter.linePos(piece.start + breakAt.index).line,
    });
  }
  if (reading.text.startsWith("%", piece.contentStart)) {
    reading.problems.push({
      kind: "invalid",
      message:
        "kubectl cuts the file at the --- line after this directive, so go-yaml reads the directive without its document and " +
        "refuses it. Remove the directive (kubectl reads YAML 1.1 without it).",
      line: piece.contentLine,
    });
  }
  const fast = breakAt ? undefined : fastDocument(source);
  if (fast) {
    if (fast.value !== null) reading.docs.push({ value: fast.value, line: piece.contentLine, start: piece.contentStart, end: piece.end });
    return;
  }
  readCarefully(reading, piece, source);
}

function readCarefully(reading: KubectlReading, piece: Piece, source: string): void {
  const parsed = parseYamlStream(source);
  const lineOf = (local: number | undefined) => (local === undefined ? undefined : reading.lineCounter.linePos(piece.start + local).line);
  const fileLine = (localLine: number | undefined) => (localLine === undefined ? undefined : localLine + reading.lineCounter.linePos(piece.start).line - 1);
  for (const e of parsed.errors) reading.problems.push({ kind: "invalid", message: `invalid YAML: ${e.message}`, line: fileLine(e.line) });
  for (const c of parsed.mergeConflicts) reading.problems.push({ kind: "merge-conflict", message: `${c.message}.`, line: fileLine(c.line) });
  const [first, ...ignored] = parsed.docs;
  if (first) {
    const range = first.doc.contents?.range;
    const line = lineOf(range?.[0]) ?? piece.contentLine;
    reading.docs.push({ value: first.value, line, start: reading.lineCounter.lineStarts[line - 1] ?? piece.start, end: piece.start + (range?.[2] ?? source.length) });
  }
  if (ignored.length > 0) {
    reading.problems.push({
      kind: "ambiguous",
      message:
        "a second YAML document starts here without a --- line: kubectl reads only the first document between two --- lines, " +
        "while other YAML tools read both. Start each document with a line holding only ---.",
      line: lineOf(ignored[0]!.doc.contents?.range?.[0]),
    });
  }
}

function breakName(c: string): string {
  if (c === "\r") return "carriage return (\\r) not followed by \\n";
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}
