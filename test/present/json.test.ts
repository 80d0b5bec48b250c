import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/present/index.js";
import type { Report } from "../../src/core/model/report.js";
import { change, finding, report, target } from "./builders.js";

describe("renderJson", () => {
  it("puts keys in a stable order whatever order the report was built in", () => {
    const shuffled = {
      findings: [],
      changes: [],
      targets: [],
      head: { ref: "feature" },
      schemaVersion: 1,
      base: { ref: "main" },
    } as Report;
    expect(renderJson(shuffled)).toBe(
      '{\n  "schemaVersion": 1,\n  "base": {\n    "ref": "main"\n  },\n  "head": {\n    "ref": "feature"\n  },\n' +
        '  "targets": [],\n  "changes": [],\n  "findings": []\n}\n',
    );
  });

  it("keeps later top-level keys after the known ones, sorted by name", () => {
    const withExtras = { risk: { level: "low" }, cost: { monthly: 3 }, ...report() } as Report;
    const keys = Object.keys(JSON.parse(renderJson(withExtras)) as object);
    expect(keys).toEqual(["schemaVersion", "base", "head", "targets", "changes", "findings", "cost", "risk"]);
  });

  it("orders nested target, change and finding keys too", () => {
    const t = target("apps/api");
    const reversedTarget = Object.fromEntries(Object.entries(t).reverse()) as typeof t;
    const c = change("apps/api", "api", { previousName: "old" });
    const reversedChange = Object.fromEntries(Object.entries(c).reverse()) as typeof c;
    const f = finding("r", { file: "a.yaml", line: 3 });
    const reversedFinding = Object.fromEntries(Object.entries(f).reverse()) as typeof f;
    const parsed = JSON.parse(
      renderJson(report({ targets: [reversedTarget], changes: [reversedChange], findings: [reversedFinding] })),
    ) as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(parsed.targets?.[0] ?? {})).toEqual(Object.keys(t));
    expect(Object.keys(parsed.changes?.[0] ?? {})).toEqual([
      "target",
      "action",
      "apiVersion",
      "kind",
      "namespace",
      "name",
      "previousName",
      "summary",
      "diff",
    ]);
    expect(Object.keys(parsed.findings?.[0] ?? {})).toEqual([
      "id",
      "source",
      "ruleId",
      "severity",
      "message",
      "target",
      "file",
      "line",
      "introduced",
    ]);
  });

  it("round-trips the report", () => {
    const r = report({ targets: [target("apps/api")], changes: [change("apps/api", "api")], findings: [finding("r")] });
    expect(JSON.parse(renderJson(r))).toEqual(r);
  });
});
