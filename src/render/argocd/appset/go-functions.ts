/**
 * The functions an ApplicationSet Go template may call: Go's text/template builtins and the
 * sprig functions Argo CD loads (sprig's GenericFuncMap without `env`, `expandenv` and
 * `getHostByName`, plus Argo CD's `normalize`, `slugify`, `toYaml`, `fromYaml`,
 * `fromYamlArray`). Only pure ones: nothing reads the clock, randomness, files, the environment
 * or the network; those (`now`, `uuidv4`, `randAlphaNum`, `genPrivateKey`…) are reported as not
 * evaluated. Every function that can grow text is bounded by the caller's output budget.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseConstraint, parseVersion, satisfies } from "../../flux/semver.js";
import { bounded, int, list, MAX_TEXT, NO_VALUE, num, plain, print, record, sanitizeName, TemplateError, text, truthy } from "./go-values.js";

export { MAX_TEXT, NO_VALUE, print, sanitizeName, TemplateError, truthy } from "./go-values.js";

type Fn = (...args: unknown[]) => unknown;

/** Argo CD's `slugify [maxSize] [smartTruncate] text`. */
function slugify(...args: unknown[]): string {
  const [maxSize, smart, s] = args.length === 1 ? [50, true, args[0]] : args.length === 2 ? [int(args[0]), true, args[1]] : [int(args[0]), truthy(args[1]), args[2]];
  let out = text(s)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (out.length <= (maxSize as number)) return out;
  if (smart) {
    const words = out.split("-");
    out = "";
    for (const w of words) {
      if ((out ? out.length + 1 : 0) + w.length > (maxSize as number)) break;
      out = out ? `${out}-${w}` : w;
    }
    return out;
  }
  return out.slice(0, maxSize as number).replace(/-+$/, "");
}

/** Go's printf for the verbs templates use (%s %v %d %q %t %f %x %%). */
function printf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([svdqtfx%])/g, (_m, flags: string, width: string, precision: string | undefined, verb: string) => {
    if (verb === "%") return "%";
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const a = args[i++];
    let s: string;
    if (verb === "q") s = JSON.stringify(text(a));
    else if (verb === "d") s = typeof a === "number" ? String(Math.trunc(a)) : `%!d(${typeof a === "string" ? "string" : "value"}=${print(a)})`;
    else if (verb === "f") s = typeof a === "number" ? a.toFixed(precision === undefined ? 6 : Number(precision)) : `%!f(${print(a)})`;
    else if (verb === "x") s = typeof a === "number" ? Math.trunc(a).toString(16) : Buffer.from(text(a)).toString("hex");
    else s = print(a);
    if (width) s = flags.includes("-") ? s.padEnd(Number(width)) : s.padStart(Number(width), flags.includes("0") && /^[\d.-]+$/.test(s) ? "0" : " ");
    return s;
  });
}

/** Go's regexp (RE2) mostly reads as JavaScript's; `${1}` / `${name}` in a replacement are `$1` / `$<name>`. */
function regex(pattern: unknown): RegExp {
  const p = text(pattern);
  let flags = "g";
  let body = p.replace(/^\(\?([imsU]+)\)/, (_m, f: string) => {
    if (f.includes("U")) throw new TemplateError(`regular expression flag U in ${JSON.stringify(p)} is not supported`, true);
    flags += f;
    return "";
  });
  body = body.replace(/\(\?P</g, "(?<");
  try {
    return new RegExp(body, flags);
  } catch (err) {
    throw new TemplateError(`regular expression ${JSON.stringify(p)}: ${(err as Error).message}`);
  }
}
const goReplacement = (r: string) => r.replace(/\$\{(\d+)\}/g, "$$$1").replace(/\$\{(\w+)\}/g, "$$<$1>");

/** sigs.k8s.io/yaml's Marshal: keys sorted, lists not indented under their key, no trailing newline. */
function toYaml(v: unknown): string {
  if (v === NO_VALUE || v === null || v === undefined) return "null";
  return stringifyYaml(v, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).replace(/\n$/, "");
}

function fromYaml(s: unknown, array: boolean): unknown {
  try {
    const parsed: unknown = parseYaml(text(s), { maxAliasCount: 100 });
    if (array ? Array.isArray(parsed) : record(parsed) || parsed === null) return parsed ?? {};
  } catch {
    /* as below */
  }
  // Helm's copies put the error in the result; Argo CD's return it: the template fails.
  throw new TemplateError(`${array ? "fromYamlArray" : "fromYaml"}: the text is not a YAML ${array ? "list" : "mapping"}`);
}

function dig(...args: unknown[]): unknown {
  if (args.length < 3) throw new TemplateError("dig needs keys, a default and a map");
  const map = args[args.length - 1];
  const fallback = args[args.length - 2];
  let node: unknown = map;
  for (const k of args.slice(0, -2)) {
    const r = record(node);
    if (!r || !Object.hasOwn(r, text(k))) return fallback;
    node = r[text(k)];
  }
  return node;
}

function semverCompare(constraint: unknown, version: unknown): boolean {
  const c = parseConstraint(text(constraint));
  if (!c) throw new TemplateError(`semverCompare: ${JSON.stringify(text(constraint))} is not a version constraint`);
  const v = parseVersion(text(version));
  if (!v) throw new TemplateError(`semverCompare: ${JSON.stringify(text(version))} is not a version`);
  return satisfies(v, c);
}

function deepMerge(dst: Record<string, unknown>, src: Record<string, unknown>, override: boolean): Record<string, unknown> {
  for (const [k, v] of Object.entries(src)) {
    const left = record(dst[k]);
    const right = record(v);
    if (left && right) dst[k] = deepMerge({ ...left }, right, override);
    else if (!Object.hasOwn(dst, k) || (override ? true : !truthy(dst[k]))) dst[k] = v;
  }
  return dst;
}

function seq(...args: unknown[]): string {
  const n = args.map(int);
  const [start, step, end] = n.length === 1 ? [1, 1, n[0]!] : n.length === 2 ? [n[0]!, n[0]! <= n[1]! ? 1 : -1, n[1]!] : [n[0]!, n[1]!, n[2]!];
  if (step === 0 || (end - start) / step > 10000) throw new TemplateError("seq: too many numbers", true);
  const out: number[] = [];
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
  return out.join(" ");
}

function until(count: number, start = 0, step = 1): number[] {
  if (step === 0 || Math.abs((count - start) / step) > 10000) throw new TemplateError("until: too many numbers", true);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < count : i > count; i += step) out.push(i);
  return out;
}

function compare(a: unknown, b: unknown): number {
  const x = plain(a);
  const y = plain(b);
  if (typeof x === "number" && typeof y === "number") return x - y;
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : x > y ? 1 : 0;
  throw new TemplateError(`incompatible types for comparison: ${print(a)} and ${print(b)}`);
}
const equal = (a: unknown, b: unknown) => {
  const x = plain(a);
  const y = plain(b);
  if ((x !== null && typeof x === "object") || (y !== null && typeof y === "object")) throw new TemplateError("eq and ne compare only basic values");
  return x === y;
};

const hash = (algorithm: string) => (s: unknown) => createHash(algorithm).update(text(s)).digest("hex");

function adler32(s: unknown): string {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text(s))) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

function typeName(v: unknown): string {
  if (v === NO_VALUE || v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  return Array.isArray(v) ? "[]interface {}" : "map[string]interface {}";
}
const KIND: Record<string, string> = { string: "string", bool: "bool", int: "int", float64: "float64", "[]interface {}": "slice", "map[string]interface {}": "map", "<nil>": "invalid" };

const words = (s: string) => s.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);

export const FUNCTIONS: Record<string, Fn> = {
  // text
  lower: (s) => text(s).toLowerCase(),
  upper: (s) => text(s).toUpperCase(),
  title: (s) => text(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, c: string) => a + c.toUpperCase()),
  untitle: (s) => text(s).replace(/(^|\s)(\p{L})/gu, (_m, a: string, c: string) => a + c.toLowerCase()),
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
  trunc: (n, s) => {
    const c = int(n);
    const v = text(s);
    return c >= 0 ? v.slice(0, c) : v.length + c > 0 ? v.slice(v.length + c) : v;
  },
  substr: (start, end, s) => {
    const v = text(s);
    const a = int(start);
    const b = int(end);
    if (a < 0) return v.slice(0, b);
    if (b < 0 || b > v.length) return v.slice(a);
    return v.slice(a, b);
  },
  abbrev: (n, s) => {
    const v = text(s);
    return int(n) >= 4 && v.length > int(n) ? `${v.slice(0, int(n) - 3)}...` : v;
  },
  replace: (o, n, s) => bounded(text(s).split(text(o)).join(text(n))),
  repeat: (n, s) => {
    const count = Math.max(0, int(n));
    if (count * text(s).length > MAX_TEXT) throw new TemplateError(`a template function made more than ${MAX_TEXT} characters`, true);
    return text(s).repeat(count);
  },
  contains: (sub, s) => text(s).includes(text(sub)),
  hasPrefix: (p, s) => text(s).startsWith(text(p)),
  hasSuffix: (p, s) => text(s).endsWith(text(p)),
  quote: (...a) => a.filter((x) => x !== NO_VALUE && x !== null).map((x) => JSON.stringify(text(x))).join(" "),
  squote: (...a) => a.filter((x) => x !== NO_VALUE && x !== null).map((x) => `'${text(x)}'`).join(" "),
  cat: (...a) => a.filter((x) => x !== NO_VALUE && x !== null).map(print).join(" "),
  nospace: (s) => text(s).replace(/\s+/g, ""),
  indent: (n, s) => bounded(text(s).replace(/^/gm, " ".repeat(Math.max(0, Math.min(int(n), 1000))))),
  nindent: (n, s) => bounded(`\n${text(s).replace(/^/gm, " ".repeat(Math.max(0, Math.min(int(n), 1000))))}`),
  kebabcase: (s) => words(text(s)).map((w) => w.toLowerCase()).join("-"),
  snakecase: (s) => words(text(s)).map((w) => w.toLowerCase()).join("_"),
  camelcase: (s) => text(s).split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(""),
  plural: (one, many, n) => (int(n) === 1 ? text(one) : text(many)),
  toString: (v: unknown) => text(v),
  toStrings: (v) => list(v).map(text),
  printf: (f, ...a) => bounded(printf(text(f), ...a)),
  print: (...a) => a.map((x, i) => (i > 0 && typeof x !== "string" && typeof a[i - 1] !== "string" ? " " : "") + print(x)).join(""),
  println: (...a) => `${a.map(print).join(" ")}\n`,
  urlquery: (...a) => encodeURIComponent(a.map(print).join("")).replace(/%20/g, "+"),
  join: (sep, l) => (Array.isArray(l) ? l.map(text).join(text(sep)) : text(l)),
  split: (sep, s) => Object.fromEntries(text(s).split(text(sep)).map((p, i) => [`_${i}`, p])),
  splitList: (sep, s) => text(s).split(text(sep)),
  splitn: (sep, n, s) => {
    const parts = text(s).split(text(sep));
    const c = int(n);
    const kept = c > 0 && parts.length > c ? [...parts.slice(0, c - 1), parts.slice(c - 1).join(text(sep))] : parts;
    return Object.fromEntries(kept.map((p, i) => [`_${i}`, p]));
  },
  normalize: (s) => sanitizeName(text(s)),
  slugify,
  base: (s) => posix.basename(text(s)) || ".",
  dir: (s) => posix.dirname(text(s)),
  ext: (s) => posix.extname(text(s)),
  clean: (s) => posix.normalize(text(s)).replace(/(.)\/$/, "$1"),
  regexMatch: (re, s) => regex(re).test(text(s)),
  regexFind: (re, s) => regex(re).exec(text(s))?.[0] ?? "",
  regexFindAll: (re, s, n) => {
    const all = [...text(s).matchAll(regex(re))].map((m) => m[0]);
    return int(n) < 0 ? all : all.slice(0, int(n));
  },
  regexReplaceAll: (re, s, r) => bounded(text(s).replace(regex(re), goReplacement(text(r)))),
  regexReplaceAllLiteral: (re, s, r) => bounded(text(s).replace(regex(re), () => text(r))),
  regexSplit: (re, s, n) => {
    const parts = text(s).split(regex(re));
    return int(n) < 0 ? parts : parts.slice(0, int(n));
  },
  // encodings and digests
  b64enc: (s) => Buffer.from(text(s)).toString("base64"),
  b64dec: (s) => Buffer.from(text(s), "base64").toString("utf8"),
  sha1sum: hash("sha1"),
  sha256sum: hash("sha256"),
  sha512sum: hash("sha512"),
  adler32sum: adler32,
  toJson: (v) => JSON.stringify(plain(v)),
  toRawJson: (v) => JSON.stringify(plain(v)),
  toPrettyJson: (v) => JSON.stringify(plain(v), null, 2),
  fromJson: (s) => {
    try {
      return JSON.parse(text(s)) as unknown;
    } catch {
      return {};
    }
  },
  toYaml,
  fromYaml: (s) => fromYaml(s, false),
  fromYamlArray: (s) => fromYaml(s, true),
  // defaults and logic
  default: (d, v) => (v === undefined || !truthy(v) ? d : v),
  empty: (v) => !truthy(v),
  coalesce: (...a) => a.find(truthy) ?? null,
  ternary: (yes, no, cond) => (cond === true ? yes : no),
  required: (msg, v) => {
    if (v === NO_VALUE || v === null || v === "") throw new TemplateError(text(msg));
    return v;
  },
  fail: (msg) => {
    throw new TemplateError(text(msg));
  },
  eq: (a, ...b) => b.some((x) => equal(a, x)),
  ne: (a, b) => !equal(a, b),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  not: (v) => !truthy(v),
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
  semverCompare,
  kindIs: (k, v) => KIND[typeName(v)] === text(k),
  kindOf: (v) => KIND[typeName(v)],
  typeOf: typeName,
  typeIs: (t, v) => typeName(v) === text(t),
  // numbers
  int: (v) => int(v),
  int64: (v) => int(v),
  atoi: (v) => (/^[+-]?\d+$/.test(text(v).trim()) ? Number(text(v).trim()) : 0),
  float64: (v) => num(v),
  add: (...a) => a.reduce<number>((s, x) => s + int(x), 0),
  add1: (v) => int(v) + 1,
  sub: (a, b) => int(a) - int(b),
  mul: (...a) => a.reduce<number>((s, x) => s * int(x), 1),
  div: (a, b) => {
    if (int(b) === 0) throw new TemplateError("div: division by zero");
    return Math.trunc(int(a) / int(b));
  },
  mod: (a, b) => {
    if (int(b) === 0) throw new TemplateError("mod: division by zero");
    return int(a) % int(b);
  },
  max: (...a) => Math.max(...a.map(int)),
  min: (...a) => Math.min(...a.map(int)),
  floor: (v) => Math.floor(num(v)),
  ceil: (v) => Math.ceil(num(v)),
  round: (v, p) => Number(num(v).toFixed(int(p))),
  seq,
  until: (n) => until(int(n)),
  untilStep: (start, stop, step) => until(int(stop), int(start), int(step)),
  len: (v) => (typeof v === "string" || Array.isArray(v) ? v.length : record(v) ? Object.keys(v as object).length : 0),
  // lists
  list: (...a) => a.map(plain),
  tuple: (...a) => a.map(plain),
  first: (l) => list(l)[0] ?? null,
  last: (l) => list(l).at(-1) ?? null,
  rest: (l) => list(l).slice(1),
  initial: (l) => list(l).slice(0, -1),
  append: (l, v) => [...list(l), plain(v)],
  push: (l, v) => [...list(l), plain(v)],
  prepend: (l, v) => [plain(v), ...list(l)],
  concat: (...ls) => ls.flatMap(list),
  reverse: (l) => [...list(l)].reverse(),
  uniq: (l) => list(l).filter((x, i, all) => all.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i),
  without: (l, ...out) => list(l).filter((x) => !out.some((o) => JSON.stringify(o) === JSON.stringify(x))),
  has: (v, l) => list(l).some((x) => JSON.stringify(x) === JSON.stringify(plain(v))),
  compact: (l) => list(l).filter(truthy),
  sortAlpha: (l) => list(l).map(text).sort(),
  slice: (l, ...ix) => (typeof l === "string" ? l.slice(...ix.map(int)) : list(l).slice(...ix.map(int))),
  index: (collection, ...keys) => {
    let node = collection;
    for (const k of keys) {
      if (Array.isArray(node) && typeof k === "number") {
        if (k < 0 || k >= node.length) throw new TemplateError(`index out of range: ${k}`);
        node = node[k];
      } else if (record(node) && typeof k === "string") node = Object.hasOwn(node as object, k) ? (node as Record<string, unknown>)[k] : NO_VALUE;
      else if (node === NO_VALUE || node === null) return NO_VALUE;
      else throw new TemplateError(`cannot index ${print(node)} with ${print(k)}`);
    }
    return node === undefined ? NO_VALUE : node;
  },
  // dictionaries
  dict: (...a) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < a.length; i += 2) out[text(a[i])] = i + 1 < a.length ? plain(a[i + 1]) : "";
    return out;
  },
  get: (d, k) => (record(d) && Object.hasOwn(d as object, text(k)) ? (d as Record<string, unknown>)[text(k)] : ""),
  set: (d, k, v) => Object.assign(record(d) ?? {}, { [text(k)]: plain(v) }),
  unset: (d, k) => {
    const r = record(d) ?? {};
    delete r[text(k)];
    return r;
  },
  hasKey: (d, k) => (record(d) ? Object.hasOwn(d as object, text(k)) : false),
  keys: (...ds) => ds.flatMap((d) => Object.keys(record(d) ?? {})),
  values: (d) => Object.values(record(d) ?? {}),
  pluck: (k, ...ds) => ds.map(record).filter((d) => d && Object.hasOwn(d, text(k))).map((d) => d![text(k)]),
  pick: (d, ...ks) => Object.fromEntries(Object.entries(record(d) ?? {}).filter(([k]) => ks.map(text).includes(k))),
  omit: (d, ...ks) => Object.fromEntries(Object.entries(record(d) ?? {}).filter(([k]) => !ks.map(text).includes(k))),
  dig,
  merge: (dst, ...srcs) => srcs.reduce<Record<string, unknown>>((out, s) => deepMerge(out, record(s) ?? {}, false), record(dst) ?? {}),
  mergeOverwrite: (dst, ...srcs) => srcs.reduce<Record<string, unknown>>((out, s) => deepMerge(out, record(s) ?? {}, true), record(dst) ?? {}),
  deepCopy: (v: unknown) => structuredClone(plain(v)),
};

/** Functions that exist in Argo CD but make a different result every time (or ask the system): never evaluated. */
export const NOT_EVALUATED = new Set([
  "now", "date", "dateInZone", "date_in_zone", "dateModify", "date_modify", "htmlDate", "htmlDateInZone", "ago", "duration", "durationRound", "unixEpoch", "toDate", "mustToDate",
  "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randBytes", "randInt", "uuidv4", "shuffle",
  "genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "derivePassword", "bcrypt", "htpasswd", "encryptAES", "decryptAES",
]);

/** Sprig functions Argo CD removes: a template that calls one fails in Argo CD too. */
export const REMOVED = new Set(["env", "expandenv", "getHostByName"]);
