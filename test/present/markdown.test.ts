import { describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { renderMarkdown } from "../../src/present/index.js";
import { change, finding, report, target } from "./builders.js";
import { scanFences } from "./markdown-scan.js";

const small = report({
  targets: [
    target("apps/api"),
    target("apps/web", { type: "helm", status: "failed", error: "Error: bad values.yaml" }),
    target("apps/db", { affected: false, status: "unchanged" }),
  ],
  changes: [
    change("apps/api", "api", { action: "added" }),
    change("apps/api", "cfg-b", { action: "renamed", kind: "ConfigMap", previousName: "cfg-a" }),
    change("apps/api", "api", { summary: ["replicas: 2 → 3"], diff: "-replicas: 2\n+replicas: 3\n" }),
  ],
  findings: [
    finding("policy/no-latest", { severity: "error", file: "apps/api/deploy.yaml", line: 12, message: "uses :latest" }),
    finding("policy/limits", { severity: "warning", introduced: false, message: "no limits" }),
  ],
});

describe("renderMarkdown", () => {
  it("starts with the heading, the refs and the summary table", () => {
    expect(renderMarkdown(small)).toMatch(
      new RegExp(
        `^${escapeRegExp(
          [
            "## Shipshape",
            "",
            "<code>main</code> → <code>feature/bump</code>",
            "",
            "| | Count | Breakdown |",
            "| --- | ---: | --- |",
            "| Targets affected | 2 of 3 | 1 rendered, 1 failed |",
            "| Changes | 3 | 1 added, 1 modified, 1 renamed |",
            "| Findings | 1 | ❌ 1 error |",
            "| Pre-existing findings | 1 | ⚠️ 1 warning |",
            "",
            "### Findings",
            "",
          ].join("\n"),
        )}`,
      ),
    );
  });

  it("renders a small report exactly", () => {
    expect(renderMarkdown(small).split("### Findings\n\n")[1]).toBe(
      [
        "| | Rule | Message | Location |",
        "| --- | --- | --- | --- |",
        "| ❌ | <code>policy/no-latest</code> | uses :latest | <code>apps/api/deploy.yaml:12</code> |",
        "",
        "<details>",
        "<summary>1 pre-existing finding, not introduced by this change</summary>",
        "",
        "| | Rule | Message | Location |",
        "| --- | --- | --- | --- |",
        "| ⚠️ | <code>policy/limits</code> | no limits | <code>apps/api</code> |",
        "",
        "</details>",
        "",
        "### Targets",
        "",
        "<details>",
        "<summary><code>apps/api</code> · kustomize · 3 changes · 1 error</summary>",
        "",
        "➕ **Deployment** <code>prod/api</code> (added)",
        "",
        "🔀 **ConfigMap** <code>prod/cfg-b</code> (renamed from <code>prod/cfg-a</code>)",
        "",
        "✏️ **Deployment** <code>prod/api</code> (modified)",
        "",
        "- replicas: 2 → 3",
        "",
        "```diff",
        "-replicas: 2",
        "+replicas: 3",
        "```",
        "",
        "</details>",
        "",
        "<details>",
        "<summary><code>apps/web</code> · helm · render failed</summary>",
        "",
        "**Render failed:**",
        "",
        "```text",
        "Error: bad values.yaml",
        "```",
        "",
        "</details>",
        "",
        "<details>",
        "<summary>1 unaffected target</summary>",
        "",
        "<code>apps/db</code>",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
  });

  it.each<[string, Report, string]>([
    [
      "unaffected targets",
      report({ targets: [target("a", { affected: false, status: "unchanged" }), target("b", { affected: false, status: "unchanged" })] }),
      "## Shipshape\n\nNo target is affected by this change (2 targets checked).\n",
    ],
    ["no targets at all", report(), "## Shipshape\n\nNo target is affected by this change.\n"],
    [
      "findings but no affected target",
      report({ findings: [finding("config/invalid", { severity: "error", message: "bad key", file: ".github/shipshape.yml" })] }),
      "## Shipshape\n\nNo target is affected by this change.\n\n### Findings\n\n" +
        "| | Rule | Message | Location |\n| --- | --- | --- | --- |\n" +
        "| ❌ | <code>config/invalid</code> | bad key | <code>.github/shipshape.yml</code> |\n",
    ],
  ])("uses the short form for %s", (_name, r, expected) => {
    expect(renderMarkdown(r)).toBe(expected);
  });

  it("escapes a hostile resource name everywhere outside code blocks", () => {
    const name = "<img src=x onerror=alert(1)>";
    const hostile = report({
      base: { ref: "<script>" },
      targets: [target(`apps/${name}`, { error: `failed on ${name}`, status: "failed" }), target(name, { affected: false })],
      changes: [
        change(`apps/${name}`, name, {
          kind: `Kind${name}`,
          previousName: name,
          action: "renamed",
          summary: [`image: ${name}`],
          diff: `+name: ${name}\n`,
        }),
      ],
      findings: [finding("r", { message: `bad ${name}`, target: `apps/${name}`, file: name })],
    });
    const { outside, fences } = scanFences(renderMarkdown(hostile));
    expect(outside).not.toContain("<img");
    expect(outside).not.toContain("<script");
    expect(outside).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // The diff keeps the raw text: inside a code block it is shown, not interpreted.
    expect(fences.map((f) => f.body)).toContain(`+name: ${name}`);
  });

  it("keeps a message with ``` from opening a code block", () => {
    const r = report({
      targets: [target("apps/api")],
      changes: [change("apps/api", "api", { summary: ["```", "text ```js"], diff: "+a\n" })],
      findings: [finding("r", { message: "see ```\nalert(1)\n```" })],
    });
    const md = renderMarkdown(r);
    const { fences } = scanFences(md);
    expect(fences.map((f) => f.info)).toEqual(["diff"]);
    expect(md).toContain("| see \\`\\`\\` alert(1) \\`\\`\\` |");
    expect(md).toContain("- \\`\\`\\`\n");
  });

  it("fences a diff containing ``` with a longer fence", () => {
    const diff = "--- a/README.md\n+++ b/README.md\n@@ -1 +1,3 @@\n+```\n+</details>\n+```\n";
    const r = report({ targets: [target("docs")], changes: [change("docs", "readme", { kind: "ConfigMap", diff })] });
    const md = renderMarkdown(r);
    const { fences, outside } = scanFences(md);
    expect(fences).toHaveLength(1);
    expect(fences[0]?.body).toBe(diff.trimEnd());
    expect(md).toContain("````diff\n");
    expect(outside.match(/<\/details>/g)).toHaveLength(1);
  });

  it("is deterministic", () => {
    expect(renderMarkdown(small)).toBe(renderMarkdown(structuredClone(small)));
  });

  it("matches the snapshot for a medium report", () => {
    expect(renderMarkdown(mediumReport())).toMatchSnapshot();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function mediumReport(): Report {
  return report({
    base: { ref: "main" },
    head: { ref: "3f2a9c1" },
    targets: [
      target("apps/api/overlays/prod", { resources: { base: 5, head: 6 }, durationMs: 812 }),
      target("charts/web#prod", {
        type: "helm",
        path: "charts/web",
        renderer: { name: "helm", version: "3.15.2" },
        resources: { base: 4, head: 4 },
      }),
      target("deploy/compose", {
        type: "compose",
        renderer: { name: "compose", version: null },
        status: "failed",
        resources: { base: 2, head: 0 },
        error: "services.worker.image: must be a string\n  at compose.yaml:14",
      }),
      target("apps/billing", { affected: false, status: "unchanged" }),
      target("apps/search", { affected: false, status: "unchanged" }),
    ],
    changes: [
      change("apps/api/overlays/prod", "api", {
        summary: ["image api: ghcr.io/acme/api:1.4.0 → ghcr.io/acme/api:1.5.0", "replicas: 3 → 4"],
        diff: [
          "--- base/apps/v1/Deployment/prod/api",
          "+++ head/apps/v1/Deployment/prod/api",
          "@@ -8,7 +8,7 @@",
          " spec:",
          "-  replicas: 3",
          "+  replicas: 4",
          "   template:",
          "@@ -20,3 +20,3 @@",
          "-        image: ghcr.io/acme/api:1.4.0",
          "+        image: ghcr.io/acme/api:1.5.0",
          "",
        ].join("\n"),
      }),
      change("apps/api/overlays/prod", "api-config-7h2k9", {
        action: "renamed",
        apiVersion: "v1",
        kind: "ConfigMap",
        previousName: "api-config-5f9m2",
        summary: ["data.LOG_LEVEL: info → debug"],
        diff: "@@ -3 +3 @@\n-  LOG_LEVEL: info\n+  LOG_LEVEL: debug\n",
      }),
      change("apps/api/overlays/prod", "api-pdb", {
        action: "added",
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        summary: ["minAvailable: 2"],
        diff: "+apiVersion: policy/v1\n+kind: PodDisruptionBudget\n+spec:\n+  minAvailable: 2\n",
      }),
      change("charts/web#prod", "web-secret", {
        action: "modified",
        apiVersion: "v1",
        kind: "Secret",
        namespace: "web",
        summary: ["data.API_KEY changed (value redacted)"],
        diff: "@@ -4 +4 @@\n-  API_KEY: <redacted sha256:1a2b>\n+  API_KEY: <redacted sha256:9f8e>\n",
      }),
      change("charts/web#prod", "web-legacy", { action: "removed", apiVersion: "v1", kind: "Service", namespace: "web" }),
    ],
    findings: [
      finding("policy/image-tag-latest", {
        severity: "error",
        target: "charts/web#prod",
        file: "charts/web/values-prod.yaml",
        line: 7,
        message: "Deployment web/web uses image tag `latest`",
      }),
      finding("render/compose-invalid", {
        source: "render",
        severity: "error",
        target: "deploy/compose",
        file: "deploy/compose/compose.yaml",
        line: 14,
        message: "services.worker.image: must be a string",
      }),
      finding("risk/replicas-increase", { source: "risk", severity: "info", target: "apps/api/overlays/prod", message: "replicas 3 → 4" }),
      finding("policy/resource-limits", {
        severity: "warning",
        target: "apps/api/overlays/prod",
        introduced: false,
        message: "container api has no memory limit",
      }),
    ],
  });
}
