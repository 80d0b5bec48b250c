/**
 * `{{ }}` variable substitution over a JSON document (pkg/engine/variables/vars.go): every
 * string leaf and key is searched for variables; a string that is exactly one variable takes
 * the variable's value with its type, otherwise values are spliced in as text (JSON for
 * non-strings). Inner variables resolve first (`{{ a.{{ b }} }}`), `\{{ }}` is an escaped
 * literal, and `{{@}}` is the value at the same path of the resource.
 */
import { search } from "../jmespath/search.js";

const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
const ESCAPED = /\\\{\{(?:\{[^{}]*\}|[^{}])*\}\}/g;
/** Guards against values that themselves contain `{{ }}` forever. */
const MAX_PASSES = 16;

export class SubstitutionError extends Error {
  constructor(
    readonly variable: string,
    readonly path: string,
    cause: Error,
  ) {
    super(`failed to resolve ${variable} at path ${path}: ${cause.message}`);
    this.name = "SubstitutionError";
  }
}

const variablesCache = new WeakMap<object, boolean>();

/** Whether a document has `{{ }}` anywhere; cached per object since policies do not change. */
export function hasVariables(doc: unknown): boolean {
  if (typeof doc === "string") return doc.includes("{{");
  if (typeof doc !== "object" || doc === null) return false;
  let hit = variablesCache.get(doc);
  if (hit === undefined) {
    hit = Array.isArray(doc) ? doc.some(hasVariables) : Object.entries(doc).some(([k, v]) => k.includes("{{") || hasVariables(v));
    variablesCache.set(doc, hit);
  }
  return hit;
}

/** Substitutes in a copy of `doc`; documents without variables are returned as they are. */
export function substituteAll(doc: unknown, data: unknown, path: string[] = []): unknown {
  if (typeof doc === "string") return doc.includes("{{") ? substituteString(doc, data, path) : doc;
  if (Array.isArray(doc)) {
    if (!hasVariables(doc)) return doc;
    return doc.map((v, i) => substituteAll(v, data, [...path, String(i)]));
  }
  if (typeof doc === "object" && doc !== null) {
    if (!hasVariables(doc)) return doc;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) {
      const key = k.includes("{{") ? String(substituteString(k, data, path)) : k;
      out[key] = substituteAll(v, data, [...path, k]);
    }
    return out;
  }
  return doc;
}

type Template = { exact: string } | { parts: (string | { expr: string; raw: string })[] };

const templates = new Map<string, Template>();
const ONE_VARIABLE = /\{\{(?:\{[^{}]*\}|[^{}])*\}\}/g;

/** The first substitution pass of a string, parsed once: literal text and variables. */
function templateOf(text: string): Template {
  let t = templates.get(text);
  if (t) return t;
  const parts: (string | { expr: string; raw: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(ONE_VARIABLE)) {
    if (m.index > 0 && text[m.index - 1] === "\\") continue;
    parts.push(text.slice(last, m.index), { expr: m[0].slice(2, -2).trim(), raw: m[0] });
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  const nonEmpty = parts.filter((p) => p !== "");
  t = nonEmpty.length === 1 && typeof nonEmpty[0] !== "string" && nonEmpty[0]!.raw === text ? { exact: nonEmpty[0]!.expr } : { parts };
  if (templates.size > 20_000) templates.clear();
  templates.set(text, t);
  return t;
}

function resolve(expression: string, data: unknown, path: string[]): unknown {
  const e = resolveCurrent(expression, path);
  try {
    return search(e, data);
  } catch (err) {
    throw new SubstitutionError(e, `/${path.join("/")}`, err as Error);
  }
}

export function substituteString(text: string, data: unknown, path: string[] = []): unknown {
  // Fast path: one pass from a cached template; the general loop below handles what it leaves
  // (nested variables, values that contain variables, escapes).
  const t = templateOf(text);
  if ("exact" in t) return resolve(t.exact, data, path);
  let first = "";
  for (const p of t.parts) {
    if (typeof p === "string") first += p;
    else {
      const v = resolve(p.expr, data, path);
      first += typeof v === "string" ? v : JSON.stringify(v ?? null);
    }
  }
  return first.includes("{{") ? substituteLoop(first, data, path) : first;
}

function substituteLoop(text: string, data: unknown, path: string[]): unknown {
  let value = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const matches = [...value.matchAll(VARIABLE)];
    if (matches.length === 0) break;
    const original = value;
    for (const m of matches) {
      const variableText = m[2]!;
      const resolved = resolve(variableText.slice(2, -2).trim(), data, path);
      if (original === variableText) return resolved;
      const replacement = typeof resolved === "string" ? resolved : JSON.stringify(resolved ?? null);
      value = value.replace(variableText, () => replacement);
    }
  }
  return value.replace(ESCAPED, (s) => s.slice(1));
}

/** `@` inside a pattern means "the resource's value at this pattern's path". */
function resolveCurrent(expression: string, path: string[]): string {
  if (expression !== "@") return expression;
  const segments = path.map((p) => p.replace(/^[+<=X^]?\((.+)\)$/, "$1"));
  let out = "request.object";
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `."${s.replace(/"/g, '\\"')}"`;
  return out;
}
