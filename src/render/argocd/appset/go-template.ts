/**
 * Go's text/template as ApplicationSet templates use it (`goTemplate: true`): `{{ .a.b }}`
 * fields, pipelines, literals, parentheses, variables (`$x := …`, `$x = …`, `$`, `$x.a`),
 * `if`/`else if`/`else`, `range` (lists, maps in key order, integers; `$i, $v :=`; `else`;
 * `break`, `continue`), `with`/`else with`, `{{-`/`-}}` trimming and comments, and the
 * functions of go-functions.ts. `define`/`template`/`block` and the functions that are not
 * pure are reported as not evaluated, never guessed. Execution is budgeted: at most
 * MAX_STEPS actions and MAX_OUTPUT characters per template. Nothing here can read a file,
 * the environment or the network.
 */
import { FUNCTIONS, MAX_TEXT, NO_VALUE, NOT_EVALUATED, print, REMOVED, TemplateError, truthy } from "./go-functions.js";

export { sanitizeName, TemplateError } from "./go-functions.js";

export interface GoTemplateOptions {
  /** `missingkey=error` in goTemplateOptions: a missing key fails instead of printing `<no value>`. */
  missingKeyError?: boolean;
}

/** Actions one template may execute (range bodies count every time). */
const MAX_STEPS = 100_000;
/** Characters one template may write. */
const MAX_OUTPUT = MAX_TEXT;

type Decl = { names: string[]; assign: boolean };
type Branch = { pipe: Pipe; decl?: Decl; body: Node[] };
type Node =
  | { type: "text"; text: string }
  | { type: "action"; pipe: Pipe; decl?: Decl }
  | { type: "if" | "with"; branches: Branch[]; otherwise: Node[] }
  | { type: "range"; pipe: Pipe; decl?: Decl; body: Node[]; otherwise: Node[] }
  | { type: "break" | "continue" };

type Arg =
  | { type: "field"; path: string[] }
  | { type: "var"; name: string; path: string[] }
  | { type: "literal"; value: unknown }
  | { type: "func"; name: string }
  | { type: "pipe"; pipe: Pipe; path: string[] };
type Command = Arg[];
type Pipe = Command[];

/** Renders `text` with `params`; throws TemplateError. */
export function renderGoTemplate(text: string, params: Record<string, unknown>, options: GoTemplateOptions = {}): string {
  if (!text.includes("{{")) return text;
  const nodes = parse(text);
  const state: State = { root: params, vars: [["$", params]], options, steps: 0, out: [], length: 0 };
  run(nodes, params, state);
  return state.out.join("");
}

// ---- lexing and parsing ----

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

function parse(text: string): Node[] {
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

// ---- execution ----

interface State {
  root: Record<string, unknown>;
  vars: [string, unknown][];
  options: GoTemplateOptions;
  steps: number;
  out: string[];
  length: number;
}

const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");
type Signal = typeof BREAK | typeof CONTINUE | undefined;

function step(state: State): void {
  if (++state.steps > MAX_STEPS) throw new TemplateError(`the template runs more than ${MAX_STEPS} actions`);
}

function write(state: State, text: string): void {
  state.length += text.length;
  if (state.length > MAX_OUTPUT) throw new TemplateError(`the template writes more than ${MAX_OUTPUT} characters`);
  state.out.push(text);
}

/** Runs `nodes` with `dot`; variables declared inside end with the block, as in Go. */
function run(nodes: Node[], dot: unknown, state: State): Signal {
  const scope = state.vars.length;
  try {
    for (const node of nodes) {
      step(state);
      if (node.type === "text") write(state, node.text);
      else if (node.type === "action") {
        const value = runPipe(node.pipe, dot, state);
        if (node.decl) declare(node.decl, [value], state);
        else write(state, print(value));
      } else if (node.type === "break") return BREAK;
      else if (node.type === "continue") return CONTINUE;
      else if (node.type === "range") {
        const signal = runRange(node, dot, state);
        if (signal) return signal;
      } else if (node.type === "if" || node.type === "with") {
        const signal = runConditional(node, dot, state);
        if (signal) return signal;
      }
    }
    return undefined;
  } finally {
    state.vars.length = scope;
  }
}

function runConditional(node: Extract<Node, { type: "if" | "with" }>, dot: unknown, state: State): Signal {
  const scope = state.vars.length;
  try {
    for (const branch of node.branches) {
      const value = runPipe(branch.pipe, dot, state);
      if (branch.decl) declare(branch.decl, [value], state);
      if (truthy(value)) return run(branch.body, node.type === "with" ? value : dot, state);
    }
    return run(node.otherwise, dot, state);
  } finally {
    state.vars.length = scope;
  }
}

function runRange(node: Extract<Node, { type: "range" }>, dot: unknown, state: State): Signal {
  const value = runPipe(node.pipe, dot, state);
  let items: [unknown, unknown][];
  if (Array.isArray(value)) items = value.map((v, i) => [i, v]);
  else if (value !== null && typeof value === "object") items = Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]);
  else if (typeof value === "number" && Number.isInteger(value)) items = Array.from({ length: Math.max(0, Math.min(value, MAX_STEPS + 1)) }, (_, i) => [i, i]);
  else if (value === NO_VALUE || value === null || value === undefined) items = [];
  else throw new TemplateError(`range can't iterate over ${print(value)}`);
  if (items.length === 0) return run(node.otherwise, dot, state);
  const scope = state.vars.length;
  try {
    for (const [key, item] of items) {
      step(state);
      if (node.decl) {
        if (node.decl.assign) throw new TemplateError("range can only declare variables (:=)");
        state.vars.length = scope;
        if (node.decl.names.length === 2) state.vars.push([node.decl.names[0]!, key], [node.decl.names[1]!, item]);
        else state.vars.push([node.decl.names[0]!, item]);
      }
      if (run(node.body, item, state) === BREAK) break;
    }
  } finally {
    state.vars.length = scope;
  }
  return undefined;
}

function declare(decl: Decl, values: unknown[], state: State): void {
  if (decl.names.length !== 1) throw new TemplateError("too many declarations in a template action");
  const name = decl.names[0]!;
  const value = values[0] === NO_VALUE ? NO_VALUE : values[0];
  if (!decl.assign) {
    state.vars.push([name, value]);
    return;
  }
  for (let i = state.vars.length - 1; i >= 0; i--) {
    if (state.vars[i]![0] === name) {
      state.vars[i]![1] = value;
      return;
    }
  }
  throw new TemplateError(`undefined variable: ${name}`);
}

function variable(name: string, state: State): unknown {
  for (let i = state.vars.length - 1; i >= 0; i--) if (state.vars[i]![0] === name) return state.vars[i]![1];
  throw new TemplateError(`undefined variable: ${name}`);
}

function runPipe(pipe: Pipe, dot: unknown, state: State): unknown {
  let value: unknown = NO_VALUE;
  for (const [i, command] of pipe.entries()) value = runCommand(command, i === 0 ? [] : [value], dot, state);
  return value;
}

function runCommand(command: Command, piped: unknown[], dot: unknown, state: State): unknown {
  step(state);
  const [head, ...rest] = command;
  const evalArg = (a: Arg): unknown => {
    if (a.type === "literal") return a.value;
    if (a.type === "field") return field(dot, a.path, state);
    if (a.type === "var") return field(variable(a.name, state), a.path, state);
    if (a.type === "pipe") return field(runPipe(a.pipe, dot, state), a.path, state);
    return call(a.name, [], state);
  };
  if (head!.type !== "func") {
    if (rest.length > 0 || piped.length > 0) throw new TemplateError(`can't give arguments to a non-function: ${print(evalArg(head!))}`);
    return evalArg(head!);
  }
  // Go evaluates `and` and `or` arguments only as far as needed.
  if (head!.name === "and" || head!.name === "or") {
    const args = [...rest.map((a) => () => evalArg(a)), ...piped.map((p) => () => p)];
    if (args.length === 0) throw new TemplateError(`wrong number of args for ${head!.name}`);
    let last: unknown;
    for (const next of args) {
      last = next();
      if (truthy(last) === (head!.name === "or")) return last;
    }
    return last;
  }
  return call(head!.name, [...rest.map(evalArg), ...piped], state);
}

function field(node: unknown, path: string[], state: State): unknown {
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !Object.hasOwn(node, key)) {
      if (node !== null && typeof node === "object" && !Array.isArray(node) && state.options.missingKeyError) throw new TemplateError(`map has no entry for key ${JSON.stringify(key)} (missingkey=error)`);
      if (node === NO_VALUE || node === null || node === undefined || (typeof node === "object" && !Array.isArray(node))) {
        node = NO_VALUE;
        continue;
      }
      throw new TemplateError(`can't evaluate field ${key} in ${print(node)}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function call(name: string, args: unknown[], state: State): unknown {
  const result = FUNCTIONS[name]!(...args);
  if (typeof result === "string" && result.length > MAX_OUTPUT - state.length) throw new TemplateError(`the template writes more than ${MAX_OUTPUT} characters`);
  return result;
}
