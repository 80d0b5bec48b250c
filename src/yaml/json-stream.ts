/**
 * A file kubectl reads as JSON (it starts with `{`): a stream of JSON values, one after another
 * with only JSON whitespace between them, as Go's `json.Decoder` reads it. kubectl skips `null`
 * values and stops at the first value that is not JSON; so does this reader.
 */
import { jsonTooDeepAt, tooDeepMessage } from "./depth.js";

export interface JsonValue {
  value: unknown;
  /** Offsets of the value in the text. */
  start: number;
  end: number;
}

export interface JsonStream {
  values: JsonValue[];
  /** Where reading stopped, and why; `tooDeep` when the value nests beyond MAX_NESTING_DEPTH. */
  error?: { offset: number; message: string; tooDeep?: boolean };
}

const JSON_SPACE = /[ \t\n\r]/;
const SCALAR_END = /[\s{}[\],:"]/;

export function readJsonStream(text: string): JsonStream {
  const values: JsonValue[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && JSON_SPACE.test(text[pos]!)) pos += 1;
    if (pos >= text.length) return { values };
    const end = valueEnd(text, pos);
    const deep = jsonTooDeepAt(text, pos, end);
    if (deep !== undefined) return { values, error: { offset: deep, message: tooDeepMessage(), tooDeep: true } };
    let value: unknown;
    try {
      value = JSON.parse(text.slice(pos, end));
    } catch (err) {
      return { values, error: parseError(err as Error, pos) };
    }
    if (value !== null) values.push({ value, start: pos, end });
    pos = end;
  }
}

/**
 * The parser's message without any text of the file (some engines quote the input), and where in
 * the file it points.
 */
function parseError(err: Error, start: number): { offset: number; message: string } {
  const at = /at position (\d+)/.exec(err.message);
  const message = err.message.replace(/\s*(?:in JSON )?at position \d+.*$/, "").replace(/,?\s*".*$/, "");
  return { offset: start + (at ? Number(at[1]) : 0), message };
}

/** The end of the JSON value starting at `start` (of what would be one, when it is malformed). */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first !== "{" && first !== "[" && first !== '"') {
    let i = start + 1;
    while (i < text.length && !SCALAR_END.test(text[i]!)) i += 1;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      if (depth === 0) return i + 1;
    } else if (c === "{" || c === "[") {
      depth += 1;
    } else if (c === "}" || c === "]") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** Offset of the quote that closes the string opened at `open` (the last offset when unclosed). */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
