/**
 * Tokens of a JMESPath expression. Kyverno embeds JMESPath in `{{ }}`; we implement the
 * language ourselves so custom functions, strict field lookups and compile caching are ours.
 */
import { JmesPathError } from "./errors.js";

export type TokenType =
  | "UnquotedIdentifier"
  | "QuotedIdentifier"
  | "Literal"
  | "Number"
  | "Dot"
  | "Star"
  | "Flatten"
  | "Filter"
  | "Lbracket"
  | "Rbracket"
  | "Lbrace"
  | "Rbrace"
  | "Lparen"
  | "Rparen"
  | "Comma"
  | "Colon"
  | "Pipe"
  | "Or"
  | "And"
  | "Not"
  | "EQ"
  | "NE"
  | "LT"
  | "LTE"
  | "GT"
  | "GTE"
  | "Current"
  | "Expref"
  | "EOF";

export interface Token {
  type: TokenType;
  value: unknown;
  start: number;
}

const SIMPLE: Record<string, TokenType> = {
  ".": "Dot",
  "*": "Star",
  ",": "Comma",
  ":": "Colon",
  "{": "Lbrace",
  "}": "Rbrace",
  "]": "Rbracket",
  "(": "Lparen",
  ")": "Rparen",
  "@": "Current",
};

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i]!;
    const start = i;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < expr.length && IDENT_PART.test(expr[j]!)) j++;
      tokens.push({ type: "UnquotedIdentifier", value: expr.slice(i, j), start });
      i = j;
      continue;
    }
    const simple = SIMPLE[ch];
    if (simple) {
      tokens.push({ type: simple, value: ch, start });
      i++;
      continue;
    }
    if (DIGIT.test(ch) || (ch === "-" && DIGIT.test(expr[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < expr.length && DIGIT.test(expr[j]!)) j++;
      tokens.push({ type: "Number", value: Number.parseInt(expr.slice(i, j), 10), start });
      i = j;
      continue;
    }
    switch (ch) {
      case "[": {
        const next = expr[i + 1];
        if (next === "]") {
          tokens.push({ type: "Flatten", value: "[]", start });
          i += 2;
        } else if (next === "?") {
          tokens.push({ type: "Filter", value: "[?", start });
          i += 2;
        } else {
          tokens.push({ type: "Lbracket", value: "[", start });
          i++;
        }
        continue;
      }
      case "'": {
        const { text, end } = readDelimited(expr, i, "'");
        tokens.push({ type: "Literal", value: text.replace(/\\'/g, "'"), start });
        i = end;
        continue;
      }
      case '"': {
        const { text, end } = readDelimited(expr, i, '"');
        let name: unknown;
        try {
          name = JSON.parse(`"${text}"`);
        } catch {
          throw new JmesPathError(`invalid quoted identifier at ${start}`);
        }
        tokens.push({ type: "QuotedIdentifier", value: name, start });
        i = end;
        continue;
      }
      case "`": {
        const { text, end } = readDelimited(expr, i, "`");
        tokens.push({ type: "Literal", value: parseJsonLiteral(text.replace(/\\`/g, "`"), start), start });
        i = end;
        continue;
      }
      case "|":
        tokens.push(expr[i + 1] === "|" ? { type: "Or", value: "||", start } : { type: "Pipe", value: "|", start });
        i += expr[i + 1] === "|" ? 2 : 1;
        continue;
      case "&":
        tokens.push(expr[i + 1] === "&" ? { type: "And", value: "&&", start } : { type: "Expref", value: "&", start });
        i += expr[i + 1] === "&" ? 2 : 1;
        continue;
      case "!":
        tokens.push(expr[i + 1] === "=" ? { type: "NE", value: "!=", start } : { type: "Not", value: "!", start });
        i += expr[i + 1] === "=" ? 2 : 1;
        continue;
      case "<":
        tokens.push(expr[i + 1] === "=" ? { type: "LTE", value: "<=", start } : { type: "LT", value: "<", start });
        i += expr[i + 1] === "=" ? 2 : 1;
        continue;
      case ">":
        tokens.push(expr[i + 1] === "=" ? { type: "GTE", value: ">=", start } : { type: "GT", value: ">", start });
        i += expr[i + 1] === "=" ? 2 : 1;
        continue;
      case "=":
        if (expr[i + 1] === "=") {
          tokens.push({ type: "EQ", value: "==", start });
          i += 2;
          continue;
        }
        throw new JmesPathError(`unexpected "=" at ${start}, did you mean "=="?`);
      default:
        throw new JmesPathError(`unknown character ${JSON.stringify(ch)} at ${start}`);
    }
  }
  tokens.push({ type: "EOF", value: null, start: expr.length });
  return tokens;
}

/** Reads from an opening delimiter to its unescaped closing twin; returns the raw inner text. */
function readDelimited(expr: string, open: number, delim: string): { text: string; end: number } {
  let j = open + 1;
  while (j < expr.length) {
    const c = expr[j];
    if (c === "\\" && j + 1 < expr.length) {
      j += 2;
      continue;
    }
    if (c === delim) return { text: expr.slice(open + 1, j), end: j + 1 };
    j++;
  }
  throw new JmesPathError(`unterminated ${delim} literal starting at ${open}`);
}

/** JSON literal; like the reference implementations, an invalid one is read as a string. */
function parseJsonLiteral(text: string, start: number): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    try {
      return JSON.parse(`"${trimmed}"`);
    } catch {
      throw new JmesPathError(`invalid JSON literal at ${start}`);
    }
  }
}
