/**
 * Go text/template's syntax as ApplicationSet templates use it (go-template.ts runs it): text
 * and actions with `{{-`/`-}}` trimming and comments, `if`/`with`/`range` blocks with `else`,
 * `break`/`continue`, variable declarations, pipelines, parentheses, literals and function
 * names. A keyword or function Shipshape does not evaluate is a TemplateError saying so.
 */
import { FUNCTIONS, NOT_EVALUATED, REMOVED, TemplateError } from "./go-functions.js";

export type Decl = { names: string[]; assign: boolean };
export type Branch = { pipe: Pipe; decl?: Decl; body: Node[] };
export type Node =
  | { type: "text"; text: string }
  | { type: "action"; pipe: Pipe; decl?: Decl }
  | { type: "if" | "with"; branches: Branch[]; otherwise: Node[] }
  | { type: "range"; pipe: Pipe; decl?: Decl; body: Node[]; otherwise: Node[] }
  | { type: "break" | "continue" };

export type Arg =
  | { type: "field"; path: string[] }
  | { type: "var"; name: string; path: string[] }
  | { type: "literal"; value: unknown }
  | { type: "func"; name: string }
  | { type: "pipe"; pipe: Pipe; path: string[] };
export type Command = Arg[];
export type Pipe = Command[];

interface Piece {
  text?: string;
  action?: string;
}

function split(text: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open === -1) {
      out.push({ text: text.slice(i) });
      break;
    }
    let before = text.slice(i, open);
    let start = open + 2;
    if (/^-[ \t\r\n]/.test(text.slice(start, start + 2))) {
      before = before.replace(/[ \t\r\n]+$/, "");
      start += 1;
    }
    const close = findClose(text, start);
    if (close === -1) throw new TemplateError("unclosed action: `{{` without `}}`");
    let inner = text.slice(start, close);
    let next = close + 2;
    if (/[ \t\r\n]-$/.test(inner)) {
      inner = inner.slice(0, -1);
      while (next < text.length && /[ \t\r\n]/.test(text[next]!)) next++;
    }
    if (before) out.push({ text: before });
    const trimmed = inner.trim();
    if (!trimmed.startsWith("/*")) out.push({ action: trimmed });
    else if (!trimmed.endsWith("*/")) throw new TemplateError("unclosed comment");
    i = next;
  }
  return out;
}

/** The `}}` that closes an action, skipping quoted strings and comments. */
function findClose(text: string, from: number): number {
  let i = from;
  if (text.slice(from).trimStart().startsWith("/*")) {
    const end = text.indexOf("*/", from);
    return end === -1 ? -1 : text.indexOf("}}", end);
  }
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "`" || c === "'") {
      const end = c === "`" ? text.indexOf("`", i + 1) : closingQuote(text, i, c);
      if (end === -1) return -1;
      i = end + 1;
      continue;
    }
    if (text.startsWith("}}", i)) return i;
    i++;
  }
  return -1;
}

function closingQuote(text: string, from: number, quote = '"'): number {
  for (let i = from + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

const KEYWORD = /^(if|else|end|range|with|break|continue|define|template|block)\b/;
const DECL = /^(\$\w*)\s*(?:,\s*(\$\w*)\s*)?(:=|=)(?!=)/;

export function parse(text: string): Node[] {
  const pieces = split(text);
  let pos = 0;
  let loops = 0;
  const block = (stops: string[]): { nodes: Node[]; stop?: string } => {
    const nodes: Node[] = [];
    while (pos < pieces.length) {
      const p = pieces[pos++]!;
      if (p.text !== undefined) {
        nodes.push({ type: "text", text: p.text });
        continue;
      }
      const action = p.action!;
      const word = KEYWORD.exec(action)?.[1];
      if (word === "end" || word === "else") {
        if (!stops.includes(word)) throw new TemplateError(`unexpected {{${action}}}`);
        return { nodes, stop: action };
      }
      if (word === "if" || word === "with") nodes.push(conditional(word, action.slice(word.length)));
      else if (word === "range") nodes.push(range(action.slice(5)));
      else if (word === "break" || word === "continue") {
        if (loops === 0) throw new TemplateError(`{{${word}}} outside {{range}}`);
        nodes.push({ type: word });
      } else if (word) throw new TemplateError(`{{${word}}} is not supported in ApplicationSet templates by Shipshape`, true);
      else nodes.push({ type: "action", ...pipeline(action) });
    }
    if (stops.length > 0) throw new TemplateError(`{{${stops.join("}} or {{")}}} missing: unexpected end of template`);
    return { nodes };
  };
  const conditional = (kind: "if" | "with", first: string): Node => {
    const branches: Branch[] = [];
    let head = first;
    for (;;) {
      const body = block(["end", "else"]);
      branches.push({ ...pipeline(head), body: body.nodes });
      if (body.stop === "end") return { type: kind, branches, otherwise: [] };
      const rest = body.stop!.slice(4).trim();
      if (rest.startsWith(`${kind} `)) {
        head = rest.slice(kind.length);
        continue;
      }
      if (rest !== "") throw new TemplateError(`unexpected {{${body.stop}}}`);
      const last = block(["end"]);
      return { type: kind, branches, otherwise: last.nodes };
    }
  };
  const range = (head: string): Node => {
    loops++;
    const body = block(["end", "else"]);
    loops--;
    let otherwise: Node[] = [];
    if (body.stop !== "end") {
      if (body.stop!.slice(4).trim() !== "") throw new TemplateError(`unexpected {{${body.stop}}} in {{range}}`);
      otherwise = block(["end"]).nodes;
    }
    return { type: "range", ...pipeline(head), body: body.nodes, otherwise };
  };
  return block([]).nodes;
}

function pipeline(text: string): { pipe: Pipe; decl?: Decl } {
  const trimmed = text.trim();
  const m = DECL.exec(trimmed);
  if (!m) return { pipe: parsePipe(trimmed) };
  const names = [m[1]!, ...(m[2] ? [m[2]] : [])];
  return { pipe: parsePipe(trimmed.slice(m[0].length)), decl: { names, assign: m[3] === "=" } };
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = closingQuote(text, i, c);
      if (end === -1) throw new TemplateError("unterminated string");
      tokens.push(text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end === -1) throw new TemplateError("unterminated raw string");
      tokens.push(text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if (c === "(" || c === ")" || c === "|") {
      tokens.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()|]/.test(text[j]!)) j++;
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

function parsePipe(text: string): Pipe {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new TemplateError("missing value in a template action");
  let pos = 0;
  const pipe = (): Pipe => {
    const commands: Pipe = [[]];
    while (pos < tokens.length) {
      const t = tokens[pos]!;
      if (t === ")") break;
      pos++;
      if (t === "|") {
        commands.push([]);
        continue;
      }
      if (t === "(") {
        const inner = pipe();
        if (tokens[pos] !== ")") throw new TemplateError("unclosed parenthesis");
        pos++;
        // `(index . "a").b`: fields of the parenthesised value.
        const next = tokens[pos];
        const path = next !== undefined && /^\.[A-Za-z_]/.test(next) ? (pos++, next.slice(1).split(".")) : [];
        commands[commands.length - 1]!.push({ type: "pipe", pipe: inner, path });
        continue;
      }
      commands[commands.length - 1]!.push(arg(t));
    }
    if (commands.some((c) => c.length === 0)) throw new TemplateError(`empty command in pipeline: {{${text}}}`);
    return commands;
  };
  const out = pipe();
  if (pos !== tokens.length) throw new TemplateError(`unexpected ")" in {{${text}}}`);
  return out;
}

function arg(token: string): Arg {
  if (token === ".") return { type: "field", path: [] };
  if (token.startsWith(".")) return { type: "field", path: token.slice(1).split(".") };
  if (token.startsWith("$")) {
    const [name, ...path] = token.split(".");
    if (!/^\$\w*$/.test(name!)) throw new TemplateError(`cannot read ${JSON.stringify(token)} in a template action`);
    return { type: "var", name: name!, path };
  }
  if (token.startsWith('"')) return { type: "literal", value: JSON.parse(token) as string };
  if (token.startsWith("`")) return { type: "literal", value: token.slice(1, -1) };
  if (token.startsWith("'")) return { type: "literal", value: charLiteral(token) };
  if (token === "true" || token === "false") return { type: "literal", value: token === "true" };
  if (token === "nil") return { type: "literal", value: null };
  if (/^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0[xX][\da-fA-F_]+|0[oO]?[0-7_]+)$/.test(token)) return { type: "literal", value: Number(token.replace(/_/g, "").replace(/^([-+]?)0([0-7]+)$/, "$10o$2")) };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(token)) throw new TemplateError(`cannot read ${JSON.stringify(token)} in a template action`);
  if (REMOVED.has(token)) throw new TemplateError(`function ${JSON.stringify(token)} not defined (Argo CD removes it from sprig)`);
  if (NOT_EVALUATED.has(token)) throw new TemplateError(`template function ${JSON.stringify(token)} depends on the time, randomness or the system: Shipshape does not evaluate it`, true);
  if (!Object.hasOwn(FUNCTIONS, token)) throw new TemplateError(`template function ${JSON.stringify(token)} is not supported by Shipshape`, true);
  return { type: "func", name: token };
}

/** A Go rune literal ('a', '\n') is its code point. */
function charLiteral(token: string): number {
  const inner = token.slice(1, -1);
  const value = inner.startsWith("\\") ? (JSON.parse(`"${inner}"`) as string) : inner;
  if ([...value].length !== 1) throw new TemplateError(`malformed character constant ${token}`);
  return value.codePointAt(0)!;
}

