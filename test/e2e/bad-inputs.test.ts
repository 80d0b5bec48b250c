/**
 * Bad inputs through the whole CLI: each gives a clear finding or message, the rest of the
 * analysis still happens, and nothing from the process environment leaks into any format.
 */
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

let work: string;
const SENTINEL = "ghs_sentinelTokenValue0123456789";

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** Builds base/ and head/ repos; `head` files are written over a copy of `base`. */
async function repoPair(name: string, base: Record<string, string>, head: Record<string, string>): Promise<{ base: string; head: string }> {
  const b = join(work, name, "base");
  const h = join(work, name, "head");
  await write(b, base);
  await cp(b, h, { recursive: true, verbatimSymlinks: true });
  await write(h, head);
  return { base: b, head: h };
}

async function check(pair: { base: string; head: string }, ...extra: string[]) {
  return runCli(["check", "--base", pair.base, "--head", pair.head, ...extra]);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-bad-"));
  process.env.GITHUB_TOKEN = SENTINEL;
  process.env.SHIPSHAPE_TEST_SECRET = SENTINEL;
});
afterAll(async () => {
  delete process.env.GITHUB_TOKEN;
  delete process.env.SHIPSHAPE_TEST_SECRET;
  await rm(work, { recursive: true, force: true });
});

const cm = (name: string, v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`;

describe("bad inputs, end to end", () => {
  it("never takes Compose values from Shipshape's own environment, in any format", async () => {
    const compose = await readFixture("fixtures/render/compose/secret-safety/compose.yaml");
    const pair = await repoPair("env", { "stack/compose.yaml": compose }, { "stack/compose.yaml": compose.replace("alpine:", "alpine-new:") });
    for (const format of ["json", "markdown", "text"]) {
      const run = await check(pair, "--format", format, "--verbose");
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(SENTINEL);
      expect(run.stdout + run.stderr).not.toContain(process.env.HOME ?? "/root");
    }
    const report = JSON.parse((await check(pair, "--format", "json")).stdout) as Report;
    expect(report.findings.map((f) => f.ruleId)).toContain("compose/variable-unset");
  });

  it("does not follow a symlink that leads outside the repository", async () => {
    const pair = await repoPair(
      "symlink",
      { "app/kustomization.yaml": "resources:\n  - cm.yaml\n", "app/cm.yaml": cm("a", "1") },
      { "app/kustomization.yaml": "resources:\n  - cm.yaml\n  - stolen.yaml\n" },
    );
    await writeFile(join(work, "outside.yaml"), cm("stolen", SENTINEL));
    await symlink(join(work, "outside.yaml"), join(pair.head, "app", "stolen.yaml"));
    const run = await check(pair, "--format", "json");
    const report = JSON.parse(run.stdout) as Report;
    expect(run.stdout).not.toContain(SENTINEL);
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual(
      expect.arrayContaining([
        ["render/missing-file", "app/kustomization.yaml"],
        ["input/symlink-not-followed", "app/stolen.yaml"],
      ]),
    );
    expect(report.targets[0]).toMatchObject({ id: "app", status: "skipped" });
    expect(run.code).toBe(1);
  });

  it("reports a chart template error as a finding and still reports the other targets", async () => {
    const chart = join(PROJECT_ROOT, "fixtures/render/helm/template-error/chart");
    const pair = await repoPair("tpl", { "raw/cm.yaml": cm("a", "1") }, { "raw/cm.yaml": cm("a", "2") });
    await cp(chart, join(pair.head, "charts", "broken"), { recursive: true });
    const run = await check(pair, "--format", "json");
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(1);
    const failed = report.targets.find((t) => t.id === "charts/broken")!;
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/template|parse|error/i);
    expect(report.findings.find((f) => f.target === "charts/broken")).toMatchObject({ ruleId: "render/failed", severity: "error", introduced: true });
    expect(report.changes.map((c) => c.target)).toEqual(["raw"]);
    expect((await check(pair, "--format", "json", "--fail-on", "never")).code).toBe(0);
  });

  it("turns a render that runs out of time into a render/timeout finding", async () => {
    const pair = await repoPair(
      "timeout",
      { ".github/shipshape.yml": "render:\n  timeoutSeconds: 0.001\n", "app/kustomization.yaml": "resources:\n  - cm.yaml\n", "app/cm.yaml": cm("a", "1") },
      { "app/cm.yaml": cm("a", "2") },
    );
    const run = await check(pair, "--format", "json");
    const report = JSON.parse(run.stdout) as Report;
    expect(report.targets[0]).toMatchObject({ status: "failed" });
    // The base times out as well, so the finding is pre-existing and does not fail the check.
    expect(report.findings[0]).toMatchObject({ ruleId: "render/timeout", target: "app", introduced: false });
    expect(report.findings[0]!.message).toMatch(/did not finish within/);
    expect(run.code).toBe(0);
  });

  it("exits 2 naming file, line and key for a bad config", async () => {
    const pair = await repoPair("config", { ".github/shipshape.yml": "render:\n  timeoutSecs: 5\n", "raw/cm.yaml": cm("a", "1") }, {});
    const run = await check(pair);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('.github/shipshape.yml:2: render.timeoutSecs: unknown key "timeoutSecs"');
  });

  it("exits 2 for a revision that does not exist and for bad flags", async () => {
    const missing = await runCli(["check", "--base", "no-such-rev", "--head", "no-such-rev", "--repo", work]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-rev: not a directory, and not a commit in the git repository at /);
    const bad = await runCli(["check", "--base", "a", "--head", "b", "--format", "yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of text, markdown, json, sarif (got "yaml")');
  });

  it("exits 3 when the tool the operator chose is missing, keeping the report", async () => {
    const chart = join(PROJECT_ROOT, "fixtures/render/helm/app-repo");
    const pair = await repoPair("tool", { "README.md": "x\n" }, {});
    await cp(chart, join(pair.head, "app"), { recursive: true });
    const run = await check(pair, "--format", "json", "--helm", "/nonexistent/helm");
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("/nonexistent/helm");
    const report = JSON.parse(run.stdout) as Report;
    expect(report.targets.every((t) => t.status === "failed")).toBe(true);
  });
});

async function readFixture(path: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return readFile(join(PROJECT_ROOT, path), "utf8");
}
