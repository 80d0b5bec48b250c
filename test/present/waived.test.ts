import { describe, expect, it } from "vitest";
import { renderJson, renderMarkdown, renderText } from "../../src/present/index.js";
import { finding, report, target } from "./builders.js";

const waived = finding("policy/require-probes/check", {
  severity: "error",
  message: "needs probes",
  introduced: true,
  waived: { reason: "batch worker", source: "config", where: ".github/shipshape.yml:9", expires: "2027-06-30" },
});
const live = finding("policy/disallow-latest-tag/check", { severity: "warning", message: "pin the tag", introduced: true });
const r = report({ targets: [target("apps")], findings: [waived, live] });

describe("waived findings", () => {
  it("are shown with their reason and where the waiver is, and not counted as failing", () => {
    const md = renderMarkdown(r);
    expect(md).toContain("| Findings | 1 |");
    expect(md).toContain("| Waived findings | 1 | shown below, not failing the check |");
    expect(md).toContain("needs probes — 🔕 _waived: batch worker (.github/shipshape.yml:9, until 2027-06-30)_");
    const text = renderText(r);
    expect(text).toContain("(waived: batch worker — .github/shipshape.yml:9)");
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/findings: 1 warning \(1 waived\)$/);
  });

  it("keep their waiver in JSON, after introduced", () => {
    const json = JSON.parse(renderJson(r)) as { findings: Record<string, unknown>[] };
    const keys = Object.keys(json.findings.find((f) => f.ruleId === "policy/require-probes/check")!);
    expect(keys.slice(-2)).toEqual(["introduced", "waived"]);
  });
});
