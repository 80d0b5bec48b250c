/**
 * Go's text/template as ApplicationSet templates use it (`goTemplate: true`): `{{ .a.b }}`
 * fields, pipelines, literals, parentheses, variables (`$x := …`, `$x = …`, `$`, `$x.a`),
 * `if`/`else if`/`else`, `range` (lists, maps in key order, integers; `$i, $v :=`; `else`;
 * `break`, `continue`), `with`/`else with`, `{{-`/`-}}` trimming and comments, and the
 * functions of go-functions.ts. `define`/`template`/`block` and the functions that are not
 * pure are reported as not evaluated, never guessed. Execution is budgeted: at most
 * MAX_STEPS actions and MAX_OUTPUT characters per template (beyond them the ApplicationSet is
 * reported as not evaluated: Argo CD has no such limit). Nothing here can read a file,
 * the environment or the network.
 */
import { FUNCTIONS, MAX_TEXT, NO_VALUE, print, TemplateError, truthy } from "./go-functions.js";
import { parse, type Arg, type Command, type Decl, type Node, type Pipe } from "./go-parse.js";

export { sanitizeName, TemplateError } from "./go-functions.js";

export interface GoTemplateOptions {
  /** `missingkey=error` in goTemplateOptions: a missing key fails instead of printing `<no value>`. */
  missingKeyError?: boolean;
}

/** Actions one template may execute (range bodies count every time). */
const MAX_STEPS = 100_000;
/** Characters one template may write. */
const MAX_OUTPUT = MAX_TEXT;

/** Renders `text` with `params`; throws TemplateError. */
export function renderGoTemplate(text: string, params: Record<string, unknown>, options: GoTemplateOptions = {}): string {
  if (!text.includes("{{")) return text;
  const nodes = parse(text);
  const state: State = { root: params, vars: [["$", params]], options, steps: 0, out: [], length: 0 };
  run(nodes, params, state);
  return state.out.join("");
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
  if (++state.steps > MAX_STEPS) throw new TemplateError(`the template runs more than ${MAX_STEPS} actions`, true);
}

function write(state: State, text: string): void {
  state.length += text.length;
  if (state.length > MAX_OUTPUT) throw new TemplateError(`the template writes more than ${MAX_OUTPUT} characters`, true);
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
  if (typeof result === "string" && result.length > MAX_OUTPUT - state.length) throw new TemplateError(`the template writes more than ${MAX_OUTPUT} characters`, true);
  return result;
}
