import { describe, expect, it } from "vitest";
import { clipText, escapeHtml, escapePlain, escapeMarkdown, fencedBlock, markdownCode, mention } from "../../src/present/markdown/escape.js";
import { scanFences } from "./markdown-scan.js";

describe("escapeMarkdown", () => {
  it.each([
    ["plain text", "apps/api-config", "apps/api-config"],
    ["an HTML tag", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["an entity", "&amp; &#60;", "&amp;amp; &amp;#&#8203;60;"],
    ["emphasis and code", "*a* _b_ `c`", "\\*a\\* \\_b\\_ \\`c\\`"],
    ["a link", "[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"],
    ["a table pipe and math", "a|b $x$", "a\\|b \\$x\\$"],
    ["a newline", "one\ntwo\r\nthree", "one two three"],
    ["a heading start", "# title", "\\# title"],
    ["a list start", "- item", "\\- item"],
    ["an ordered list start", "12. item", "12\\. item"],
    ["leading spaces", "  indented", "&nbsp;&nbsp;indented"],
    ["a mention", "ask @octocat or a@b.c", "ask @&#8203;octocat or a@&#8203;b.c"],
    ["a backslash", "C:\\path", "C:\\\\path"],
    ["a team mention", "cc @org/everyone", "cc @&#8203;org/everyone"],
    ["issue references", "fixes #12, o/r#3 and GH-4", "fixes #&#8203;12, o/r#&#8203;3 and GH&#8203;-4"],
    ["bare URLs", "see https://evil.example and www.evil.example", "see https:&#8203;//evil.example and www&#8203;.evil.example"],
    ["an HTML comment", "<!-- shipshape:finding id=abcdef123456 -->", "&lt;!-- shipshape:finding id=abcdef123456 --&gt;"],
  ])("escapes %s", (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe("escapeHtml", () => {
  it("escapes tags, quotes and mentions and keeps one line", () => {
    expect(escapeHtml(`<b a="1" b='2'>&\n@team`)).toBe("&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp; @&#8203;team");
  });
});

describe("fencedBlock", () => {
  it.each([
    ["no backticks", "+a\n", "```diff\n+a\n```\n"],
    ["a triple-backtick line", "+```\n", "````diff\n+```\n````\n"],
    ["a long run", "+``````x\n", "```````diff\n+``````x\n```````\n"],
    ["no trailing newline", "+a", "```diff\n+a\n```\n"],
  ])("fences content with %s", (_name, content, expected) => {
    expect(fencedBlock(content, "diff")).toBe(expected);
  });

  it("cannot be closed by a fence line inside the content", () => {
    const content = "```\n</details><img src=x onerror=alert(1)>\n````\n";
    const { fences, outside } = scanFences(`before\n\n${fencedBlock(content, "diff")}\nafter\n`);
    expect(fences).toHaveLength(1);
    expect(fences[0]?.body).toBe(content.trimEnd());
    expect(outside).not.toContain("<img");
  });
});

describe("caps and other contexts", () => {
  it("cuts a long name or message and says how long it was", () => {
    expect(clipText("abcdef", 3)).toBe("abc… (6 characters)");
    expect(markdownCode("n".repeat(200_000))).toBe(`<code>${"n".repeat(256)}… (200000 characters)</code>`);
    expect(escapeMarkdown("m".repeat(5000))).toBe(`${"m".repeat(2000)}… (5000 characters)`);
  });

  it("mentions a login without notifying it", () => {
    expect(mention("@octocat")).toBe("@&#8203;octocat");
  });

  it("neutralises plain text with the characters themselves", () => {
    expect(escapePlain("ping @org/all about #1 at https://x <!-- y -->", 100)).toBe("ping @\u200borg/all about #\u200b1 at https:\u200b//x <\u200b!-- y -->");
  });

  it("breaks up HTML comment openers and cuts long lines in code blocks", () => {
    expect(fencedBlock(`+a: "<!-- shipshape:approvals -->"\n+b: ${"x".repeat(1500)}\n`, "diff")).toBe(
      `\`\`\`diff\n+a: "<\u200b!-- shipshape:approvals -->"\n+b: ${"x".repeat(996)}… (1504 characters)\n\`\`\`\n`,
    );
  });
});
