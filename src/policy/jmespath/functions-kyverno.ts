/**
 * The custom JMESPath functions Kyverno adds (string, regex, encoding, object and label
 * helpers). Functions that need the network or a clock we cannot trust offline are absent on
 * purpose: calling them is an error the engine reports, never a silent pass.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { parse as parseYaml } from "yaml";
import { arity, arr, expectType, num, str } from "./args.js";
import { JmesPathError } from "./errors.js";
import type { JmesFunction } from "./interpreter.js";
import { goRegex, goReplacement } from "../values/go-regex.js";
import { goSprint } from "../values/go-format.js";
import { wildcardMatch } from "../values/wildcard.js";
import { timeFunctions } from "./functions-time.js";
import { semverCompare } from "../values/semver.js";
import { nestsDeeperThan, tooDeepMessage } from "../../yaml/depth.js";

function stringOrNumber(args: unknown[], i: number, name: string): string {
  const v = args[i];
  if (typeof v === "string") return v;
  if (typeof v === "number") return goSprint(v);
  throw new JmesPathError(`invalid type for value: ${name}() argument ${i + 1} must be a string or number`);
}

function parseBool(s: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  throw new JmesPathError(`to_boolean(): cannot parse ${JSON.stringify(s)} as a boolean`);
}

export const kyvernoFunctions: Record<string, JmesFunction> = {
  ...timeFunctions,
  compare: (args, call) => {
    arity(call, args, 2);
    const a = str(call, args, 0);
    const b = str(call, args, 1);
    return a < b ? -1 : a > b ? 1 : 0;
  },
  equal_fold: (args, call) => (arity(call, args, 2), str(call, args, 0).toLowerCase() === str(call, args, 1).toLowerCase()),
  replace: (args, call) => {
    arity(call, args, 4);
    const [s, from, to, n] = [str(call, args, 0), str(call, args, 1), str(call, args, 2), num(call, args, 3)];
    if (n < 0) return s.split(from).join(to);
    let out = s;
    let done = 0;
    let at = 0;
    while (done < n) {
      const i = out.indexOf(from, at);
      if (i === -1) break;
      out = out.slice(0, i) + to + out.slice(i + from.length);
      at = i + to.length;
      done++;
    }
    return out;
  },
  replace_all: (args, call) => (arity(call, args, 3), str(call, args, 0).split(str(call, args, 1)).join(str(call, args, 2))),
  to_upper: (args, call) => (arity(call, args, 1), str(call, args, 0).toUpperCase()),
  to_lower: (args, call) => (arity(call, args, 1), str(call, args, 0).toLowerCase()),
  trim: (args, call) => {
    arity(call, args, 2);
    const s = str(call, args, 0);
    const cut = new Set(str(call, args, 1));
    let a = 0;
    let b = s.length;
    while (a < b && cut.has(s[a]!)) a++;
    while (b > a && cut.has(s[b - 1]!)) b--;
    return s.slice(a, b);
  },
  trim_prefix: (args, call) => {
    arity(call, args, 2);
    const s = str(call, args, 0);
    const p = str(call, args, 1);
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  split: (args, call) => (arity(call, args, 2), str(call, args, 0).split(str(call, args, 1))),
  truncate: (args, call) => {
    arity(call, args, 2);
    const n = num(call, args, 1);
    if (n < 0) throw new JmesPathError("truncate(): length must be non-negative");
    return [...str(call, args, 0)].slice(0, n).join("");
  },
  regex_match: (args, call) => (arity(call, args, 2), goRegex(str(call, args, 0)).test(stringOrNumber(args, 1, call.name))),
  regex_replace_all: (args, call) => {
    arity(call, args, 3);
    return stringOrNumber(args, 1, call.name).replace(goRegex(str(call, args, 0), true), goReplacement(stringOrNumber(args, 2, call.name)));
  },
  regex_replace_all_literal: (args, call) => {
    arity(call, args, 3);
    const replacement = stringOrNumber(args, 2, call.name);
    return stringOrNumber(args, 1, call.name).replace(goRegex(str(call, args, 0), true), () => replacement);
  },
  pattern_match: (args, call) => (arity(call, args, 2), wildcardMatch(str(call, args, 0), stringOrNumber(args, 1, call.name))),
  label_match: (args, call) => {
    arity(call, args, 2);
    expectType(call, args[0], 0, "object");
    expectType(call, args[1], 1, "object");
    const labels = args[1] as Record<string, unknown>;
    return Object.entries(args[0] as Record<string, unknown>).every(([k, v]) => labels[k] === v);
  },
  to_boolean: (args, call) => (arity(call, args, 1), parseBool(str(call, args, 0))),
  base64_decode: (args, call) => {
    arity(call, args, 1);
    const s = str(call, args, 0);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new JmesPathError("base64_decode(): illegal base64 data");
    return Buffer.from(s, "base64").toString("utf8");
  },
  base64_encode: (args, call) => (arity(call, args, 1), Buffer.from(str(call, args, 0), "utf8").toString("base64")),
  sha256: (args, call) => (arity(call, args, 1), createHash("sha256").update(str(call, args, 0)).digest("hex")),
  path_canonicalize: (args, call) => (arity(call, args, 1), posix.normalize(str(call, args, 0)).replace(/(.)\/$/, "$1")),
  parse_json: (args, call) => {
    arity(call, args, 1);
    try {
      return shallow(JSON.parse(str(call, args, 0)), "parse_json");
    } catch (err) {
      if (err instanceof JmesPathError) throw err;
      throw new JmesPathError(`parse_json(): ${(err as Error).message}`);
    }
  },
  parse_yaml: (args, call) => {
    arity(call, args, 1);
    try {
      return shallow(parseYaml(str(call, args, 0), { maxAliasCount: 100 }) ?? null, "parse_yaml");
    } catch (err) {
      if (err instanceof JmesPathError) throw err;
      throw new JmesPathError(`parse_yaml(): ${(err as Error).message}`);
    }
  },
  lookup: (args, call) => {
    arity(call, args, 2);
    expectType(call, args[0], 0, "object", "array");
    if (Array.isArray(args[0])) {
      const i = num(call, args, 1);
      if (!Number.isInteger(i)) throw new JmesPathError("lookup(): index must be an integer");
      return args[0][i] ?? null;
    }
    return (args[0] as Record<string, unknown>)[str(call, args, 1)] ?? null;
  },
  items: (args, call) => {
    arity(call, args, 3);
    expectType(call, args[0], 0, "object", "array");
    const [keyName, valueName] = [str(call, args, 1), str(call, args, 2)];
    if (Array.isArray(args[0])) return args[0].map((v, i) => ({ [keyName]: i, [valueName]: v }));
    const obj = args[0] as Record<string, unknown>;
    return Object.keys(obj)
      .sort()
      .map((k) => ({ [keyName]: k, [valueName]: obj[k] }));
  },
  object_from_lists: (args, call) => {
    arity(call, args, 2);
    const keys = arr(call, args, 0);
    const values = arr(call, args, 1);
    const out: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      if (typeof k === "string") out[k] = values[i] ?? null;
    });
    return out;
  },
  semver_compare: (args, call) => (arity(call, args, 2), semverCompare(str(call, args, 0), str(call, args, 1))),
  is_external_url: (args, call) => {
    arity(call, args, 1);
    try {
      const url = new URL(str(call, args, 0));
      return !/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\])/.test(url.hostname);
    } catch {
      return false;
    }
  },
};

/** A parsed value the interpreter's recursive walks can take (see yaml/depth.ts). */
function shallow(value: unknown, name: string): unknown {
  if (nestsDeeperThan(value)) throw new JmesPathError(`${name}(): the value is ${tooDeepMessage()}`);
  return value;
}
