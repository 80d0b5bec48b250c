/**
 * The part of Go's text/template that ApplicationSet templates use (`goTemplate: true`):
 * `{{ .a.b }}` fields, pipelines, string/number/bool literals, parentheses, `if`/`else if`/
 * `else`/`end`, `{{-`/`-}}` trimming, and a small set of functions (Go's builtins and the
 * sprig functions Argo CD exposes that are pure text work). Anything else — `range`, `with`,
 * variables, other functions — is an error naming what is not supported, never a guess.
 * Nothing here can read a file, the environment or the network.
 */

export class TemplateError extends Error {
  constructor(
    message: string,
    /** True when the template is valid Go but uses what Shipshape does not evaluate. */
    readonly unsupported = false,
  ) {
    super(message);
  }
}

export interface GoTemplateOptions {
  /** `missingkey=error` in goTemplateOptions: a missing key fails instead of printing `<no value>`. */
  missingKeyError?: boolean;
}

type Node =
  | { type: "text"; text: string }
  | { type: "action"; pipe: Pipe }
  | { type: "if"; branches: { cond: Pipe; body: Node[] }[]; otherwise: Node[] };

type Arg = { type: "field"; path: string[] } | { type: "literal"; value: unknown } | { type: "func"; name: string } | { type: "pipe"; pipe: Pipe };
type Command = Arg[];
type Pipe = Command[];

const NO_VALUE = Symbol("no value");

/** Renders `text` with `params`; throws TemplateError. */
export function renderGoTemplate(text: string, params: Record<string, unknown>, options: GoTemplateOptions = {}): string {
  if (!text.includes("{{")) return text;
  const nodes = parse(text);
  return execute(nodes, params, options);
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
    if (text.startsWith("- ", start) || text.startsWith("-\t", start) || text.startsWith("-\n", start)) {
      before = before.replace(/\s+$/, "");
      start += 1;
    }
    const close = findClose(text, start);
    if (close === -1) throw new TemplateError("unclosed action: `{{` without `}}`");
    let inner = text.slice(start, close);
    let next = close + 2;
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -1);
      while (next < text.length && /\s/.test(text[next]!)) next++;
    }
    if (before) out.push({ text: before });
    const trimmed = inner.trim();
    if (!trimmed.startsWith("/*")) out.push({ action: trimmed });
    i = next;
  }
  return out;
}

/** The `}}` that closes an action, skipping quoted strings. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "`") {
      const end = c === "`" ? text.indexOf("`", i + 1) : closingQuote(text, i);
      if (end === -1) return -1;
      i = end + 1;
      continue;
    }
    if (text.startsWith("}}", i)) return i;
    i++;
  }
  return -1;
}

function closingQuote(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function parse(text: string): Node[] {
  const pieces = split(text);
  let pos = 0;
  const block = (stopAt: Set<string>): { nodes: Node[]; stop?: string } => {
    const nodes: Node[] = [];
    while (pos < pieces.length) {
      const p = pieces[pos++]!;
      if (p.text !== undefined) {
        nodes.push({ type: "text", text: p.text });
        continue;
      }
      const action = p.action!;
      const word = /^[a-z]+\b/.exec(action)?.[0];
      if (word === "end" || word === "else") {
        if (!stopAt.has(word)) throw new TemplateError(`unexpected {{${action}}}`);
        pos--;
        return { nodes, stop: word };
      }
      if (word === "if") {
        nodes.push(parseIf(action.slice(2)));
        continue;
      }
      if (word === "range" || word === "with" || word === "define" || word === "template" || word === "block" || word === "break" || word === "continue") {
        throw new TemplateError(`{{${word}}} is not supported in ApplicationSet templates by Shipshape`, true);
      }
      if (action.startsWith("$")) throw new TemplateError("template variables ($x) are not supported by Shipshape", true);
      nodes.push({ type: "action", pipe: parsePipe(action) });
    }
    return { nodes };
  };
  const parseIf = (condText: string): Node => {
    const branches: { cond: Pipe; body: Node[] }[] = [];
    let cond = parsePipe(condText);
    let otherwise: Node[] = [];
    for (;;) {
      const body = block(new Set(["end", "else"]));
      if (!body.stop) throw new TemplateError("{{if}} without {{end}}");
      const closing = pieces[pos++]!.action!;
      branches.push({ cond, body: body.nodes });
      if (closing === "end") break;
      const rest = closing.slice(4).trim();
      if (rest.startsWith("if ")) {
        cond = parsePipe(rest.slice(3));
        continue;
      }
      if (rest !== "") throw new TemplateError(`unexpected {{${closing}}}`);
      const last = block(new Set(["end"]));
      if (last.stop !== "end") throw new TemplateError("{{else}} without {{end}}");
      pos++;
      otherwise = last.nodes;
      break;
    }
    return { type: "if", branches, otherwise };
  };
  const result = block(new Set());
  return result.nodes;
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
    if (c === '"') {
      const end = closingQuote(text, i);
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
        commands[commands.length - 1]!.push({ type: "pipe", pipe: inner });
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
  if (token.startsWith('"')) return { type: "literal", value: JSON.parse(token) as string };
  if (token.startsWith("`")) return { type: "literal", value: token.slice(1, -1) };
  if (token === "true" || token === "false") return { type: "literal", value: token === "true" };
  if (token === "nil") return { type: "literal", value: null };
  if (/^-?\d+(\.\d+)?$/.test(token)) return { type: "literal", value: Number(token) };
  if (token.startsWith("$")) throw new TemplateError("template variables ($x) are not supported by Shipshape", true);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(token)) throw new TemplateError(`cannot read ${JSON.stringify(token)} in a template action`);
  if (!Object.hasOwn(FUNCTIONS, token)) throw new TemplateError(`template function ${JSON.stringify(token)} is not supported by Shipshape`, true);
  return { type: "func", name: token };
}

// ---- execution ----

function execute(nodes: Node[], params: Record<string, unknown>, options: GoTemplateOptions): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text") out += node.text;
    else if (node.type === "action") out += print(runPipe(node.pipe, params, options));
    else {
      const branch = node.branches.find((b) => truthy(runPipe(b.cond, params, options)));
      out += execute(branch ? branch.body : node.otherwise, params, options);
    }
  }
  return out;
}

function runPipe(pipe: Pipe, params: Record<string, unknown>, options: GoTemplateOptions): unknown {
  let value: unknown = NO_VALUE;
  for (const [i, command] of pipe.entries()) {
    const extra = i === 0 ? [] : [value];
    value = runCommand(command, extra, params, options);
  }
  return value;
}

function runCommand(command: Command, piped: unknown[], params: Record<string, unknown>, options: GoTemplateOptions): unknown {
  const [head, ...rest] = command;
  const evalArg = (a: Arg): unknown => {
    if (a.type === "literal") return a.value;
    if (a.type === "field") return field(params, a.path, options);
    if (a.type === "pipe") return runPipe(a.pipe, params, options);
    return callFunction(a.name, []);
  };
  if (head!.type !== "func") {
    if (rest.length > 0 || piped.length > 0) throw new TemplateError("only a function can take arguments");
    return evalArg(head!);
  }
  return callFunction(head!.name, [...rest.map(evalArg), ...piped]);
}

function field(params: Record<string, unknown>, path: string[], options: GoTemplateOptions): unknown {
  let node: unknown = params;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !(key in (node as object))) {
      if (options.missingKeyError) throw new TemplateError(`map has no entry for key ${JSON.stringify(key)} (missingkey=error)`);
      return NO_VALUE;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function truthy(v: unknown): boolean {
  if (v === NO_VALUE || v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

/** As Go's fmt prints a value with %v. */
function print(v: unknown): string {
  if (v === NO_VALUE || v === undefined) return "<no value>";
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map(print).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${print(x)}`).join(" ")}]`;
  }
  return String(v);
}

const text = (v: unknown) => (typeof v === "string" ? v : print(v));

/** Argo CD's `normalize`: what a Kubernetes name may hold. */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, "-")
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, "");
}

function printf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([svdqtf%])/g, (_m, _flags, verb: string) => {
    if (verb === "%") return "%";
    const a = args[i++];
    if (verb === "q") return JSON.stringify(text(a));
    if (verb === "d") return typeof a === "number" ? String(Math.trunc(a)) : `%!d(${text(a)})`;
    return print(a);
  });
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  lower: (s) => text(s).toLowerCase(),
  upper: (s) => text(s).toUpperCase(),
  title: (s) => text(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trim: (s) => text(s).trim(),
  trimPrefix: (p, s) => (text(s).startsWith(text(p)) ? text(s).slice(text(p).length) : text(s)),
  trimSuffix: (p, s) => (text(p) !== "" && text(s).endsWith(text(p)) ? text(s).slice(0, -text(p).length) : text(s)),
  trimAll: (c, s) => {
    const chars = new Set(text(c));
    let v = text(s);
    while (v && chars.has(v[0]!)) v = v.slice(1);
    while (v && chars.has(v[v.length - 1]!)) v = v.slice(0, -1);
    return v;
  },
  replace: (o, n, s) => text(s).split(text(o)).join(text(n)),
  contains: (sub, s) => text(s).includes(text(sub)),
  hasPrefix: (p, s) => text(s).startsWith(text(p)),
  hasSuffix: (p, s) => text(s).endsWith(text(p)),
  quote: (...a) => a.map((x) => JSON.stringify(x === NO_VALUE || x === null ? "" : text(x))).join(" "),
  squote: (...a) => a.map((x) => `'${x === NO_VALUE || x === null ? "" : text(x)}'`).join(" "),
  default: (d, v) => (v === undefined || !truthy(v) ? d : v),
  empty: (v) => !truthy(v),
  toString: (v: unknown) => text(v),
  printf: (f, ...a) => printf(text(f), ...a),
  print: (...a) => a.map(print).join(""),
  join: (sep, list) => (Array.isArray(list) ? list.map(text).join(text(sep)) : text(list)),
  split: (sep, s) => Object.fromEntries(text(s).split(text(sep)).map((p, i) => [`_${i}`, p])),
  splitList: (sep, s) => text(s).split(text(sep)),
  index: (collection, ...keys) => {
    let node = collection;
    for (const k of keys) {
      if (Array.isArray(node) && typeof k === "number") {
        if (k < 0 || k >= node.length) throw new TemplateError(`index out of range: ${k}`);
        node = node[k];
      } else if (node !== null && typeof node === "object" && typeof k === "string") node = (node as Record<string, unknown>)[k];
      else throw new TemplateError(`cannot index ${print(node)} with ${print(k)}`);
    }
    return node === undefined ? NO_VALUE : node;
  },
  len: (v) => (typeof v === "string" || Array.isArray(v) ? v.length : v !== null && typeof v === "object" ? Object.keys(v).length : 0),
  eq: (a, ...b) => b.some((x) => x === a),
  ne: (a, b) => a !== b,
  not: (v) => !truthy(v),
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
  normalize: (s) => sanitizeName(text(s)),
  toJson: (v) => JSON.stringify(v === NO_VALUE ? null : v),
  b64enc: (s) => Buffer.from(text(s)).toString("base64"),
  b64dec: (s) => Buffer.from(text(s), "base64").toString("utf8"),
  kebabcase: (s) => text(s).replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/[\s_]+/g, "-").toLowerCase(),
  int: (v) => Math.trunc(Number(text(v))) || 0,
};

function callFunction(name: string, args: unknown[]): unknown {
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) throw new TemplateError(`template function ${JSON.stringify(name)} is not supported by Shipshape`, true);
  return fn(...args);
}
