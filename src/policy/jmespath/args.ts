/** Argument checks for JMESPath functions, with the error wording of the reference implementation. */
import { JmesPathError } from "./errors.js";
import type { FunctionCallContext } from "./interpreter.js";
import { isExpref, typeOf, type ExpressionRef, type JmesType } from "./values.js";

export function arity(call: FunctionCallContext, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new JmesPathError(`invalid arity: ${call.name}() takes ${expected} argument(s), got ${args.length}`);
  }
}

export function expectType(call: FunctionCallContext, value: unknown, position: number, ...types: JmesType[]): void {
  if (!types.includes(typeOf(value))) {
    throw new JmesPathError(`invalid type for value: ${call.name}() argument ${position + 1} must be ${types.join(" or ")}, got ${typeOf(value)}`);
  }
}

export function str(call: FunctionCallContext, args: unknown[], i: number): string {
  expectType(call, args[i], i, "string");
  return args[i] as string;
}

export function num(call: FunctionCallContext, args: unknown[], i: number): number {
  expectType(call, args[i], i, "number");
  return args[i] as number;
}

export function arr(call: FunctionCallContext, args: unknown[], i: number): unknown[] {
  expectType(call, args[i], i, "array");
  return args[i] as unknown[];
}

export function expref(call: FunctionCallContext, args: unknown[], i: number): ExpressionRef {
  if (!isExpref(args[i])) throw new JmesPathError(`invalid type for value: ${call.name}() argument ${i + 1} must be an expression (&expr)`);
  return args[i] as ExpressionRef;
}

/** Every element is a number, or every element is a string (for sort, max, min...). */
export function homogeneous(call: FunctionCallContext, values: unknown[], i: number): "number" | "string" | "empty" {
  if (values.length === 0) return "empty";
  const first = typeOf(values[0]);
  if (first !== "number" && first !== "string") throw new JmesPathError(`invalid type for value: ${call.name}() argument ${i + 1} must hold numbers or strings`);
  for (const v of values) {
    if (typeOf(v) !== first) throw new JmesPathError(`invalid type for value: ${call.name}() argument ${i + 1} mixes types`);
  }
  return first;
}
