import { describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { renderText } from "../../src/present/index.js";
import { change, finding, report, target } from "./builders.js";

const small = report({
  targets: [
    target("apps/api", { resources: { base: 3, head: 4 }, durationMs: 1234 }),
    target("apps/web", {
      type: "helm",
      status: "failed",
      renderer: { name: "helm", version: null },
      resources: { base: 2, head: 0 },
      durationMs: 80,
      error: "Error: parse error in values.yaml\nline 3: bad indent",
    }),
    target("apps/db", { affected: false, status: "unchanged", durationMs: 0 }),
  ],
  changes: [
    change("apps/api", "api", { action: "added", summary: ["image: nginx:1.26"], diff: "+kind: Deployment\n" }),
    change("apps/api", "api-cfg-b", { action: "renamed", kind: "ConfigMap", previousName: "api-cfg-a" }),
    change("apps/api", "legacy", { action: "removed", kind: "Service" }),
  ],
  findings: [
    finding("policy/no-latest", { severity: "error", file: "apps/api/deploy.yaml", line: 12, message: "uses :latest" }),
    finding("schema/unknown-field", { severity: "warning", message: "unknown field" }),
    finding("policy/limits", { severity: "warning", introduced: false, message: "no limits", file: "apps/api/x.yaml" }),
  ],
});

describe("renderText", () => {
  it("renders a small report", () => {
    expect(renderText(small)).toBe(
      [
        "Shipshape: main → feature/bump",
        "",
        "TARGET    TYPE       STATUS     RENDERER         RESOURCES  DURATION",
        "apps/api  kustomize  rendered   kustomize 5.4.3  3 → 4      1.2s",
        "apps/web  helm       failed     helm             2 → 0      80ms",
        "apps/db   kustomize  unchanged  kustomize 5.4.3  –          –",
        "",
        "apps/web failed: Error: parse error in values.yaml",
        "  line 3: bad indent",
        "",
        "Changes",
        "",
        "apps/api (3 changes)",
        "  + Deployment prod/api",
        "      image: nginx:1.26",
        "  > ConfigMap prod/api-cfg-b (renamed from prod/api-cfg-a)",
        "  - Service prod/legacy",
        "",
        "Findings",
        "",
        "Errors (1)",
        "  apps/api/deploy.yaml:12: uses :latest [policy/no-latest]",
        "",
        "Warnings (1)",
        "  apps/api: unknown field [schema/unknown-field]",
        "",
        "Pre-existing (1, not introduced by this change; --verbose lists them)",
        "  1  policy/limits (warning)",
        "",
        "2 targets affected (1 rendered, 1 failed), 3 changes, findings: 1 error, 1 warning (1 pre-existing)",
        "",
      ].join("\n"),
    );
  });

  it.each<[string, Report, string]>([
    ["an empty report", report(), "0 targets affected, 0 changes, findings: none"],
    [
      "one target, one change",
      report({ targets: [target("a")], changes: [change("a", "x")] }),
      "1 target affected (1 rendered), 1 change, findings: none",
    ],
    [
      "only pre-existing findings",
      report({ targets: [target("a", { affected: false, status: "unchanged" })], findings: [finding("r", { introduced: false })] }),
      "0 targets affected, 0 changes, findings: none (1 pre-existing)",
    ],
    [
      "every severity",
      report({
        findings: [
          finding("a", { severity: "info" }),
          finding("b", { severity: "error" }),
          finding("c", { severity: "info" }),
          finding("d", { severity: "warning" }),
          finding("e", { severity: "warning" }),
        ],
      }),
      "0 targets affected, 0 changes, findings: 1 error, 2 warnings, 2 info",
    ],
  ])("ends with a summary line for %s", (_name, r, expected) => {
    const lines = renderText(r).trimEnd().split("\n");
    expect(lines.at(-1)).toBe(expected);
  });

  it("shows diffs only when verbose", () => {
    expect(renderText(small)).not.toContain("+kind: Deployment");
    expect(renderText(small, { verbose: true })).toContain("      +kind: Deployment\n");
  });

  it("emits ANSI codes only with color", () => {
    expect(renderText(small, { verbose: true })).not.toContain("\u001b[");
    const colored = renderText(small, { color: true });
    expect(colored).toContain("\u001b[1mShipshape\u001b[22m");
    expect(colored).toContain("\u001b[31mfailed\u001b[39m");
  });

  it("keeps column alignment when colored", () => {
    const strip = (s: string): string => s.replace(/\u001b\[\d+m/g, "");
    expect(strip(renderText(small, { color: true, verbose: true }))).toBe(renderText(small, { verbose: true }));
  });

  it("escapes control characters from user strings", () => {
    const hostile = report({
      targets: [target("apps/api")],
      changes: [change("apps/api", "evil\u001b]0;pwned\u0007", { diff: "+value: \u001b[2J\n" })],
    });
    const out = renderText(hostile, { verbose: true });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(out).toContain("evil\\x1b]0;pwned\\x07");
    expect(out).toContain("+value: \\x1b[2J");
  });

  it("says so when there are no targets and no changes", () => {
    expect(renderText(report())).toBe(
      "Shipshape: main → feature/bump\n\nNo targets found.\n\nNo changes.\n\n0 targets affected, 0 changes, findings: none\n",
    );
  });
});

describe("renderText: targets not reviewed", () => {
  it("says a skipped target was not reviewed, not that it errored", () => {
    const text = renderText(report({ targets: [target("flux:podinfo/podinfo", { type: "flux", status: "skipped", error: "host ghcr.io is not in gitops.allowedHosts" })] }));
    expect(text).toContain("flux:podinfo/podinfo not reviewed: host ghcr.io is not in gitops.allowedHosts");
    expect(text).not.toContain("podinfo error:");
  });
});
