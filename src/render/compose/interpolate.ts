/**
 * Compose variable interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR?err}`,
 * `${VAR:+alt}`, nesting, `$$`). Values come only from the lookup the caller builds from
 * the project's `.env` and the target config: never from the process environment, so a
 * pull request cannot make the bot print its own secrets. Error messages never quote the
 * string being expanded: it is often a credential (`DB_PASSWORD: "pa${ss"`); the caller
 * names the file, line and key.
 */

/** Returns the value of a variable, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export type InterpolationResult =
  | { ok: true; value: string; unset: string[] }
  | { ok: false; kind: "required" | "invalid"; message: string; unset: string[] };

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/** Operators in the order they must be tried: the two-character forms first. */
const OPERATORS = [":-", ":?", ":+", "-", "?", "+"] as const;
type Operator = (typeof OPERATORS)[number];

class TemplateError extends Error {
  constructor(
    readonly kind: "required" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

export function interpolate(template: string, lookup: Lookup): InterpolationResult {
  const unset: string[] = [];
  // Fast path: most strings carry no `$` at all.
  if (!template.includes("$")) return { ok: true, value: template, unset };
  try {
    return { ok: true, value: expand(template, lookup, unset), unset };
  } catch (err) {
    if (err instanceof TemplateError) return { ok: false, kind: err.kind, message: err.message, unset };
    throw err;
  }
}

function expand(s: string, lookup: Lookup, unset: string[]): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next === "{") {
      const end = closingBrace(s, i + 2);
      if (end < 0) throw new TemplateError("invalid", 'invalid interpolation: a "${" is never closed by "}"');
      out += braced(s.slice(i + 2, end), lookup, unset);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(s.slice(i + 1))?.[0];
    if (name) {
      out += direct(name, lookup, unset);
      i += 1 + name.length;
      continue;
    }
    // Not a variable reference: Compose keeps the dollar sign as written.
    out += "$";
    i++;
  }
  return out;
}

/** Index of the `}` closing a `${` whose content starts at `from`, or -1. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  let j = from;
  while (j < s.length) {
    if (s[j] === "$" && (s[j + 1] === "$" || s[j + 1] === "{")) {
      if (s[j + 1] === "{") depth++;
      j += 2;
      continue;
    }
    if (s[j] === "}") {
      depth--;
      if (depth === 0) return j;
    }
    j++;
  }
  return -1;
}

function direct(name: string, lookup: Lookup, unset: string[]): string {
  const value = lookup(name);
  if (value !== undefined) return value;
  if (!unset.includes(name)) unset.push(name);
  return "";
}

function braced(inner: string, lookup: Lookup, unset: string[]): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw new TemplateError("invalid", 'invalid interpolation format: "${" must be followed by a variable name');
  const rest = inner.slice(name.length);
  if (rest === "") return direct(name, lookup, unset);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) {
    throw new TemplateError(
      "invalid",
      `invalid interpolation format for variable ${name}: only :-, -, :?, ?, :+ and + are supported`,
    );
  }
  // The operand is expanded only when it is used, like a shell does.
  const operand = (): string => expand(rest.slice(op.length), lookup, unset);
  return apply(op, name, lookup(name), operand, rest.slice(op.length));
}

function apply(op: Operator, name: string, value: string | undefined, operand: () => string, written: string): string {
  const set = value !== undefined;
  const nonEmpty = set && value !== "";
  switch (op) {
    case ":-":
      return nonEmpty ? value : operand();
    case "-":
      return set ? value : operand();
    case ":+":
      return nonEmpty ? operand() : "";
    case "+":
      return set ? operand() : "";
    case ":?":
    case "?": {
      if (op === ":?" ? nonEmpty : set) return value ?? "";
      // The reason as written, not expanded (Compose expands it): expanding could put
      // another variable's value, a password, into the message.
      const reason = written.trim();
      throw new TemplateError("required", `required variable ${name} is missing a value${reason ? `: ${reason}` : ""}`);
    }
  }
}
