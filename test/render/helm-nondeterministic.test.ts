/**
 * Helm output that changes on every render (issue 12): a random admin password, a hook Job with
 * a random name suffix and a test hook Pod named with randAlphaNum (fixtures/helm-nondeterministic).
 * Test hooks are left out unless `helm.includeTests`; hooks are marked on changes; what differs
 * between two head renders of the same input is no change, no risk, no cost and no new finding,
 * said in one info line; two runs of the same input give the same finding ids.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures", "helm-nondeterministic");
const NOTE = "render/nondeterministic";

let work: string;
let includeTests: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-helm-nondet-"));
  includeTests = join(work, "include-tests.yml");
  await writeFile(includeTests, "helm:\n  includeTests: true\n");
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function check(head: string, extra: string[] = [], format = "json"): Promise<{ code: number; report: Report; stdout: string }> {
  const run = await runCli(["check", "--base", join(FIXTURE, "base"), "--head", join(FIXTURE, head), "--format", format, ...extra]);
  expect(run.stderr).not.toMatch(/TypeError|at .*\.ts:/);
  return { code: run.code, report: format === "json" ? (JSON.parse(run.stdout) as Report) : ({} as Report), stdout: run.stdout };
}

const changes = (r: Report) => r.changes.map((c) => `${c.action} ${c.kind} ${c.name}${c.hook ? ` (hook: ${c.hook})` : ""}`);
const notes = (r: Report) => r.findings.filter((f) => f.ruleId === NOTE).map((f) => ({ severity: f.severity, introduced: f.introduced, message: f.message }));

describe("a comment-only values edit", () => {
  it("shows no change, no risk and nothing new; the random password is named in one info line", async () => {
    const { code, report } = await check("head-comment");
    expect(code).toBe(0);
    expect(report.changes).toEqual([]);
    expect(report.risk?.level).toBe("none");
    expect(report.findings.filter((f) => f.introduced)).toEqual([]);
    expect(notes(report)).toEqual([
      {
        severity: "info",
        introduced: false,
        message:
          "2 fields change on every render of web with the same input: Secret default/web-admin data.admin-password, Job default/web-migrate-<random> metadata.name; left out of the changes, risk, cost and new findings",
      },
    ]);
    // The test hook Pod is not reviewed by default: Secret, Deployment and the hook Job are.
    expect(report.targets[0]!.resources).toEqual({ base: 3, head: 3 });
    expect(report.findings.some((f) => f.resource?.kind === "Pod")).toBe(false);
  });
});

describe("a real change next to random output", () => {
  it("shows only the image change, marks the hook, and keeps the generated name out of risk", async () => {
    const { report } = await check("head-image");
    expect(changes(report)).toEqual(["modified Deployment web", "modified Job web-migrate-<random> (hook: pre-install,pre-upgrade)"]);
    expect(report.changes.find((c) => c.kind === "Job")!.diff).not.toMatch(/web-migrate-[a-z0-9]{5}\b/);
    expect(report.risk?.reasons.map((r) => `${r.ruleId} ${r.kind} ${r.name}`)).toEqual(["image-only Deployment web", "image-only Job web-migrate-<random>"]);
    expect(report.findings.filter((f) => f.introduced)).toEqual([]);
  });

  it("gives the same finding ids, risk digest and SARIF fingerprints on two runs of the same input", async () => {
    const [a, b] = [await check("head-image", ["--config", includeTests]), await check("head-image", ["--config", includeTests])];
    expect(a.report.findings.map((f) => f.id).sort()).toEqual(b.report.findings.map((f) => f.id).sort());
    expect(a.report.risk?.digest).toBe(b.report.risk?.digest);
    const fingerprints = async () => {
      const { stdout } = await check("head-image", ["--config", includeTests], "sarif");
      const sarif = JSON.parse(stdout) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
      return sarif.runs[0]!.results.map((x) => JSON.stringify(x.partialFingerprints)).sort();
    };
    expect(await fingerprints()).toEqual(await fingerprints());
  });
});

describe("helm.includeTests", () => {
  it("reviews test hooks, marked, paired across renders by template although named with randAlphaNum", async () => {
    const { code, report } = await check("head-comment", ["--config", includeTests]);
    expect(code).toBe(0);
    expect(report.targets[0]!.resources).toEqual({ base: 4, head: 4 });
    // No added + removed Pod, and its findings are the base's, not new.
    expect(report.changes).toEqual([]);
    expect(report.findings.some((f) => f.resource?.kind === "Pod")).toBe(true);
    expect(report.findings.filter((f) => f.introduced)).toEqual([]);
    expect(notes(report)[0]!.message).toContain("Pod default/web-test-<random> metadata.name");
  });

  it("a misspelt helm key is refused with its path", async () => {
    const bad = join(work, "bad.yml");
    await writeFile(bad, "helm:\n  includeTest: true\n");
    const run = await runCli(["check", "--base", join(FIXTURE, "base"), "--head", join(FIXTURE, "head-comment"), "--config", bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('helm.includeTest: unknown key "includeTest"; allowed keys here: includeTests');
  });
});

describe("the text and Markdown reports", () => {
  it("mark hook changes", async () => {
    const text = await check("head-image", [], "text");
    expect(text.stdout).toContain("~ Deployment default/web");
    expect(text.stdout).toContain("~ Job default/web-migrate-<random> (hook: pre-install,pre-upgrade)");
    const md = await check("head-image", [], "markdown");
    expect(md.stdout).toMatch(/\*\*Job\*\* <code>default\/web-migrate-&lt;random&gt;<\/code>&nbsp;\(hook: pre-install,pre-upgrade\) \(modified\)/);
  });
});
