import { describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { DEFAULT_MAX_LENGTH, renderMarkdown } from "../../src/present/index.js";
import { bigDiff, change, finding, report, target } from "./builders.js";
import { scanFences } from "./markdown-scan.js";

const OMITTED = /_diff omitted: (\d+) lines, too large for the comment; run shipshape check locally_/g;

/** Three huge diffs (120k, 60k and 30k characters) among small ones, the largest in the middle. */
function hugeDiffs(): Report {
  return report({
    targets: [target("apps/api"), target("apps/web"), target("apps/db", { affected: false, status: "unchanged" })],
    changes: [
      change("apps/api", "small-1", { summary: ["replicas: 1 → 2"], diff: bigDiff("small-1", 10) }),
      change("apps/api", "medium", { diff: bigDiff("medium", 1_000) }),
      change("apps/api", "largest", { diff: bigDiff("largest", 2_000) }),
      change("apps/web", "large", { diff: bigDiff("large", 500) }),
      change("apps/web", "small-2", { diff: bigDiff("small-2", 20) }),
    ],
  });
}

describe("renderMarkdown size limit", () => {
  it("cuts the largest diffs first and keeps the smaller ones", () => {
    const md = renderMarkdown(hugeDiffs());
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH);
    const diffs = scanFences(md).fences.map((f) => f.body.split("\n")[0]);
    expect(diffs).toEqual(["--- a/small-1", "--- a/large", "--- a/small-2"]);
    expect([...md.matchAll(OMITTED)].map((m) => m[1])).toEqual(["1003", "2003"]);
    expect(md).toContain("**✂️ Shortened to fit the comment limit of 65000 characters.** Left out:");
    const note = md.slice(md.indexOf("---\n\n**✂️"));
    expect(note).toBe(
      "---\n\n**✂️ Shortened to fit the comment limit of 65000 characters.** Left out:\n\n" +
        "- the diff of Deployment <code>prod/largest</code> in <code>apps/api</code> (2003 lines)\n" +
        "- the diff of Deployment <code>prod/medium</code> in <code>apps/api</code> (1003 lines)\n" +
        "\nRun `shipshape check` locally for the full report.\n",
    );
  });

  it("leaves a report that fits untouched", () => {
    const md = renderMarkdown(hugeDiffs(), { maxLength: 10_000_000 });
    expect(md).not.toContain("diff omitted");
    expect(md).not.toContain("Shortened");
    expect(scanFences(md).fences).toHaveLength(5);
  });

  it("drops change blocks from the largest section once every diff is gone", () => {
    const many = report({
      targets: [target("apps/api"), target("apps/web")],
      changes: [
        ...Array.from({ length: 300 }, (_, i) =>
          change("apps/api", `api-${i}`, { summary: [`summary line ${i} `.padEnd(200, "y")], diff: bigDiff(`api-${i}`, 5) }),
        ),
        change("apps/web", "web", { diff: bigDiff("web", 5) }),
      ],
    });
    const md = renderMarkdown(many, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/_…and \d+ more changes not shown; run shipshape check locally_/);
    expect(md).toMatch(/- \d+ of 300 changes in <code>apps\/api<\/code>\n/);
    expect(md).toContain("<code>apps/web</code>");
    expect(md).toContain("<code>prod/web</code>");
    expect(md.trimEnd().endsWith("Run `shipshape check` locally for the full report.")).toBe(true);
  });

  it("drops finding rows, pre-existing first, when findings alone are too long", () => {
    const findings = Array.from({ length: 400 }, (_, i) =>
      finding(`rule-${i}`, { message: `problem ${i} `.padEnd(150, "z"), introduced: i % 2 === 0 }),
    );
    const md = renderMarkdown(report({ targets: [target("apps/api")], findings }), { maxLength: 30_000 });
    expect(md.length).toBeLessThanOrEqual(30_000);
    expect(md).toContain("- 200 of 200 pre-existing finding rows\n");
    expect(md).toMatch(/- \d+ of 200 new findings\n/);
    expect(md).toContain("<code>rule-0</code>");
  });

  it.each([50, 200, 1_000, 5_000, 20_000, 64_999])("never exceeds maxLength %i", (maxLength) => {
    const r = hugeDiffs();
    r.findings = Array.from({ length: 100 }, (_, i) => finding(`rule-${i}`, { message: "m".repeat(300) }));
    r.targets.push(...Array.from({ length: 200 }, (_, i) => target(`apps/unaffected-${i}`, { affected: false })));
    const md = renderMarkdown(r, { maxLength });
    expect(md.length).toBeLessThanOrEqual(maxLength);
    // The plain cut is for limits too small for any structure, not a cover for miscounting.
    if (maxLength >= 5_000) expect(md).not.toContain("- the end of the comment");
  });

  it("keeps the note listing cuts at the end, even after dropping whole sections", () => {
    const r = report({
      targets: Array.from({ length: 100 }, (_, i) => target(`apps/t-${i}`, { status: "failed", error: "e".repeat(3_000) })),
    });
    const md = renderMarkdown(r, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/- \d+ of 100 target sections: <code>apps\/t-\d+<\/code>/);
    expect(md.trimEnd().endsWith("Run `shipshape check` locally for the full report.")).toBe(true);
    expect(() => scanFences(md)).not.toThrow();
  });

  it("is deterministic when cutting", () => {
    expect(renderMarkdown(hugeDiffs(), { maxLength: 5_000 })).toBe(renderMarkdown(hugeDiffs(), { maxLength: 5_000 }));
  });
});
