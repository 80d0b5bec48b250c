import { describe, expect, it } from "vitest";
import { stickyMarkers } from "../../src/github/markers.js";
import { splitComment, splitCommentParts, type CommentPart } from "../../src/github/split.js";

const header = (part: number, total: number) => `[${part}/${total}]\n`;

describe("splitComment: exact small cases", () => {
  const cases: { name: string; markdown: string; limit: number; want: string[] }[] = [
    { name: "fits: one part, header applied", markdown: "hello\n", limit: 20, want: ["[1/1]\nhello\n"] },
    { name: "fits exactly", markdown: "hello\n", limit: 12, want: ["[1/1]\nhello\n"] },
    { name: "empty", markdown: "", limit: 10, want: ["[1/1]\n"] },
    {
      name: "at the blank line between blocks",
      markdown: "alpha\nbeta\n\ngamma\ndelta\nepsilon\n",
      limit: 26,
      want: ["[1/2]\nalpha\nbeta\n\n", "[2/2]\ngamma\ndelta\nepsilon\n"],
    },
    {
      name: "at a line end when the blank line would leave the part less than half full",
      markdown: "a\n\nbbbbbbbb\ncccccccc\ndddddddd\n",
      limit: 26,
      want: ["[1/2]\na\n\nbbbbbbbb\n", "[2/2]\ncccccccc\ndddddddd\n"],
    },
    {
      name: "inside a fence: closed and reopened with its info string",
      markdown: "Changes:\n\n~~~~yaml title=x\nk: 1\nk: 2\nk: 3\nk: 4\n~~~~\n\nDone.\n",
      limit: 40,
      want: ["[1/4]\nChanges:\n\n", "[2/4]\n~~~~yaml title=x\nk: 1\nk: 2\n~~~~\n", "[3/4]\n~~~~yaml title=x\nk: 3\nk: 4\n~~~~\n\n", "[4/4]\nDone.\n"],
    },
    {
      name: "never right after a fence opener",
      markdown: "intro\n\n```diff\n+a\n-b\n+c\n```\n\nend\n",
      limit: 22,
      want: ["[1/5]\nintro\n\n", "[2/5]\n```diff\n+a\n```\n", "[3/5]\n```diff\n-b\n```\n", "[4/5]\n```diff\n+c\n```\n\n", "[5/5]\nend\n"],
    },
    {
      name: "a surrogate pair stays whole",
      markdown: "abc😀def",
      limit: 10,
      want: ["[1/3]\nabc", "[2/3]\n😀de", "[3/3]\nf"],
    },
    {
      name: "a line longer than the limit is cut hard",
      markdown: `${"x".repeat(25)}\nshort\n`,
      limit: 14,
      want: ["[1/4]\nxxxxxxxx", "[2/4]\nxxxxxxxx", "[3/4]\nxxxxxxxx", "[4/4]\nx\nshort\n"],
    },
    {
      name: "a long line is cut after a space near the limit",
      markdown: "aaa bbb ccc ddd eee fff ggg hhh\n",
      limit: 20,
      want: ["[1/3]\naaa bbb ccc ", "[2/3]\nddd eee fff ", "[3/3]\nggg hhh\n"],
    },
    {
      name: "a long line inside a fence: the fence closes on a line of its own",
      markdown: "```\nabcdefghijklmnop\n```\n",
      limit: 24,
      want: ["[1/2]\n```\nabcdefghi\n```\n", "[2/2]\n```\njklmnop\n```\n"],
    },
    {
      name: "trailing blank lines make no part of their own",
      markdown: "one\ntwo\nthree\n\n\n\n\n\n\n\n\n",
      limit: 14,
      want: ["[1/2]\none\ntwo\n", "[2/2]\nthree\n\n\n"],
    },
  ];
  it.each(cases)("$name", ({ markdown, limit, want }) => {
    const parts = splitComment(markdown, { limit, header });
    expect(parts).toEqual(want);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
  });

  it("adds the footer and counts it", () => {
    expect(splitComment("one two three four\n", { limit: 20, header, footer: (i) => `\n(${i})` })).toEqual(["[1/2]\none two \n(1)", "[2/2]\nthree four\n(2)"]);
  });

  it("closes and reopens nested <details>, reusing each summary", () => {
    const diff = Array.from({ length: 20 }, (_, i) => `+line ${i + 1}\n`).join("");
    const markdown = `<details>\n<summary>apps/shop</summary>\n\n<details>\n<summary>Deployment web</summary>\n\n\`\`\`diff\n${diff}\`\`\`\n\n</details>\n\n</details>\n`;
    expect(splitComment(markdown, { limit: 260, header })).toEqual([
      "[1/2]\n<details>\n<summary>apps/shop</summary>\n\n<details>\n<summary>Deployment web</summary>\n\n```diff\n" +
        "+line 1\n+line 2\n+line 3\n+line 4\n+line 5\n+line 6\n+line 7\n+line 8\n+line 9\n+line 10\n+line 11\n+line 12\n+line 13\n+line 14\n+line 15\n" +
        "```\n\n</details>\n\n</details>\n",
      "[2/2]\n<details open>\n<summary>apps/shop (continued)</summary>\n\n<details open>\n<summary>Deployment web (continued)</summary>\n\n```diff\n" +
        "+line 16\n+line 17\n+line 18\n+line 19\n+line 20\n```\n\n</details>\n\n</details>\n",
    ]);
  });

  it("prefers the boundary between sections to a cut inside one", () => {
    const diff = Array.from({ length: 8 }, (_, i) => `+line ${i + 1}\n`).join("");
    const markdown =
      `<details>\n<summary>apps/shop</summary>\n\nTwo changes.\n\n<details>\n<summary>Deployment web</summary>\n\n\`\`\`diff\n${diff}\`\`\`\n\n</details>\n\n` +
      "<details>\n<summary>Service web</summary>\n\nPort 80 → 8080.\n\n</details>\n\n</details>\n";
    expect(splitComment(markdown, { limit: 240, header })).toEqual([
      `[1/2]\n<details>\n<summary>apps/shop</summary>\n\nTwo changes.\n\n<details>\n<summary>Deployment web</summary>\n\n\`\`\`diff\n${diff}\`\`\`\n\n</details>\n\n</details>\n`,
      "[2/2]\n<details open>\n<summary>apps/shop (continued)</summary>\n\n<details>\n<summary>Service web</summary>\n\nPort 80 → 8080.\n\n</details>\n\n</details>\n",
    ]);
  });

  it("ignores <details> inside a fence", () => {
    const markdown = "```html\n<details>\n<summary>x</summary>\n```\n\n" + "line\n".repeat(10);
    expect(splitComment(markdown, { limit: 60, header })).toEqual(["[1/2]\n```html\n<details>\n<summary>x</summary>\n```\n\n", `[2/2]\n${"line\n".repeat(10)}`]);
  });

  it("settles the number of parts when the header grows with it", () => {
    const markdown = Array.from({ length: 60 }, (_, i) => `line ${String(i).padStart(3, "0")}\n`).join("");
    const label = (i: number, n: number) => `Part ${i} of ${n}\n`;
    // "Part 9 of 51\n" leaves room for two lines, "Part 10 of 51\n" for one: 9 × 2 + 42 × 1 lines.
    // The first round, with "of 1", packs 30 parts; the second, with "of 30", 51; the third confirms.
    const parts = splitComment(markdown, { limit: 31, header: label });
    expect(parts.length).toBe(51);
    parts.forEach((part, i) => {
      expect(part.startsWith(label(i + 1, 51))).toBe(true);
      expect(part.length).toBeLessThanOrEqual(31);
    });
    expect(parts[8]).toBe("Part 9 of 51\nline 016\nline 017\n");
    expect(parts[9]).toBe("Part 10 of 51\nline 018\n");
  });

  it("throws a RangeError when the header leaves no room", () => {
    expect(() => splitComment("hello", { limit: 5, header })).toThrow(RangeError);
    expect(() => splitComment("", { limit: 5, header })).toThrow(RangeError);
  });

  it("defaults to GitHub's limit", () => {
    const markdown = `${"a".repeat(40_000)}\n\n${"b".repeat(40_000)}\n`;
    const parts = splitComment(markdown, { header: () => "" });
    expect(parts).toEqual([`${"a".repeat(40_000)}\n\n`, `${"b".repeat(40_000)}\n`]);
  });
});

/** A report shaped like the renderer's, with the awkward cases in it. */
function bigReport(): string {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const word = () => ["web", "api", "😀", "naïve", "~~~", "<details>", "`x`", "replicas: 3", "image: nginx:1.27", "𝕊hip"][Math.floor(random() * 10)]!;
  const out: string[] = ["## Shipshape\n\n**12 targets affected** · 480 changes\n\n| Severity | Count |\n|---|---|\n| error | 3 |\n| warning | 12 |\n\n"];
  for (let t = 0; t < 12; t++) {
    out.push(`<details>\n<summary><code>apps/t${t}</code> · kustomize · 40 changes</summary>\n\n`);
    for (let c = 0; c < 40; c++) {
      out.push(`#### ✏️ Deployment prod/web-${c}\n\n- replicas: 2 → 3\n- image changed\n\n<details>\n<summary>Diff (${c + 5} lines)</summary>\n\n\`\`\`diff\n`);
      for (let l = 0; l < c + 5; l++) out.push(`${random() < 0.5 ? "+" : "-"}  ${Array.from({ length: 1 + Math.floor(random() * 12) }, word).join(" ")}\n`);
      out.push("```\n\n</details>\n\n");
    }
    if (t === 3) out.push("~~~~yaml\n```\nnot a fence here\n```\n" + "key: value\n".repeat(500) + "~~~~\n\n");
    if (t === 5) out.push(`\`\`\`text\n${"QUJD".repeat(25_000)}\n\`\`\`\n\n`);
    if (t === 7) out.push(`${"emoji 😀 ".repeat(10_000)}\n\n`);
    out.push("</details>\n\n");
  }
  out.push("_Generated by Shipshape._\n");
  return out.join("");
}

/** Problems with a part rendered on its own: open fences, unbalanced <details>, split surrogates. */
function markdownProblems(text: string): string[] {
  const problems: string[] = [];
  let fence: { char: string; length: number } | undefined;
  let depth = 0;
  for (const line of text.split("\n")) {
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      continue;
    }
    depth += (line.match(/<details[\s>]/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    if (depth < 0) problems.push("</details> without <details>");
  }
  if (fence) problems.push("fence left open");
  if (depth !== 0) problems.push(`${depth} <details> left open`);
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) problems.push("split surrogate pair");
  return problems;
}

const OPENING = /^(?:<details open>\n<summary>[^\n]*\(continued\)<\/summary>\n\n|(?:`{3,}|~{3,})[^\n]*\n)*$/;
const CLOSING = /^\n?(?:(?:`{3,}|~{3,})\n|\n?<\/details>\n)*$/;
const nonWhitespace = (text: string) => text.replace(/\s+/g, "");

describe("splitComment: a big report", () => {
  const markdown = bigReport();
  const label = (i: number, n: number) => `${stickyMarkers(i, n)}\n_Part ${i} of ${n}_\n\n`;
  const footer = (i: number, n: number) => (i < n ? "\n_Continued in the next comment._\n" : "");

  it("is big enough to need splitting", () => {
    expect(markdown.length).toBeGreaterThan(700_000);
    expect(markdownProblems(markdown)).toEqual([]);
  });

  it.each([65_536, 20_000, 4_000])("limit %i: every part fits, renders on its own and the content comes back", (limit) => {
    const parts: CommentPart[] = splitCommentParts(markdown, { limit, header: label, footer });
    const total = parts.length;
    expect(total).toBeGreaterThan(Math.ceil(markdown.length / limit) - 1);
    parts.forEach((part, i) => {
      const text = part.text;
      expect(text.length).toBeLessThanOrEqual(limit);
      expect(text.startsWith(label(i + 1, total))).toBe(true);
      expect(text.endsWith(footer(i + 1, total))).toBe(true);
      const body = text.slice(label(i + 1, total).length, text.length - footer(i + 1, total).length);
      expect(markdownProblems(body)).toEqual([]);
      // The wrappers are nothing but reopened blocks at the start and closing lines at the end.
      expect(part.opening).toMatch(OPENING);
      expect(part.closing).toMatch(CLOSING);
      expect(body).toBe(part.opening + part.content + part.closing);
    });
    // Concatenated, the parts minus headers, footers and wrappers give the content back.
    const stripped = parts.map((p, i) => {
      const body = p.text.slice(label(i + 1, total).length, p.text.length - footer(i + 1, total).length);
      return body.slice(p.opening.length, body.length - p.closing.length);
    });
    expect(nonWhitespace(stripped.join(""))).toBe(nonWhitespace(markdown));
    expect(stripped.join("")).toBe(markdown);
    // Cuts inside a line happen only for the two lines longer than a part.
    const hardCuts = parts.slice(0, -1).filter((p) => !p.content.endsWith("\n")).length;
    expect(hardCuts).toBeLessThanOrEqual(Math.ceil(100_000 / (limit - 200)) + Math.ceil(90_000 / (limit - 200)));
  });

  it("single part when the report fits", () => {
    const small = "## Shipshape\n\nNo changes.\n";
    expect(splitComment(small, { header: label, footer })).toEqual([`${label(1, 1)}${small}`]);
  });
});
