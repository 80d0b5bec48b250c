/**
 * fixtures/outcome through the CLI: the closing line explains the exit status in every
 * format, findings the change fixes are listed as fixed, and a base's pre-existing problem
 * shared by three overlays is one row naming the three targets (counted by rule in the
 * text format unless --verbose).
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { renderCheckRun } from "../../src/present/check-run.js";
import { renderMarkdown, renderSarif } from "../../src/present/index.js";
import { PROJECT_ROOT, runCli, type CliRun } from "../helpers/cli.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures", "outcome");
const args = ["check", "--base", join(FIXTURE, "base"), "--head", join(FIXTURE, "head")];
const FAILING = "Exit 1: 2 error findings introduced (policy/disallow-latest-tag/autogen-validate-image-tag ×2) at --fail-on=error";
const OVERLAYS = "apps/api/overlays/dev, apps/api/overlays/prod, apps/api/overlays/staging";

let json: CliRun;
let text: CliRun;
let verbose: CliRun;
let report: Report;

beforeAll(async () => {
  [json, text, verbose] = await Promise.all([
    runCli([...args, "--format", "json"]),
    runCli([...args, "--format", "text"]),
    runCli([...args, "--format", "text", "--verbose"]),
  ]);
  report = JSON.parse(json.stdout) as Report;
}, 120_000);

describe("the closing line", () => {
  it("ends the text report and matches the exit code", () => {
    expect(text.code).toBe(1);
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe(FAILING);
  });

  it("is the JSON report's outcome", () => {
    expect(json.code).toBe(1);
    expect(report.outcome).toEqual({ exitCode: 1, failOn: "error", reason: FAILING.replace("Exit 1: ", "") });
  });

  it("says why it passes at another threshold, in Markdown and in SARIF run properties", async () => {
    const md = await runCli([...args, "--format", "markdown", "--fail-on", "critical"]);
    expect(md.code).toBe(0);
    expect(md.stdout.trimEnd().split("\n").at(-1)).toBe("✅ **Exit 0**: nothing at or above --fail-on=critical (risk medium)");
    const sarif = JSON.parse(renderSarif(report)) as { runs: { properties: Record<string, unknown> }[] };
    expect(sarif.runs[0]!.properties).toMatchObject({ resolvedFindings: 2, outcome: { exitCode: 1, failOn: "error", reason: FAILING.replace("Exit 1: ", "") } });
  }, 60_000);

  it("opens the check run's summary, without an exit code", () => {
    const summary = renderCheckRun(report, { failOn: "error" }).summary;
    expect(summary.split("\n")[0]).toBe("❌ **Failed**: 2 error findings introduced (policy/disallow-latest-tag/autogen-validate-image-tag ×2) at fail-on error.");
  });
});

describe("fixed findings", () => {
  it("are the base's findings gone from the head, in JSON", () => {
    expect(report.resolved!.map((f) => [f.ruleId, f.target, f.introduced])).toEqual([
      ["policy/disallow-latest-tag/autogen-validate-image-tag", "apps/worker", false],
      ["policy/require-probes/validate-probes", "apps/worker", false],
    ]);
    // Still in the head (pre-existing) is never "fixed".
    expect(report.resolved!.some((f) => f.target.startsWith("apps/api"))).toBe(false);
  });

  it("get a section in text and Markdown and a line in the check run", () => {
    expect(text.stdout).toContain(
      [
        "Fixed by this change (2)",
        "  on the base, gone on the head",
        '  apps/worker/deployment.yaml:1 in apps/worker: Image "ghcr.io/acme/worker:latest" of container "worker" uses the mutable tag "latest"; pin a version or a digest. [policy/disallow-latest-tag/autogen-validate-image-tag]',
        '  apps/worker/deployment.yaml:1 in apps/worker: Container "worker" of Deployment "worker" needs both a livenessProbe and a readinessProbe. [policy/require-probes/validate-probes]',
      ].join("\n"),
    );
    expect(text.stdout).toContain(", 2 findings fixed,");
    const md = renderMarkdown(report);
    expect(md).toContain("### Fixed by this change\n\n2 findings on the base are gone on the head:\n\n- ✅ <code>policy/disallow-latest-tag/autogen-validate-image-tag</code>:");
    expect(renderCheckRun(report, { failOn: "error" }).summary).toContain(
      "- **Fixed:** ✅ 2 findings on the base gone on the head (<code>policy/disallow-latest-tag/autogen-validate-image-tag</code>, <code>policy/require-probes/validate-probes</code>)",
    );
  });
});

describe("pre-existing findings", () => {
  it("are counted by rule in the text format", () => {
    expect(text.stdout).toContain(
      "Pre-existing (3, not introduced by this change; --verbose lists them)\n  3  policy/require-probes/validate-probes (warning)\n\n",
    );
  });

  it("are one row per rule and place with --verbose, naming the targets", () => {
    expect(verbose.stdout).toContain(
      `Pre-existing (3, not introduced by this change)\n  apps/api/base/deployment.yaml:1 in 3 targets: ${OVERLAYS}: Container "api" of Deployment "api" needs both a livenessProbe and a readinessProbe. [policy/require-probes/validate-probes]\n\n`,
    );
  });

  it("are one Markdown row for the three overlays sharing a base", () => {
    const md = renderMarkdown(report);
    expect(md).toContain("<summary>3 pre-existing findings, not introduced by this change (1 row: one per rule and place)</summary>");
    const rows = md.split("\n").filter((l) => l.includes("policy/require-probes/validate-probes") && l.startsWith("| ⚠️"));
    expect(rows).toEqual([
      '| ⚠️ | <code>policy/require-probes/validate-probes</code> | Container "api" of Deployment "api" needs both a livenessProbe and a readinessProbe. | <code>apps/api/base/deployment.yaml:1</code> in 3 targets: <code>apps/api/overlays/dev</code>, <code>apps/api/overlays/prod</code>, <code>apps/api/overlays/staging</code> |',
    ]);
  });
});

describe("--verbose", () => {
  it("names built-in renderers without a binary path or a '?' version", () => {
    expect(verbose.stderr).toContain("target id=apps/web status=rendered renderer=manifests (built-in) path=built-in ms=");
    expect(verbose.stderr).not.toMatch(/renderer=[^\n]* \? /);
  });
});

describe("the package", () => {
  it("runs the demo as a text report and says which Node versions it supports", async () => {
    const { readFile } = await import("node:fs/promises");
    const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; engines: { node: string } };
    expect(pkg.scripts.demo).toMatch(/--format text$/);
    expect(pkg.engines.node).toBe("^20.19.0 || >=22.12.0");
    const readme = await readFile(join(PROJECT_ROOT, "README.md"), "utf8");
    expect(readme).toContain("npm run demo -- --format markdown --output demo.md");
    expect(readme).toContain("**Node.js:** 20 (20.19.0 or later) and 22 (22.12.0 or later) or newer (`engines`: `^20.19.0 || >=22.12.0`");
  });
});
