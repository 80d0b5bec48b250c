import { describe, expect, it } from "vitest";
import { readJsonStream } from "../../src/yaml/json-stream.js";
import { readLikeKubectl } from "../../src/yaml/kubectl-reading.js";
import { splitLikeKubectl } from "../../src/yaml/kubectl-split.js";

const pieces = (text: string) => {
  const s = splitLikeKubectl(text);
  return s.pieces.map((p) => [p.contentLine, s.text.slice(p.start, p.end)]);
};

describe("kubectl's document split", () => {
  // Checked with kubectl 1.32: `kubectl label --local -f FILE a=b -o name`.
  it.each([
    ["---", "valid"],
    ["--- # comment", "valid"],
    ["---#comment", "valid"],
    ["---   ", "valid"],
    ["---\t", "valid"],
    ["---\u00a0", "valid"],
    ["---\r", "valid"],
    ["----", "invalid"],
    ["--- x", "invalid"],
    ["--- {a: 1}", "invalid"],
    [" ---", "none"],
    ["...", "none"],
    ["\ufeff---", "none"],
  ])("reads the line %j as a separator: %s", (line, expected) => {
    const s = splitLikeKubectl(`a: 1\n${line}\nb: 2\n`);
    const kind = s.problems.some((p) => p.kind === "separator") ? "invalid" : s.pieces.length === 2 ? "valid" : "none";
    expect(kind).toBe(expected);
  });

  it("keeps the file's line numbers and leaves out separator lines and empty pieces", () => {
    expect(pieces("---\n# only a comment\n---\na: 1\n---#\n\nb: 2\r\n--- \n")).toEqual([
      [4, "a: 1\n"],
      [7, "\nb: 2\r\n"],
    ]);
  });

  it("stops where kubectl stops reading, saying which line and what to do", () => {
    const s = splitLikeKubectl("a: 1\n----\nb: 2\n");
    expect(s.pieces.map((p) => s.text.slice(p.start, p.end))).toEqual(["a: 1\n"]);
    expect(s.problems).toEqual([{ kind: "separator", line: 2, message: expect.stringMatching(/^kubectl refuses this line as a document separator/) }]);
  });

  it("drops the byte-order marks kubectl drops, and reports the others on their line", () => {
    const s = splitLikeKubectl("\ufeff\ufeffa: 1\n---\n\ufeffb: 2\n---\n# c\n\ufeffc: 3\nd: \ufeff4\n");
    expect(s.text).toBe("a: 1\n---\nb: 2\n---\n# c\n\ufeffc: 3\nd: \ufeff4\n");
    expect(s.problems.map((p) => [p.kind, p.line])).toEqual([["byte-order-mark", 6]]);
    expect(s.pieces.map((p) => p.contentLine)).toEqual([1, 3, 6]);
  });

  it("reads a file whose first non-space character is { as JSON, within kubectl's 4096 bytes", () => {
    expect(splitLikeKubectl(' \n\t{"a": 1}').json).toBe(true);
    expect(splitLikeKubectl('\ufeff{"a": 1}').json).toBe(true);
    expect(splitLikeKubectl('# c\n{"a": 1}').json).toBe(false);
    expect(splitLikeKubectl(`${" ".repeat(4096)}{}`).json).toBe(false);
    expect(splitLikeKubectl(`${" ".repeat(4095)}{}`).json).toBe(true);
  });
});

describe("kubectl's reading of a stream", () => {
  it("parses each piece on its own, so YAML cannot join what kubectl cuts", () => {
    const read = readLikeKubectl("a: 1\n---\n!!null |\n---#\nkind: B\n");
    expect(read.docs.map((d) => [d.line, d.value])).toEqual([
      [1, { a: 1 }],
      [5, { kind: "B" }],
    ]);
    expect(read.problems).toEqual([]);
  });

  it("keeps only the first document of a piece, as go-yaml does, and says where the next one starts", () => {
    const read = readLikeKubectl("a: 1\n...\nb: 2\n");
    expect(read.docs.map((d) => d.value)).toEqual([{ a: 1 }]);
    expect(read.problems).toEqual([{ kind: "ambiguous", line: 3, message: expect.stringMatching(/^a second YAML document starts here without a --- line/) }]);
  });

  it.each([
    ["a lone carriage return", "a: 1 # c\r  b: 2\n", 1],
    ["U+0085", "x: 1\na: 1 # c\u0085b: 2\n", 2],
    ["U+2028", "a: 1\u2028b: 2\n", 1],
    ["U+2029", "a: '1\u20292'\n", 1],
  ])("reports %s, a line break to go-yaml only", (_name, text, line) => {
    expect(readLikeKubectl(text).problems).toContainEqual({ kind: "ambiguous", line, message: expect.stringContaining("is a line break to kubectl (YAML 1.1)") });
  });

  it("refuses a directive, which kubectl cuts off from its document", () => {
    expect(readLikeKubectl("%YAML 1.1\n---\na: yes\n").problems).toEqual([{ kind: "invalid", line: 1, message: expect.stringContaining("after this directive") }]);
  });

  it("gives the careful parser's errors and merge conflicts the file's lines", () => {
    const read = readLikeKubectl("a: 1\n---\nb: 2\n---\nc: d: e\n---\nm: {x: 2, <<: {x: 1}}\n");
    expect(read.problems.map((p) => [p.kind, p.line])).toEqual([
      ["invalid", 5],
      ["merge-conflict", 7],
    ]);
  });

  it("reads JSON files as a stream of values, skipping nulls and stopping at the first error", () => {
    const read = readLikeKubectl('{"a": 1}\nnull {"b": "}"}\n{"c": 3} x\n{"d": 4}\n');
    expect(read.docs.map((d) => [d.line, d.value])).toEqual([
      [1, { a: 1 }],
      [2, { b: "}" }],
      [3, { c: 3 }],
    ]);
    expect(read.problems).toEqual([{ kind: "invalid", line: 3, message: expect.stringMatching(/^invalid JSON \(kubectl reads a file that starts with \{/) }]);
  });
});

describe("JSON streams", () => {
  it("finds the end of each value, strings and escapes included", () => {
    const text = '{"a": "\\"}{[", "b": [1, {"c": null}]}  [1,2] "s\\\\" 12 true';
    expect(readJsonStream(text).values.map((v) => v.value)).toEqual([{ a: '"}{[', b: [1, { c: null }] }, [1, 2], "s\\", 12, true]);
  });

  it("stops at a value that is not JSON, where the parser points, without quoting the file", () => {
    expect(readJsonStream('{"a": 1}\n{a: 1}')).toMatchObject({ values: [{ value: { a: 1 }, start: 0, end: 8 }], error: { offset: 10 } });
    const error = readJsonStream('{"password": "hunter2" x}').error;
    expect(error?.offset).toBe(23);
    expect(error?.message).not.toContain("hunter2");
  });
});
