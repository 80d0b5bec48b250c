/**
 * `validate.foreach` (Kyverno's validateForEach/validateElements): each entry's `list` is a
 * JMESPath expression; every element gets `element`, `elementIndex` (and `element<N>` /
 * `elementIndex<N>` for nesting level N), its own context and preconditions. The first failing
 * element fails the rule; elements skipped by preconditions do not count; if no element of any
 * list applied, the rule is skipped.
 */
import type { Json } from "../model.js";
import { compile, MISSING, searchOrMissing } from "../jmespath/search.js";
import { withValues } from "./data.js";
import { substituteString } from "./substitute.js";
import { runValidator, type Outcome, type ValidateEnv, type ValidateSpec } from "./validate.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function listOf(expression: string, data: Json): unknown[] | undefined {
  try {
    const text = expression.includes("{{") ? String(substituteString(expression, data)) : expression;
    const value = searchOrMissing(text, data);
    if (value === MISSING) return undefined;
    return Array.isArray(value) ? value : [value];
  } catch {
    return undefined;
  }
}

/**
 * `request.object.spec.containers` → `spec.containers` (and `element.ports` → the element's
 * path + `.ports`), so failures can name `spec.containers[2]`.
 */
function basePath(expression: string, elementPath: string | undefined): string | undefined {
  try {
    const path = compile(expression).plainPath;
    if (!path) return undefined;
    if (path[0] === "request" && path[1] === "object") return path.slice(2).join(".");
    if (/^element\d*$/.test(path[0]!) && elementPath !== undefined) return [elementPath, ...path.slice(1)].join(".");
    return undefined;
  } catch {
    return undefined;
  }
}

export function validateForEach(entries: unknown[], env: ValidateEnv): Outcome {
  let applied = 0;
  for (const entry of entries) {
    if (!isObj(entry) || typeof entry.list !== "string") continue;
    const elements = listOf(entry.list, env.data);
    if (!elements) continue;
    const { outcome, count } = validateElements(entry, elements, env, basePath(entry.list, env.elementPath));
    if (outcome.status !== "pass") return outcome;
    applied += count;
  }
  if (applied === 0) return { status: "skip", message: "rule skipped" };
  return { status: "pass", message: "rule passed" };
}

function validateElements(entry: Json, elements: unknown[], env: ValidateEnv, base: string | undefined): { outcome: Outcome; count: number } {
  let count = 0;
  const spec: ValidateSpec = {
    context: entry.context,
    preconditions: entry.preconditions,
    pattern: entry.pattern,
    anyPattern: entry.anyPattern,
    deny: entry.deny,
    foreach: entry.foreach,
  };
  const scopeSetting = typeof entry.elementScope === "boolean" ? entry.elementScope : undefined;
  for (const [index, element] of elements.entries()) {
    if (element === null || element === undefined) continue;
    if (scopeSetting === true && !isObj(element)) {
      return { outcome: { status: "error", message: `cannot use elementScope=true foreach rules for elements that are not maps` }, count };
    }
    const scoped = scopeSetting ?? isObj(element);
    const data = withValues(env.data, { element, [`element${env.nesting}`]: element, elementIndex: index, [`elementIndex${env.nesting}`]: index });
    const elementEnv: ValidateEnv = {
      ...env,
      data,
      nesting: env.nesting + 1,
      ...(base !== undefined ? { elementPath: `${base}[${index}]` } : {}),
    };
    const r = runValidator(spec, elementEnv, scoped && isObj(element) ? element : undefined);
    if (!r || r.status === "skip") continue;
    if (r.status === "error") {
      if (index < elements.length - 1) continue;
      return { outcome: r, count };
    }
    if (r.status !== "pass") return { outcome: r, count };
    count++;
  }
  return { outcome: { status: "pass", message: "" }, count };
}
