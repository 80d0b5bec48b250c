/**
 * Compiles and evaluates JMESPath the way Kyverno's variables do. Compiled expressions are
 * cached by text: a policy's expressions are the same for every resource, so each is parsed
 * once per process.
 *
 * Strictness: in Kyverno, a plain field path (`request.object.metadata.labels.team`) that names
 * a missing key fails with `Unknown key "team" in path` instead of returning null; library
 * policies add `|| ''` defaults for that reason. We reproduce it for plain paths (fields joined
 * by dots); any other expression (functions, projections, `||`...) follows the JMESPath spec.
 */
import { NotFoundError } from "./errors.js";
import { arithmeticFunctions } from "./functions-arithmetic.js";
import { builtinFunctions } from "./functions-builtin.js";
import { kyvernoFunctions } from "./functions-kyverno.js";
import { evaluate, type FunctionTable, type JmesFunction } from "./interpreter.js";
import { parse, type Node } from "./parser.js";
import { getField, hasField, isObject } from "./values.js";

export { JmesPathError, NotFoundError } from "./errors.js";

export interface CompiledExpression {
  readonly source: string;
  readonly ast: Node;
  /** Field names of a plain path, or undefined when the expression is anything else. */
  readonly plainPath?: readonly string[];
}

const FUNCTIONS: FunctionTable = new Map<string, JmesFunction>(Object.entries({ ...builtinFunctions, ...kyvernoFunctions, ...arithmeticFunctions }));

const cache = new Map<string, CompiledExpression | Error>();
const MAX_CACHE = 20_000;

/** Parses once per distinct text; syntax errors are cached and rethrown too. */
export function compile(source: string): CompiledExpression {
  const key = source.trim();
  let hit = cache.get(key);
  if (!hit) {
    try {
      const ast = parse(key);
      const plainPath = fieldChain(ast);
      hit = plainPath ? { source: key, ast, plainPath } : { source: key, ast };
    } catch (err) {
      hit = err as Error;
    }
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(key, hit);
  }
  if (hit instanceof Error) throw hit;
  return hit;
}

/** Evaluates with Kyverno's strict plain-path lookup (throws NotFoundError). */
export function search(expression: string | CompiledExpression, data: unknown): unknown {
  const compiled = typeof expression === "string" ? compile(expression) : expression;
  if (compiled.plainPath) return walk(compiled.plainPath, data);
  return evaluate(compiled.ast, data, FUNCTIONS);
}

/** Evaluates with plain JMESPath semantics: missing keys are null. */
export function searchLenient(expression: string | CompiledExpression, data: unknown): unknown {
  const compiled = typeof expression === "string" ? compile(expression) : expression;
  return evaluate(compiled.ast, data, FUNCTIONS);
}

/** Returned by searchOrMissing where `search` would throw NotFoundError (cheaper than an Error). */
export const MISSING: unique symbol = Symbol("missing");

/** Like `search`, but a missing key of a plain path gives MISSING instead of throwing. */
export function searchOrMissing(expression: string | CompiledExpression, data: unknown): unknown {
  const compiled = typeof expression === "string" ? compile(expression) : expression;
  if (compiled.plainPath) {
    const r = walkPath(compiled.plainPath, data);
    return r instanceof MissingKey ? MISSING : r;
  }
  return evaluate(compiled.ast, data, FUNCTIONS);
}

function walk(path: readonly string[], data: unknown): unknown {
  const r = walkPath(path, data);
  if (r instanceof MissingKey) throw new NotFoundError(r.key);
  return r;
}

class MissingKey {
  constructor(readonly key: string) {}
}

function walkPath(path: readonly string[], data: unknown): unknown {
  let current = data;
  for (const key of path) {
    if (!isObject(current)) return null;
    if (!hasField(current, key)) return new MissingKey(key);
    current = getField(current, key);
  }
  return current ?? null;
}

function fieldChain(node: Node): string[] | undefined {
  if (node.type === "Field") return [node.name];
  if (node.type !== "Subexpression") return undefined;
  const left = fieldChain(node.left);
  const right = fieldChain(node.right);
  return left && right ? [...left, ...right] : undefined;
}
