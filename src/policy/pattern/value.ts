/**
 * One scalar of a validate pattern against one value of the resource, as Kyverno's
 * pkg/engine/pattern does: typed patterns (bool, number, null) compare by type; string patterns
 * carry operators (`|`, `&`, `!`, `>`, `<`, `>=`, `<=`, ranges `a-b` and `a!-b`, wildcards) and
 * compare durations first, then quantities, then strings.
 */
import { parseDuration } from "../values/duration.js";
import { goFixed, goFloatE } from "../values/go-format.js";
import { compareQuantities, parseQuantity } from "../values/quantity.js";
import { wildcardMatch } from "../values/wildcard.js";

export type StringOperator = "" | ">=" | "<=" | "!" | ">" | "<" | "-" | "!-";

const NOT_IN_RANGE = /^(\d+(\.\d+)?)([^-]*)!-(\d+(\.\d+)?)([^-]*)$/;
const IN_RANGE = /^(\d+(\.\d+)?)([^-]*)-(\d+(\.\d+)?)([^-]*)$/;

export function operatorOf(pattern: string): StringOperator {
  if (pattern.length < 2) return "";
  if (pattern.startsWith(">=")) return ">=";
  if (pattern.startsWith("<=")) return "<=";
  if (pattern.startsWith(">")) return ">";
  if (pattern.startsWith("<")) return "<";
  if (pattern.startsWith("!")) return "!";
  if (NOT_IN_RANGE.test(pattern)) return "!-";
  if (IN_RANGE.test(pattern)) return "-";
  return "";
}

export function validateValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === "boolean") return typeof value === "boolean" && value === pattern;
  // Kyverno decodes policy patterns with encoding/json, so every number pattern is a float64.
  if (typeof pattern === "number") return floatPattern(value, pattern);
  if (pattern === null || pattern === undefined) return nilPattern(value);
  if (typeof pattern === "string") return stringPatterns(value, pattern);
  if (Array.isArray(pattern)) return false;
  // A map pattern only checks that the value is a map too.
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function floatPattern(value: unknown, pattern: number): boolean {
  if (typeof value === "number") return value === pattern;
  if (typeof value === "string") {
    const n = Number(value);
    return value.trim() !== "" && !Number.isNaN(n) && n === pattern;
  }
  return false;
}

function nilPattern(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "number") return value === 0;
  if (typeof value === "string") return value === "";
  if (typeof value === "boolean") return !value;
  return false;
}

function stringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  for (const alternative of pattern.split("|")) {
    const trimmed = alternative.trim();
    if (trimmed.split("&").every((part) => stringPattern(value, part.trim()))) return true;
  }
  return false;
}

function stringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === "-") {
    const [left = "", right = ""] = pattern.split("-");
    return stringPattern(value, `>= ${left}`) && stringPattern(value, `<= ${right}`);
  }
  if (op === "!-") {
    const [left = "", right = ""] = pattern.split("!-");
    return stringPattern(value, `< ${left}`) || stringPattern(value, `> ${right}`);
  }
  const operand = pattern.slice(op.length).trim();
  return compareDuration(value, operand, op) || compareQuantity(value, operand, op) || compareString(value, operand, op);
}

function numberToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return "0";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(0) : goFixed(value);
  return undefined;
}

function byOperator(cmp: number, op: StringOperator): boolean {
  switch (op) {
    case "":
      return cmp === 0;
    case "!":
      return cmp !== 0;
    case ">":
      return cmp > 0;
    case "<":
      return cmp < 0;
    case ">=":
      return cmp >= 0;
    case "<=":
      return cmp <= 0;
    default:
      return false;
  }
}

function compareDuration(value: unknown, operand: string, op: StringOperator): boolean {
  const p = parseDuration(operand);
  if (p === undefined) return false;
  const text = numberToString(value);
  if (text === undefined) return false;
  const v = parseDuration(text);
  if (v === undefined) return false;
  return byOperator(Math.sign(v - p), op);
}

function compareQuantity(value: unknown, operand: string, op: StringOperator): boolean {
  const p = parseQuantity(operand);
  if (!p) return false;
  const text = numberToString(value);
  if (text === undefined) return false;
  const v = parseQuantity(text);
  if (!v) return false;
  return byOperator(compareQuantities(v, p), op);
}

function compareString(value: unknown, operand: string, op: StringOperator): boolean {
  if (op !== "" && op !== "!") return false;
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number") text = Number.isInteger(value) ? value.toFixed(0) : goFloatE(value);
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else return false;
  const matched = wildcardMatch(operand, text);
  return op === "!" ? !matched : matched;
}
