/**
 * Preconditions and deny conditions: `any`/`all` blocks, or the old plain list (all must hold).
 * Keys and values are substituted first; a variable that cannot be resolved is an error,
 * which makes the rule "error" as in Kyverno.
 */
import type { Json } from "../model.js";
import { operatorFor } from "./operators.js";
import { substituteAll } from "./substitute.js";

export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConditionError";
  }
}

export interface ConditionOutcome {
  result: boolean;
  /** `message` fields of the conditions that decided the outcome. */
  messages: string[];
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function evaluateOne(condition: unknown, data: unknown): { value: boolean; message: string } {
  if (!isObj(condition)) throw new ConditionError("a condition must be a mapping with key, operator and value");
  const op = operatorFor(condition.operator);
  if (!op) throw new ConditionError(`unknown condition operator ${JSON.stringify(condition.operator)}`);
  let key: unknown;
  let value: unknown;
  try {
    key = substituteAll(condition.key ?? null, data);
  } catch (err) {
    throw new ConditionError(`failed to substitute variables in condition key: ${(err as Error).message}`);
  }
  try {
    value = substituteAll(condition.value ?? null, data);
  } catch (err) {
    throw new ConditionError(`failed to substitute variables in condition value: ${(err as Error).message}`);
  }
  return { value: op(key, value), message: typeof condition.message === "string" ? condition.message : "" };
}

/**
 * Evaluates a conditions block. `undefined`/null means "no conditions" and holds; an empty
 * `any` list never holds (nothing passed), an empty `all` list always does.
 */
export function evaluateConditions(block: unknown, data: unknown): ConditionOutcome {
  if (block === undefined || block === null) return { result: true, messages: [] };
  if (Array.isArray(block)) {
    for (const c of block) {
      const r = evaluateOne(c, data);
      if (!r.value) return { result: false, messages: r.message ? [r.message] : [] };
    }
    return { result: true, messages: [] };
  }
  if (!isObj(block)) throw new ConditionError("conditions must be a list or a mapping with any/all");
  const trueMessages: string[] = [];
  const falseMessages: string[] = [];
  let anyResult = true;
  if (Array.isArray(block.any)) {
    anyResult = false;
    for (const c of block.any) {
      const r = evaluateOne(c, data);
      if (r.value) {
        anyResult = true;
        if (r.message) trueMessages.push(r.message);
        break;
      }
      if (r.message) falseMessages.push(r.message);
    }
  }
  let allResult = true;
  if (Array.isArray(block.all)) {
    for (const c of block.all) {
      const r = evaluateOne(c, data);
      if (!r.value) {
        allResult = false;
        if (r.message) falseMessages.push(r.message);
        break;
      }
      if (r.message) trueMessages.push(r.message);
    }
  }
  const result = anyResult && allResult;
  return { result, messages: result ? trueMessages : falseMessages };
}
