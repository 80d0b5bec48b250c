/**
 * ApplicationSet generators that can be evaluated offline, from this repository's snapshot:
 * list, git directories, git files, and matrix and merge of these. Each yields parameter
 * sets as Argo CD's generators do (flat `path`, `path.basename`, `path[n]`… without
 * goTemplate; nested `.path.path`, `.path.segments`… with it). Generators that ask a cluster
 * or an API (cluster, clusterDecisionResource, scmProvider, pullRequest, plugin…) cannot be
 * evaluated: a GeneratorError says which.
 */
import { parse as parseYaml } from "yaml";
import picomatch from "picomatch";
import { posix } from "node:path";
import type { Tree } from "../../../core/ports.js";
import { renderGoTemplate, sanitizeName, TemplateError } from "./go-template.js";
import { renderFastTemplate } from "./fast-template.js";

export type Params = Record<string, unknown>;

/** The git files a parameter set came from (symbol-keyed: never a parameter, never templated). */
const FILES = Symbol("files");

export function filesOf(params: Params): string[] {
  return ((params as Record<symbol, unknown>)[FILES] as string[] | undefined) ?? [];
}

function withFiles(params: Params, files: readonly string[]): Params {
  const all = [...new Set([...filesOf(params), ...files])];
  return all.length > 0 ? Object.assign(params, { [FILES]: all }) : params;
}

export class GeneratorError extends Error {
  constructor(
    message: string,
    readonly ruleId: "gitops/generator-unsupported" | "gitops/source-unavailable" | "gitops/application-invalid",
  ) {
    super(message);
  }
}

export interface GeneratorContext {
  tree: Tree;
  isLocal: (repoURL: string) => boolean;
  goTemplate: boolean;
  missingKeyError: boolean;
  /** Files the generators matched (git files): a new or removed one changes the set of Applications. */
  read: Set<string>;
}

const OFFLINE = new Set(["list", "git", "matrix", "merge"]);
const KNOWN = ["clusters", "clusterDecisionResource", "scmProvider", "pullRequest", "plugin", "selector"];
const MAX_NESTING = 3;
const MAX_PARAM_SETS = 1000;

export async function generate(generator: unknown, ctx: GeneratorContext, depth = 0): Promise<Params[]> {
  const g = record(generator);
  if (!g) throw new GeneratorError("a generator must be a mapping", "gitops/application-invalid");
  const kinds = Object.keys(g).filter((k) => k !== "selector");
  if (kinds.length !== 1) throw new GeneratorError(`a generator must have exactly one kind, found ${kinds.length === 0 ? "none" : kinds.join(", ")}`, "gitops/application-invalid");
  const kind = kinds[0]!;
  if (!OFFLINE.has(kind)) {
    const why = KNOWN.includes(kind) ? "it asks Argo CD's cluster or an outside API" : "Shipshape does not know this generator";
    throw new GeneratorError(`the ${kind} generator cannot be evaluated offline (${why})`, "gitops/generator-unsupported");
  }
  if (depth > MAX_NESTING) throw new GeneratorError(`generators nested deeper than ${MAX_NESTING} levels`, "gitops/generator-unsupported");
  const spec = record(g[kind]) ?? {};
  let params: Params[];
  if (kind === "list") params = listParams(spec, ctx);
  else if (kind === "git") params = await gitParams(spec, ctx);
  else if (kind === "matrix") params = await matrixParams(spec, ctx, depth);
  else params = await mergeParams(spec, ctx, depth);
  // A top-level generator's own template is merged by the ApplicationSet (applicationset.ts); a
  // nested one (a matrix or merge child's) Argo CD reads and drops: only its parameters count.
  if (params.length > MAX_PARAM_SETS) throw new GeneratorError(`the ${kind} generator yields more than ${MAX_PARAM_SETS} parameter sets`, "gitops/generator-unsupported");
  return g.selector === undefined || g.selector === null ? params : select(params, g.selector);
}

function listParams(spec: Record<string, unknown>, ctx: GeneratorContext): Params[] {
  return [...listElements(spec, ctx), ...elementsYaml(spec.elementsYaml)];
}

/** `elementsYaml` (usually templated from a matrix's first generator): a YAML list of mappings, appended as written, as Argo CD does in either template mode. */
function elementsYaml(value: unknown): Params[] {
  if (value === undefined || value === "") return [];
  if (typeof value !== "string") throw new GeneratorError("list generator `elementsYaml` must be text", "gitops/application-invalid");
  let parsed: unknown;
  try {
    parsed = parseYaml(value, { maxAliasCount: 100 }) ?? [];
  } catch (err) {
    throw new GeneratorError(`list generator \`elementsYaml\` is not YAML: ${(err as Error).message.split("\n")[0]}`, "gitops/application-invalid");
  }
  if (!Array.isArray(parsed) || !parsed.every((e) => record(e) || e === null)) throw new GeneratorError("list generator `elementsYaml` must be a YAML list of mappings", "gitops/application-invalid");
  return parsed.map((e) => ({ ...(record(e) ?? {}) }));
}

function listElements(spec: Record<string, unknown>, ctx: GeneratorContext): Params[] {
  const elements = spec.elements ?? [];
  if (!Array.isArray(elements)) throw new GeneratorError("list generator `elements` must be a list", "gitops/application-invalid");
  return elements.map((element, i) => {
    const e = record(element);
    if (!e) throw new GeneratorError(`list generator element ${i} must be a mapping`, "gitops/application-invalid");
    if (ctx.goTemplate) return { ...e };
    const params: Params = {};
    for (const [key, value] of Object.entries(e)) {
      if (key === "values" && record(value)) {
        for (const [k, v] of Object.entries(record(value)!)) params[`values.${k}`] = String(v);
      } else if (typeof value === "string") params[key] = value;
      else throw new GeneratorError(`list generator element ${i}: \`${key}\` must be a string without goTemplate (Argo CD refuses it)`, "gitops/application-invalid");
    }
    return params;
  });
}

async function gitParams(spec: Record<string, unknown>, ctx: GeneratorContext): Promise<Params[]> {
  const repoURL = typeof spec.repoURL === "string" ? spec.repoURL : "";
  if (!ctx.isLocal(repoURL)) {
    throw new GeneratorError(`the git generator reads ${repoURL || "(no repoURL)"}, which is not this repository; if it is, list its URL in \`gitops.repositoryUrls\``, "gitops/source-unavailable");
  }
  const prefix = typeof spec.pathParamPrefix === "string" ? spec.pathParamPrefix : "";
  const values = record(spec.values);
  const items = (key: string) => (Array.isArray(spec[key]) ? (spec[key] as unknown[]).map(record).filter((x): x is Record<string, unknown> => x !== undefined && typeof x.path === "string") : []);
  let out: Params[];
  if (Array.isArray(spec.directories) && spec.directories.length > 0) {
    const dirs = items("directories");
    const include = dirs.filter((d) => d.exclude !== true).map((d) => goMatch(d.path as string));
    const exclude = dirs.filter((d) => d.exclude === true).map((d) => goMatch(d.path as string));
    out = directoriesOf(ctx.tree)
      .filter((d) => include.some((m) => m(d)) && !exclude.some((m) => m(d)))
      .map((d) => pathParams(d, undefined, prefix, ctx.goTemplate));
  } else if (Array.isArray(spec.files) && spec.files.length > 0) {
    const files = items("files");
    const include = files.filter((f) => f.exclude !== true).map((f) => picomatch(f.path as string, { dot: true }));
    const exclude = files.filter((f) => f.exclude === true).map((f) => picomatch(f.path as string, { dot: true }));
    const matched = ctx.tree
      .files()
      .filter((f) => include.some((m) => m(f)) && !exclude.some((m) => m(f)))
      .sort();
    out = [];
    for (const file of matched) {
      ctx.read.add(file);
      for (const object of await fileObjects(ctx.tree, file)) {
        const params = ctx.goTemplate ? { ...object } : flatten(object);
        Object.assign(params, pathParams(posix.dirname(file), file, prefix, ctx.goTemplate));
        out.push(withFiles(params, [file]));
      }
    }
  } else throw new GeneratorError("the git generator needs `directories` or `files`", "gitops/application-invalid");
  return values ? out.map((p) => withValues(p, values, ctx)) : out;
}

/** Go's path.Match: `*` and `?` never cross a `/`; character classes as written. */
function goMatch(pattern: string): (path: string) => boolean {
  const re = picomatch.makeRe(pattern, { dot: true, noextglob: true, nobrace: true, noglobstar: true });
  return (path) => re.test(path);
}

/** Every folder of the snapshot below the root, leaving out hidden ones (as Argo CD's repo server does). */
function directoriesOf(tree: Tree): string[] {
  const dirs = new Set<string>();
  for (const f of tree.files()) {
    const parts = f.split("/");
    for (let i = 1; i < parts.length; i++) {
      if (parts[i - 1]!.startsWith(".")) break;
      dirs.add(parts.slice(0, i).join("/"));
    }
  }
  return [...dirs].sort();
}

async function fileObjects(tree: Tree, file: string): Promise<Record<string, unknown>[]> {
  const text = await tree.read(file).catch(() => undefined);
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : (parseYaml(text) ?? {});
  } catch (err) {
    throw new GeneratorError(`git files generator: ${file} is not valid YAML or JSON: ${(err as Error).message.split("\n")[0]}`, "gitops/application-invalid");
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (!list.every((o) => record(o))) throw new GeneratorError(`git files generator: ${file} must hold a mapping or a list of mappings`, "gitops/application-invalid");
  return list as Record<string, unknown>[];
}

function pathParams(dir: string, file: string | undefined, prefix: string, go: boolean): Params {
  const base = posix.basename(dir);
  if (go) {
    const path: Params = { path: dir, basename: base, basenameNormalized: sanitizeName(base), segments: dir.split("/") };
    if (file !== undefined) Object.assign(path, { filename: posix.basename(file), filenameNormalized: sanitizeName(posix.basename(file)) });
    return prefix ? { [prefix]: { path } } : { path };
  }
  const name = prefix ? `${prefix}.path` : "path";
  const out: Params = { [name]: dir, [`${name}.basename`]: base, [`${name}.basenameNormalized`]: sanitizeName(base) };
  if (file !== undefined) Object.assign(out, { [`${name}.filename`]: posix.basename(file), [`${name}.filenameNormalized`]: sanitizeName(posix.basename(file)) });
  dir.split("/").forEach((seg, i) => {
    if (seg !== "") out[`${name}[${i}]`] = seg;
  });
  return out;
}

/** Nested keys joined with dots, list items by index, leaves printed as Go's %v prints them. */
function flatten(object: Record<string, unknown>, prefix = "", out: Params = {}): Params {
  for (const [k, v] of Object.entries(object)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) v.forEach((item, i) => (record(item) || Array.isArray(item) ? flatten({ [i]: item }, key, out) : (out[`${key}.${i}`] = goText(item))));
    else if (record(v)) flatten(record(v)!, key, out);
    else out[key] = goText(v);
  }
  return out;
}

function goText(v: unknown): string {
  return v === null || v === undefined ? "<nil>" : String(v);
}

/** A generator's `values`, each templated with the parameter set, as `values.<key>` (or `.values.<key>`). */
function withValues(params: Params, values: Record<string, unknown>, ctx: GeneratorContext): Params {
  const rendered: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) rendered[k] = renderText(String(v), params, ctx);
  if (ctx.goTemplate) return withFiles({ ...params, values: rendered }, filesOf(params));
  const out = withFiles({ ...params }, filesOf(params));
  for (const [k, v] of Object.entries(rendered)) out[`values.${k}`] = v;
  return out;
}

async function matrixParams(spec: Record<string, unknown>, ctx: GeneratorContext, depth: number): Promise<Params[]> {
  const children = Array.isArray(spec.generators) ? spec.generators : [];
  if (children.length !== 2) throw new GeneratorError(`a matrix generator needs exactly 2 generators, found ${children.length}`, "gitops/application-invalid");
  const out: Params[] = [];
  for (const a of await generate(children[0], ctx, depth + 1)) {
    // The second generator may use the first one's parameters (`path: '{{path}}/*.json'`).
    const second = renderValue(children[1], a, ctx);
    for (const b of await generate(second, ctx, depth + 1)) out.push(combine(a, b, ctx, "matrix"));
    if (out.length > MAX_PARAM_SETS) throw new GeneratorError(`the matrix generator yields more than ${MAX_PARAM_SETS} parameter sets`, "gitops/generator-unsupported");
  }
  return out;
}

async function mergeParams(spec: Record<string, unknown>, ctx: GeneratorContext, depth: number): Promise<Params[]> {
  const children = Array.isArray(spec.generators) ? spec.generators : [];
  const keys = Array.isArray(spec.mergeKeys) ? spec.mergeKeys.filter((k): k is string => typeof k === "string") : [];
  if (children.length < 2) throw new GeneratorError("a merge generator needs at least 2 generators", "gitops/application-invalid");
  if (keys.length === 0) throw new GeneratorError("a merge generator needs `mergeKeys`", "gitops/application-invalid");
  const keyOf = (p: Params) => JSON.stringify(keys.map((k) => (ctx.goTemplate ? lookup(p, k.split(".")) : p[k]) ?? null));
  let base = await generate(children[0], ctx, depth + 1);
  for (const child of children.slice(1)) {
    const byKey = new Map<string, Params>();
    for (const p of await generate(child, ctx, depth + 1)) if (!byKey.has(keyOf(p))) byKey.set(keyOf(p), p);
    base = base.map((p) => {
      const over = byKey.get(keyOf(p));
      return over ? withFiles(ctx.goTemplate ? deepMerge(p, over) : { ...p, ...over }, [...filesOf(p), ...filesOf(over)]) : p;
    });
  }
  return base;
}

function combine(a: Params, b: Params, ctx: GeneratorContext, what: string): Params {
  // Go templates: the second's parameters, then the first's over them (mergo WithOverride, as Argo CD merges).
  if (ctx.goTemplate) return withFiles(deepMerge(b, a), [...filesOf(a), ...filesOf(b)]);
  for (const [k, v] of Object.entries(b)) {
    if (Object.hasOwn(a, k) && a[k] !== v) throw new GeneratorError(`${what} generator: both generators set parameter ${JSON.stringify(k)} to different values`, "gitops/application-invalid");
  }
  return withFiles({ ...a, ...b }, [...filesOf(a), ...filesOf(b)]);
}

function deepMerge(a: Params, b: Params): Params {
  const out: Params = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const left = record(out[k]);
    const right = record(v);
    out[k] = left && right ? deepMerge(left, right) : v;
  }
  return out;
}

function lookup(p: Params, path: string[]): unknown {
  let node: unknown = p;
  for (const k of path) node = record(node)?.[k];
  return node;
}

/**
 * A generator's `selector`, as Argo CD applies it: a label selector (matchLabels and
 * matchExpressions In, NotIn, Exists, DoesNotExist) against each parameter set flattened
 * with dots (`cluster.labels.env`, list items by index), values printed as Go's %v.
 */
function select(params: Params[], selector: unknown): Params[] {
  const s = record(selector);
  if (!s) throw new GeneratorError("a generator `selector` must be a mapping", "gitops/application-invalid");
  const tests: ((flat: Record<string, string>) => boolean)[] = Object.entries(record(s.matchLabels) ?? {}).map(([k, v]) => (flat) => Object.hasOwn(flat, k) && flat[k] === String(v));
  const expressions = s.matchExpressions ?? [];
  if (!Array.isArray(expressions)) throw new GeneratorError("`selector.matchExpressions` must be a list", "gitops/application-invalid");
  for (const [i, e] of expressions.entries()) {
    const expr = record(e);
    const key = typeof expr?.key === "string" ? expr.key : "";
    const values = Array.isArray(expr?.values) ? expr.values.map(String) : [];
    const op = String(expr?.operator ?? "");
    const where = `selector.matchExpressions[${i}]`;
    if (!key) throw new GeneratorError(`${where} needs a key`, "gitops/application-invalid");
    if (op === "In" || op === "NotIn") {
      if (values.length === 0) throw new GeneratorError(`${where}: operator ${op} needs values`, "gitops/application-invalid");
      tests.push(op === "In" ? (flat) => Object.hasOwn(flat, key) && values.includes(flat[key]!) : (flat) => !Object.hasOwn(flat, key) || !values.includes(flat[key]!));
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0) throw new GeneratorError(`${where}: operator ${op} takes no values`, "gitops/application-invalid");
      tests.push(op === "Exists" ? (flat) => Object.hasOwn(flat, key) : (flat) => !Object.hasOwn(flat, key));
    } else throw new GeneratorError(`${where}: ${JSON.stringify(op)} is not a valid selector operator`, "gitops/application-invalid");
  }
  if (tests.length === 0) return params;
  return params.filter((p) => {
    const flat = flatParams(p);
    return tests.every((t) => t(flat));
  });
}

/** jeremywohl/flatten's dot style over the parameter set, leaves as %v. */
function flatParams(p: Params, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(p)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) flatParams(Object.fromEntries(v.map((x, i) => [String(i), x])), key, out);
    else if (record(v)) flatParams(record(v)!, key, out);
    else out[key] = goText(v);
  }
  return out;
}

/** One string templated with the ApplicationSet's template mode. */
export function renderText(text: string, params: Params, ctx: Pick<GeneratorContext, "goTemplate" | "missingKeyError">): string {
  if (!ctx.goTemplate) return renderFastTemplate(text, params as Record<string, string>);
  try {
    return renderGoTemplate(text, params, { missingKeyError: ctx.missingKeyError });
  } catch (err) {
    if (err instanceof TemplateError) throw new GeneratorError(`template ${JSON.stringify(text)}: ${err.message}`, err.unsupported ? "gitops/generator-unsupported" : "gitops/application-invalid");
    throw err;
  }
}

/** Every string (and key) of a value templated, as Argo CD renders a template or a nested generator. */
export function renderValue(value: unknown, params: Params, ctx: Pick<GeneratorContext, "goTemplate" | "missingKeyError">): unknown {
  if (typeof value === "string") return renderText(value, params, ctx);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, params, ctx));
  const r = record(value);
  if (!r) return value;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [renderText(k, params, ctx), renderValue(v, params, ctx)]));
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
