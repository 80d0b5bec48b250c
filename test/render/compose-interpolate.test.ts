import { describe, expect, test } from "vitest";
import { parseDotenv } from "../../src/render/compose/dotenv.js";
import { interpolate } from "../../src/render/compose/interpolate.js";

const vars = new Map([
  ["SET", "value"],
  ["EMPTY", ""],
]);
const lookup = (name: string) => vars.get(name);

describe("interpolate", () => {
  test.each([
    ["$SET", "value", []],
    ["${SET}", "value", []],
    ["pre-$SET.post", "pre-value.post", []],
    ["${SET}${SET}x", "valuevaluex", []],
    ["$UNSET", "", ["UNSET"]],
    ["${UNSET}", "", ["UNSET"]],
    ["${SET:-d}", "value", []],
    ["${EMPTY:-d}", "d", []],
    ["${UNSET:-d}", "d", []],
    ["${EMPTY-d}", "", []],
    ["${UNSET-d}", "d", []],
    ["${SET-d}", "value", []],
    ["${SET:?err}", "value", []],
    ["${EMPTY?err}", "", []],
    ["${SET:+alt}", "alt", []],
    ["${EMPTY:+alt}", "", []],
    ["${UNSET:+alt}", "", []],
    ["${EMPTY+alt}", "alt", []],
    ["${UNSET+alt}", "", []],
    ["$$SET", "$SET", []],
    ["$${SET}", "${SET}", []],
    ["a $$ b", "a $ b", []],
    ["cost: $5", "cost: $5", []],
    ["trailing $", "trailing $", []],
    ["${UNSET:-${SET}}", "value", []],
    ["${UNSET:-${ALSO:-deep}}", "deep", []],
    ["${UNSET:-a-${SET}-b}", "a-value-b", []],
    ["${UNSET:-$$literal}", "$literal", []],
    ["${UNSET:-${NESTED}}", "", ["NESTED"]],
    // Operands are only expanded when used: no warning for the unused default.
    ["${SET:-${NEVER}}", "value", []],
    ["no variables here", "no variables here", []],
  ])("%s → %j", (template, value, unset) => {
    expect(interpolate(template, lookup)).toEqual({ ok: true, value, unset });
  });

  test.each([
    ["${EMPTY:?must be set}", "required", "required variable EMPTY is missing a value: must be set"],
    ["${UNSET:?}", "required", "required variable UNSET is missing a value"],
    // The reason as written: expanding it could show another variable's value.
    ["${UNSET?boom ${SET}}", "required", "required variable UNSET is missing a value: boom ${SET}"],
    ["${VAR/foo/bar}", "invalid", "invalid interpolation format for variable VAR: only :-, -, :?, ?, :+ and + are supported"],
    ["${}", "invalid", 'invalid interpolation format: "${" must be followed by a variable name'],
    ["${SET", "invalid", 'invalid interpolation: a "${" is never closed by "}"'],
  ])("%s fails (%s)", (template, kind, message) => {
    expect(interpolate(template, lookup)).toMatchObject({ ok: false, kind, message });
  });
});

describe("parseDotenv", () => {
  const text = [
    "# a comment",
    "A=1",
    "export B=two",
    "C = spaced",
    'D="double ${A}\\nnext"',
    "E='single ${A} \\n'",
    "F=unquoted # comment",
    "G=hash#inside",
    'H="quoted" # trailing comment',
    "I=",
    "J: yaml-style",
    "K=${A}-${UNDEFINED:-def}",
    'L="multi',
    'line"',
    "M",
    "N='it\\'s'",
    'O="price \\$5 and $$6"',
    "",
  ].join("\n");

  test("follows Compose's dotenv rules", () => {
    const { values, error } = parseDotenv(text, (name) => (name === "M" ? "inherited" : undefined));
    expect(error).toBeUndefined();
    expect(Object.fromEntries(values)).toEqual({
      A: "1",
      B: "two",
      C: "spaced",
      D: "double 1\nnext",
      E: "single ${A} \\n",
      F: "unquoted",
      G: "hash#inside",
      H: "quoted",
      I: "",
      J: "yaml-style",
      K: "1-def",
      L: "multi\nline",
      M: "inherited",
      N: "it's",
      O: "price $5 and $6",
    });
  });

  test("reads what compose-go reads where the rules are easy to get wrong", () => {
    const { values, error } = parseDotenv('P=safe\t#,debug\nQ=\u00a0"quoted"\nR="\\0101\\012\\c"\n');
    expect(error).toBeUndefined();
    // Only " #" starts a comment; a quote after a non-breaking space still quotes; \0NN needs three octal digits.
    expect(Object.fromEntries(values)).toEqual({ P: "safe\t#,debug", Q: "quoted", R: "A\\12\\c" });
  });

  test("a bare key with nothing to inherit is left out", () => {
    expect(Object.fromEntries(parseDotenv("M\nA=1").values)).toEqual({ A: "1" });
  });

  test("the lookup (target config) wins over earlier values in ${} references", () => {
    const { values } = parseDotenv("A=file\nB=${A}", (name) => (name === "A" ? "config" : undefined));
    expect(values.get("B")).toBe("config");
  });

  test.each([
    ["A=1\nBAD KEY=1", 2, "a variable name cannot contain a space"],
    ["A=1\n\nB=\"unterminated\n", 3, 'unterminated quoted value of B: the " opened on this line is never closed'],
    ["A$=1", 1, 'unexpected character "$" in a variable name'],
    ["A='x' trailing", 1, "unexpected text after the quoted value of A; only a # comment may follow"],
  ])("reports %j at line %i", (input, line, message) => {
    const { error } = parseDotenv(input);
    expect(error?.line).toBe(line);
    expect(error?.message).toContain(message);
  });
});
