/**
 * One validate rule (or one foreach element) the way Kyverno's validator runs it: context,
 * preconditions, then deny, pattern/anyPattern, or foreach (validate_resource.go).
 */
import type { Json, RuleStatus } from "../model.js";
import { matchPattern, type PatternOutcome } from "../pattern/match.js";
import type { ResourceIndex } from "./api-call.js";
import { ConditionError, evaluateConditions } from "./conditions.js";
import { ContextError, loadContext } from "./context.js";
import { validateForEach } from "./foreach.js";
import { hasVariables, substituteAll, substituteString } from "./substitute.js";

export interface Outcome {
  status: RuleStatus;
  message: string;
  /** Dotted path of the offending field inside the resource. */
  path?: string;
}

export interface ValidateEnv {
  ruleName: string;
  /** `validate.message` as written; substituted when a failure is reported. */
  message: string | undefined;
  data: Json;
  resources: () => ResourceIndex;
  nesting: number;
  /** Where `element` lives in the resource (`spec.containers[2]`), when known. */
  elementPath?: string;
}

export interface ValidateSpec {
  context?: unknown;
  preconditions?: unknown;
  pattern?: unknown;
  anyPattern?: unknown;
  deny?: unknown;
  foreach?: unknown;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Context and preconditions of a rule or foreach element: the data to use, or the outcome. */
export function prepare(spec: ValidateSpec, env: ValidateEnv): { data: Json } | { outcome: Outcome } {
  let data = env.data;
  try {
    data = loadContext(spec.context, data, env.resources);
  } catch (err) {
    if (err instanceof ContextError) return { outcome: { status: "error", message: `failed to load context: ${err.message}` } };
    throw err;
  }
  try {
    const pre = evaluateConditions(spec.preconditions, data);
    if (!pre.result) return { outcome: { status: "skip", message: ["preconditions not met", ...pre.messages].join("; ") } };
  } catch (err) {
    return { outcome: { status: "error", message: `failed to evaluate preconditions: ${(err as Error).message}` } };
  }
  return { data };
}

/** Runs a validator; undefined when it has nothing to check (Kyverno's nil response). */
export function runValidator(spec: ValidateSpec, env: ValidateEnv, element: Json | undefined): Outcome | undefined {
  const prepared = prepare(spec, env);
  if ("outcome" in prepared) return prepared.outcome;
  const scoped: ValidateEnv = { ...env, data: prepared.data };
  if (spec.deny !== undefined) return deny(spec.deny, scoped);
  if (spec.pattern !== undefined || spec.anyPattern !== undefined) return patterns(spec, scoped, element);
  if (Array.isArray(spec.foreach)) return validateForEach(spec.foreach, scoped);
  return undefined;
}

export function failureMessage(env: ValidateEnv, extra: string[] = []): string {
  const parts = [env.message ?? "", ...extra].filter((p) => p !== "");
  if (parts.length === 0) return `validation error: rule ${env.ruleName} failed`;
  const text = parts.join("; ");
  try {
    const out = substituteString(text, env.data);
    return typeof out === "string" ? out : JSON.stringify(out);
  } catch {
    return text;
  }
}

function deny(block: unknown, env: ValidateEnv): Outcome {
  const conditions = isObj(block) ? block.conditions : undefined;
  if (conditions === undefined || conditions === null) return { status: "fail", message: failureMessage(env) };
  try {
    const outcome = evaluateConditions(conditions, env.data);
    // Inside foreach, the element that was denied is the best path we know.
    if (outcome.result) return { status: "fail", message: failureMessage(env, outcome.messages), ...(env.elementPath ? { path: env.elementPath } : {}) };
    return { status: "pass", message: `validation rule '${env.ruleName}' passed.` };
  } catch (err) {
    if (err instanceof ConditionError) return { status: "error", message: `failed to check deny conditions: ${err.message}` };
    throw err;
  }
}

export function toDottedPath(slashPath: string, prefix?: string): string {
  let out = prefix ?? "";
  for (const seg of slashPath.split("/").filter((s) => s !== "")) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

function patterns(spec: ValidateSpec, env: ValidateEnv, element: Json | undefined): Outcome {
  const target = element ?? (env.data.request as Json).object;
  const base = element ? env.elementPath : undefined;
  let pattern: unknown;
  let anyPattern: unknown;
  try {
    pattern = spec.pattern !== undefined && hasVariables(spec.pattern) ? substituteAll(spec.pattern, env.data) : spec.pattern;
    anyPattern = spec.anyPattern !== undefined && hasVariables(spec.anyPattern) ? substituteAll(spec.anyPattern, env.data) : spec.anyPattern;
  } catch (err) {
    return { status: "error", message: `variable substitution failed: ${(err as Error).message}` };
  }
  if (spec.pattern !== undefined) return single(matchPattern(target, pattern), env, base);
  if (!Array.isArray(anyPattern)) return { status: "error", message: "failed to deserialize anyPattern, expected type array" };
  const failures: string[] = [];
  const skips: string[] = [];
  let firstPath: string | undefined;
  for (const [i, p] of anyPattern.entries()) {
    const r = matchPattern(target, p);
    if (r.status === "pass") return { status: "pass", message: `validation rule '${env.ruleName}' anyPattern[${i}] passed.` };
    if (r.status === "skip") skips.push(`rule ${env.ruleName}[${i}] skipped: ${r.message}`);
    else if (r.status === "fail") {
      firstPath ??= toDottedPath(r.path, base);
      failures.push(`rule ${env.ruleName}[${i}] failed at path ${r.path}`);
    } else failures.push(`rule ${env.ruleName}[${i}] failed: ${r.message}`);
  }
  if (failures.length === 0 && skips.length > 0) return { status: "skip", message: skips.join(" ") };
  if (failures.length === 0) return { status: "pass", message: `validation rule '${env.ruleName}' passed.` };
  return { status: "fail", message: failureMessage(env), ...(firstPath !== undefined ? { path: firstPath } : {}) };
}

function single(r: PatternOutcome, env: ValidateEnv, base: string | undefined): Outcome {
  switch (r.status) {
    case "pass":
      return { status: "pass", message: `validation rule '${env.ruleName}' passed.` };
    case "skip":
      return { status: "skip", message: r.message };
    case "error":
      return { status: "error", message: `validation error: rule ${env.ruleName} execution error: ${r.message}` };
    case "fail":
      return { status: "fail", message: failureMessage(env), path: toDottedPath(r.path, base) };
  }
}
