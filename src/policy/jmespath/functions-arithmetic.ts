/**
 * Kyverno's arithmetic functions (add, subtract, multiply, divide, modulo, sum, round). Operands
 * are numbers, Kubernetes quantities ("500m", "1Gi") or Go durations ("1h"), like Kyverno:
 * a string is read as a quantity first, then as a duration.
 */
import { arity, arr, num } from "./args.js";
import { JmesPathError } from "./errors.js";
import type { FunctionCallContext, JmesFunction } from "./interpreter.js";
import { formatDuration, parseDuration } from "../values/duration.js";
import { formatQuantity, parseQuantity, quantityFromNumber, quantityToNumber, type Quantity } from "../values/quantity.js";

type Operand = { kind: "scalar"; n: number } | { kind: "quantity"; q: Quantity } | { kind: "duration"; ns: number };

function operand(call: FunctionCallContext, v: unknown): Operand {
  if (typeof v === "number") return { kind: "scalar", n: v };
  if (typeof v === "string") {
    const q = parseQuantity(v);
    if (q) return { kind: "quantity", q };
    const d = parseDuration(v);
    if (d !== undefined) return { kind: "duration", ns: d };
  }
  throw new JmesPathError(`invalid type for value: ${call.name}() expects numbers, quantities or durations`);
}

function invalid(call: FunctionCallContext): never {
  throw new JmesPathError(`invalid operands for ${call.name}()`);
}

function addOrSubtract(call: FunctionCallContext, a: Operand, b: Operand, sign: 1 | -1): unknown {
  if (a.kind === "scalar" && b.kind === "scalar") return a.n + sign * b.n;
  if (a.kind === "duration" && b.kind === "duration") return formatDuration(a.ns + sign * b.ns);
  if (a.kind === "quantity" && b.kind === "quantity") {
    const e = Math.min(a.q.exp10, b.q.exp10);
    const x = a.q.mantissa * 10n ** BigInt(a.q.exp10 - e);
    const y = b.q.mantissa * 10n ** BigInt(b.q.exp10 - e);
    const format = a.q.format === "binary" || b.q.format === "binary" ? "binary" : "decimal";
    return formatQuantity({ mantissa: sign === 1 ? x + y : x - y, exp10: e, format });
  }
  return invalid(call);
}

function multiply(call: FunctionCallContext, a: Operand, b: Operand): unknown {
  if (a.kind === "scalar" && b.kind === "scalar") return a.n * b.n;
  const [other, scalar] = a.kind === "scalar" ? [b, a.n] : b.kind === "scalar" ? [a, b.n] : [undefined, 0];
  if (!other) return invalid(call);
  if (other.kind === "duration") return formatDuration(other.ns * scalar);
  if (other.kind === "quantity") return formatQuantity(quantityFromNumber(quantityToNumber(other.q) * scalar, other.q.format));
  return invalid(call);
}

function divide(call: FunctionCallContext, a: Operand, b: Operand): unknown {
  const divisor = b.kind === "scalar" ? b.n : b.kind === "duration" ? b.ns : quantityToNumber(b.q);
  if (divisor === 0) throw new JmesPathError(`${call.name}(): division by zero`);
  if (a.kind === "scalar" && b.kind === "scalar") return a.n / divisor;
  if (a.kind === "duration" && b.kind === "duration") return a.ns / divisor;
  if (a.kind === "quantity" && b.kind === "quantity") return quantityToNumber(a.q) / divisor;
  if (a.kind === "duration" && b.kind === "scalar") return formatDuration(a.ns / divisor);
  if (a.kind === "quantity" && b.kind === "scalar") return formatQuantity(quantityFromNumber(quantityToNumber(a.q) / divisor, a.q.format));
  return invalid(call);
}

function modulo(call: FunctionCallContext, a: Operand, b: Operand): unknown {
  const ints = (x: number, y: number) => {
    if (!Number.isInteger(x) || !Number.isInteger(y)) throw new JmesPathError(`${call.name}(): operands must be integers`);
    if (y === 0) throw new JmesPathError(`${call.name}(): division by zero`);
    return x % y;
  };
  if (a.kind === "scalar" && b.kind === "scalar") return ints(a.n, b.n);
  if (a.kind === "duration" && b.kind === "duration") return formatDuration(ints(a.ns, b.ns));
  if (a.kind === "quantity" && b.kind === "quantity") {
    return formatQuantity(quantityFromNumber(ints(quantityToNumber(a.q), quantityToNumber(b.q)), a.q.format));
  }
  return invalid(call);
}

function binary(fn: (call: FunctionCallContext, a: Operand, b: Operand) => unknown): JmesFunction {
  return (args, call) => {
    arity(call, args, 2);
    return fn(call, operand(call, args[0]), operand(call, args[1]));
  };
}

export const arithmeticFunctions: Record<string, JmesFunction> = {
  add: binary((call, a, b) => addOrSubtract(call, a, b, 1)),
  subtract: binary((call, a, b) => addOrSubtract(call, a, b, -1)),
  multiply: binary(multiply),
  divide: binary(divide),
  modulo: binary(modulo),
  sum: (args, call) => {
    arity(call, args, 1);
    const items = arr(call, args, 0);
    if (items.length === 0) throw new JmesPathError("sum(): at least one element is required");
    let total: unknown = items[0];
    for (const item of items.slice(1)) total = addOrSubtract(call, operand(call, total), operand(call, item), 1);
    if (typeof total === "string" && items.length === 1) operand(call, total);
    return total;
  },
  round: (args, call) => {
    arity(call, args, 2);
    const digits = num(call, args, 1);
    if (!Number.isInteger(digits) || digits < 0) throw new JmesPathError("round(): digits must be a non-negative integer");
    const factor = 10 ** digits;
    return Math.round(num(call, args, 0) * factor) / factor;
  },
};

