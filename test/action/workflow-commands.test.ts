import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { annotation, appendOutputs, appendSummary, escapeData, escapeProperty, formatCommand, formatOutput, maskCommand, plainText } from "../../action/src/workflow-commands.js";

describe("escaping", () => {
  it.each([
    ["plain", "plain", "plain"],
    ["100%", "100%25", "100%25"],
    ["a\r\nb", "a%0D%0Ab", "a%0D%0Ab"],
    ["k: v, w", "k: v, w", "k%3A v%2C w"],
    ["%0A", "%250A", "%250A"],
  ])("%j", (input, data, property) => {
    expect(escapeData(input)).toBe(data);
    expect(escapeProperty(input)).toBe(property);
  });
});

describe("commands", () => {
  it("formats annotations with file, line and title", () => {
    expect(annotation("error", "bad\nthing: 50%", { file: "a,b.yaml", line: 12, title: "Shipshape: x/y" })).toBe(
      "::error file=a%2Cb.yaml,line=12,title=Shipshape%3A x/y::bad%0Athing: 50%25\n",
    );
    expect(annotation("notice", "n")).toBe("::notice::n\n");
    expect(annotation("warning", "w", { file: "f.yaml" })).toBe("::warning file=f.yaml::w\n");
  });

  it("masks a secret and groups", () => {
    expect(maskCommand("s3cr%t")).toBe("::add-mask::s3cr%25t\n");
    expect(formatCommand("group", {}, "Shipshape report")).toBe("::group::Shipshape report\n");
  });
});

describe("plain text in the log", () => {
  it("cannot start a command, indented or not, nor hold the legacy form", () => {
    const text = "report\n::error file=a::forged\n    ::stop-commands::x\nvalue ##[set-output name=a;]b\n";
    const out = plainText(text);
    for (const line of out.split("\n")) {
      expect(line.trimStart().startsWith("::")).toBe(false);
      expect(line).not.toContain("##[");
    }
    // Only zero-width spaces were added: a reader sees the same text.
    expect(out.replace(/\u200b/g, "")).toBe(text);
  });
});

describe("the GITHUB_OUTPUT file", () => {
  it("writes a heredoc per output with a delimiter the value cannot contain", () => {
    expect(formatOutput("cost-delta", "+62.11 USD", "ghadelimiter_X")).toBe("cost-delta<<ghadelimiter_X\n+62.11 USD\nghadelimiter_X\n");
    expect(() => formatOutput("x", "a\nghadelimiter_X\nb", "ghadelimiter_X")).toThrow(/delimiter/);
  });

  it("appends outputs and the summary to their files, each delimiter random", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shipshape-wc-"));
    try {
      const out = join(dir, "output");
      await appendOutputs(out, { "risk-level": "high", findings: "multi\nline" });
      const text = await readFile(out, "utf8");
      const match = /^risk-level<<(ghadelimiter_[0-9a-f-]{36})\nhigh\n\1\nfindings<<(ghadelimiter_[0-9a-f-]{36})\nmulti\nline\n\2\n$/.exec(text);
      expect(match, text).not.toBeNull();
      expect(match![1]).not.toBe(match![2]);
      const summary = join(dir, "summary");
      await appendSummary(summary, "## One");
      await appendSummary(summary, "## Two\n");
      expect(await readFile(summary, "utf8")).toBe("## One\n## Two\n");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
