/**
 * What Kyverno's `validate.cel` and ValidatingPolicy share: compiled variables, conditions and
 * validations (expression, message, messageExpression), and running them against one resource
 * under one budget, so a chain of variables that doubles a string is stopped as well.
 */
import { celMap, isCelError, type CelInput } from "@bufbuild/cel";
import type { Json, RuleStatus } from "../model.js";
import { CLUSTER_DATA_FUNCTIONS, CLUSTER_ONLY_FUNCTIONS } from "./kyverno-library.js";
import { chargeValue, compileCel, createBudget, type CelBudget, type CelProgram } from "./environment.js";

export interface CompiledValidation {
  program: CelProgram;
  message?: string;
  messageExpression?: CelProgram;
}

export interface CompiledExpressions {
  variables: { name: string; program: CelProgram }[];
  conditions: { name: string; program: CelProgram }[];
  validations: CompiledValidation[];
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function list(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** Compiles the blocks; throws naming the expression that is not valid CEL. */
export function compileExpressions(variables: unknown, conditions: unknown, validations: unknown): CompiledExpressions {
  const compile = (what: string, text: unknown): CelProgram => {
    if (typeof text !== "string") throw new Error(`${what} has no expression`);
    try {
      return compileCel(text);
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    }
  };
  return {
    variables: list(variables).map((v, i) => ({ name: String(v.name ?? ""), program: compile(`variables[${i}] (${String(v.name ?? "")})`, v.expression) })),
    conditions: list(conditions).map((c, i) => ({ name: String(c.name ?? ""), program: compile(`matchConditions[${i}] (${String(c.name ?? "")})`, c.expression) })),
    validations: list(validations).map((v, i) => ({
      program: compile(`validations[${i}]`, v.expression),
      ...(typeof v.message === "string" ? { message: v.message } : {}),
      ...(typeof v.messageExpression === "string" ? { messageExpression: compile(`validations[${i}].messageExpression`, v.messageExpression) } : {}),
    })),
  };
}

/**
 * Bindings that only a cluster can answer: `authorizer` / `authorizer.requestResource` ask the
 * API server's authorizer about the requester (SubjectAccessReview). A rule that uses them is
 * reported as unsupported with this reason rather than failing on an unbound variable.
 */
const CLUSTER_ONLY: Record<string, string> = {
  authorizer: "the expression uses `authorizer` (the cluster's authorization checks for the requester), which needs a cluster; not evaluated offline",
};

function programsOf(compiled: CompiledExpressions): CelProgram[] {
  return [
    ...compiled.variables.map((v) => v.program),
    ...compiled.conditions.map((c) => c.program),
    ...compiled.validations.flatMap((v) => (v.messageExpression ? [v.program, v.messageExpression] : [v.program])),
  ];
}

/** Why these expressions can never be evaluated offline, or undefined when they can. */
export function clusterOnlyReason(compiled: CompiledExpressions): string | undefined {
  const programs = programsOf(compiled);
  for (const [name, reason] of Object.entries(CLUSTER_ONLY)) if (programs.some((p) => p.identifiers.has(name))) return reason;
  for (const [fn, reason] of Object.entries(CLUSTER_ONLY_FUNCTIONS)) if (programs.some((p) => p.functions.has(fn))) return reason;
  return undefined;
}

/**
 * Why these expressions cannot run without cluster data (`resource.Get`, `image.GetMetadata`...),
 * or undefined when they need none.
 */
export function clusterDataReason(compiled: CompiledExpressions): string | undefined {
  const used = [...CLUSTER_DATA_FUNCTIONS].filter((fn) => programsOf(compiled).some((p) => p.functions.has(fn)));
  return used.length > 0 ? `the expressions use ${used.join(", ")}, which read the cluster (or image registries); not evaluated offline without cluster data` : undefined;
}

export interface ExpressionOutcome {
  status: RuleStatus;
  message: string;
  /** Set on an error caused by our cost or time limit rather than by the expression itself. */
  limited?: true;
}

/**
 * Variables (in order; one that fails is left out, so using it fails), then the conditions
 * (any false: skip), then the validations (the first false: fail with its message).
 */
export function runExpressions(compiled: CompiledExpressions, base: Record<string, CelInput>, passMessage: string, budget: CelBudget = createBudget()): ExpressionOutcome {
  const out = runAll(compiled, base, passMessage, budget);
  return out.status === "error" && budget.exceeded ? { ...out, limited: true } : out;
}

function runAll(compiled: CompiledExpressions, base: Record<string, CelInput>, passMessage: string, budget: CelBudget): ExpressionOutcome {
  const variables = new Map<string, CelInput>();
  const bindings: Record<string, CelInput> = { ...base, variables: celMap(variables) };
  try {
    for (const v of compiled.variables) {
      const out = v.program.run(bindings, budget);
      if (budget.exceeded) return { status: "error", message: `variable ${v.name}: ${budget.exceeded}` };
      if (!out.ok) continue;
      variables.set(v.name, out.value);
      chargeValue(out.value, budget);
      bindings.variables = celMap(variables);
    }
  } catch (err) {
    return { status: "error", message: (err as Error).message };
  }
  for (const c of compiled.conditions) {
    const out = c.program.run(bindings, budget);
    if (!out.ok) return { status: "error", message: `match condition ${c.name} failed: ${out.error}` };
    if (out.value !== true) return { status: "skip", message: `match condition ${c.name} is not met` };
  }
  for (const v of compiled.validations) {
    const out = v.program.run(bindings, budget);
    if (!out.ok) return { status: "error", message: `expression '${v.program.source}' failed: ${out.error}` };
    if (typeof out.value !== "boolean") return { status: "error", message: `expression '${v.program.source}' did not return a bool` };
    if (out.value) continue;
    return { status: "fail", message: failureMessage(v, bindings, budget) };
  }
  return { status: "pass", message: passMessage };
}

function failureMessage(v: CompiledValidation, bindings: Record<string, CelInput>, budget: CelBudget): string {
  if (v.messageExpression) {
    const out = v.messageExpression.run(bindings, budget);
    if (out.ok && !isCelError(out.value) && typeof out.value === "string" && out.value.trim() !== "") return out.value;
  }
  if (v.message) return v.message;
  return `failed expression: ${v.program.source}`;
}
