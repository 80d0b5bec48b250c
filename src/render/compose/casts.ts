/**
 * Compose casts the strings of typed fields after interpolation (compose-go
 * loader/interpolate.go, interpolateTypeCastMapping): `privileged: "${PRIV}"` with PRIV=true,
 * `privileged: "true"` and `privileged: yes` (a string in YAML 1.2) all run a privileged
 * container. Without the same casts the review would see a string where Compose applies a
 * boolean, and no rule would notice. A string that does not cast stops Compose; here it is an
 * error naming the field.
 */
import type { InputProblem } from "../../core/ports.js";
import { composeProblem } from "./problems.js";
import { isRecord, isTagged, setKey, Tagged } from "./tagged.js";
import type { KeyLines } from "./yaml-layer.js";

type Cast = { type: string; cast: (s: string) => unknown };

const INT_PATTERN = /^[+-]?\d+$/;
const FLOAT_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const toInt: Cast = { type: "an integer", cast: (s) => (INT_PATTERN.test(s) ? Number(s) : undefined) };
const toFloat: Cast = { type: "a number", cast: (s) => (FLOAT_PATTERN.test(s) ? Number(s) : undefined) };
/** Go's strings.ToLower and the YAML 1.1 words compose-go still accepts (with a warning). */
const toBoolean: Cast = {
  type: "true or false",
  cast: (s) => {
    const v = s.toLowerCase();
    if (v === "true" || v === "y" || v === "yes" || v === "on") return true;
    if (v === "false" || v === "n" || v === "no" || v === "off") return false;
    return undefined;
  },
};

const SERVICE_CASTS: [string, Cast][] = [
  ["cpu_count", toInt],
  ["cpu_percent", toFloat],
  ["cpu_period", toInt],
  ["cpu_quota", toInt],
  ["cpu_rt_period", toInt],
  ["cpu_rt_runtime", toInt],
  ["cpus", toFloat],
  ["cpu_shares", toInt],
  ["init", toBoolean],
  ["depends_on.*.required", toBoolean],
  ["depends_on.*.restart", toBoolean],
  ["deploy.replicas", toInt],
  ["deploy.update_config.parallelism", toInt],
  ["deploy.update_config.max_failure_ratio", toFloat],
  ["deploy.rollback_config.parallelism", toInt],
  ["deploy.rollback_config.max_failure_ratio", toFloat],
  ["deploy.restart_policy.max_attempts", toInt],
  ["deploy.placement.max_replicas_per_node", toInt],
  ["healthcheck.retries", toInt],
  ["healthcheck.disable", toBoolean],
  ["oom_kill_disable", toBoolean],
  ["oom_score_adj", toInt],
  ["pids_limit", toInt],
  ["ports.[].target", toInt],
  ["privileged", toBoolean],
  ["read_only", toBoolean],
  ["scale", toInt],
  ["stdin_open", toBoolean],
  ["tty", toBoolean],
  ["ulimits.*", toInt],
  ["ulimits.*.hard", toInt],
  ["ulimits.*.soft", toInt],
  ["volumes.[].read_only", toBoolean],
  ["volumes.[].volume.nocopy", toBoolean],
];

const TOP_LEVEL_CASTS: [string, Cast][] = [
  ["networks.*.external", toBoolean],
  ["networks.*.internal", toBoolean],
  ["networks.*.attachable", toBoolean],
  ["networks.*.enable_ipv4", toBoolean],
  ["networks.*.enable_ipv6", toBoolean],
  ["volumes.*.external", toBoolean],
  ["secrets.*.external", toBoolean],
  ["configs.*.external", toBoolean],
];

interface Rule {
  /** Path segments still to match: a key, "*" (any key or item) or "[]" (any item). */
  rest: readonly string[];
  cast: Cast;
}

const RULES: Rule[] = [
  ...SERVICE_CASTS.map(([path, cast]) => ({ rest: ["services", "*", ...path.split(".")], cast })),
  ...TOP_LEVEL_CASTS.map(([path, cast]) => ({ rest: path.split("."), cast })),
];

export interface CastContext {
  file: string;
  keyLines: KeyLines;
  problems: InputProblem[];
}

/** The document with typed fields cast; objects are copied where something changed (with their key lines). */
export function castTypedFields(doc: Record<string, unknown>, ctx: CastContext): Record<string, unknown> {
  return castNode(doc, RULES, [], ctx, undefined) as Record<string, unknown>;
}

function castNode(value: unknown, rules: readonly Rule[], path: string[], ctx: CastContext, line: number | undefined): unknown {
  if (isTagged(value)) {
    const inner = castNode(value.value, rules, path, ctx, line);
    return inner === value.value ? value : new Tagged(value.tag, inner);
  }
  const here = rules.find((r) => r.rest.length === 0);
  if (here && typeof value === "string") return castString(value, here.cast, path, ctx, line);
  if (isRecord(value)) return castChildren(value, Object.keys(value), (key) => key, rules, path, ctx);
  if (Array.isArray(value)) return castChildren(value, value.map((_, i) => i), () => "[]", rules, path, ctx);
  return value;
}

function castChildren<T extends Record<string, unknown> | unknown[]>(
  value: T,
  keys: (string | number)[],
  segment: (key: string) => string,
  rules: readonly Rule[],
  path: string[],
  ctx: CastContext,
): T {
  const lines = ctx.keyLines.get(value);
  let out: T | undefined;
  for (const key of keys) {
    const seg = segment(String(key));
    const next = rules.filter((r) => r.rest[0] === seg || r.rest[0] === "*").map((r) => ({ rest: r.rest.slice(1), cast: r.cast }));
    if (next.length === 0) continue;
    const child = (value as Record<string, unknown>)[key];
    const cast = castNode(child, next, [...path, String(key)], ctx, lines?.get(String(key)));
    if (cast === child) continue;
    out ??= copyOf(value, ctx);
    if (Array.isArray(out)) out[key as number] = cast;
    else setKey(out, String(key), cast);
  }
  return out ?? value;
}

function copyOf<T extends Record<string, unknown> | unknown[]>(value: T, ctx: CastContext): T {
  const copy = (Array.isArray(value) ? [...value] : Object.defineProperties({}, Object.getOwnPropertyDescriptors(value))) as T;
  const lines = ctx.keyLines.get(value);
  if (lines) ctx.keyLines.set(copy, lines);
  return copy;
}

function castString(value: string, cast: Cast, path: string[], ctx: CastContext, line: number | undefined): unknown {
  const result = cast.cast(value);
  if (result !== undefined && !Number.isNaN(result)) return result;
  // The value is not quoted: it may have come from .env.
  ctx.problems.push(
    composeProblem("compose/invalid-value", "error", { file: ctx.file, line }, `${path.join(".")} must be ${cast.type} (after interpolation); fix the value`),
  );
  return value;
}
