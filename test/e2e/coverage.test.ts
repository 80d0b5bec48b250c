/**
 * Coverage as a contract, end to end: every changed file is reviewed, not infrastructure
 * (counted) or not reviewed with the reason; a part whose only users fail is rendered alone.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const fixture = (name: string) => ({ base: join(PROJECT_ROOT, "fixtures/changed-files", name, "base"), head: join(PROJECT_ROOT, "fixtures/changed-files", name, "head") });
const check = (pair: { base: string; head: string }, format: string) => runCli(["check", "--base", `dir:${pair.base}`, "--head", `dir:${pair.head}`, "--format", format]);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-coverage-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("coverage", () => {
  it("renders an overlay alone when the umbrella that uses it is blocked, and says so", async () => {
    const run = await check(fixture("umbrella-blocked"), "json");
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const overlay = report.targets.find((t) => t.id === "apps/web/overlays/prod");
    expect(overlay).toMatchObject({ type: "kustomize", status: "rendered", affected: true, standaloneFor: ["umbrella"] });
    expect(report.targets.find((t) => t.id === "umbrella")?.status).toBe("skipped");
    expect(report.changes.map((c) => [c.target, c.action, c.kind, c.name, c.summary])).toEqual([
      ["apps/web/overlays/prod", "modified", "ConfigMap", "web-settings", ["data keys: ~LOG_LEVEL"]],
    ]);
    expect(report.coverage).toEqual({
      changedFiles: 1,
      reviewed: [{ file: "apps/web/overlays/prod/kustomization.yaml", targets: ["apps/web/overlays/prod"] }],
      notInfrastructure: 0,
      notReviewed: [],
    });
    const text = (await check(fixture("umbrella-blocked"), "text")).stdout;
    expect(text).toContain("Coverage: 1 changed file: 1 reviewed\n  alone apps/web/overlays/prod was rendered alone: umbrella, which builds on it, did not render\n");
  });

  it("reports a changed Component that no kustomization uses as not reviewed, and docs as not infrastructure", async () => {
    const run = await check(fixture("unused-component"), "json");
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.coverage).toEqual({
      changedFiles: 2,
      reviewed: [],
      notInfrastructure: 1,
      notReviewed: [
        {
          file: "components/no-debug/kustomization.yaml",
          reason: "unused",
          message: "no target reads it: it is the kustomization file of Component components/no-debug, which no target uses",
        },
      ],
    });
    const text = (await check(fixture("unused-component"), "text")).stdout;
    expect(text).toContain("0 targets affected, 0 changes, findings: none, 1 changed file not reviewed");
    const markdown = (await check(fixture("unused-component"), "markdown")).stdout;
    expect(markdown).toContain("No target is affected by this change");
    expect(markdown).toContain(
      "**Coverage**: 2 changed files: 0 reviewed, 1 not infrastructure, 1 not reviewed\n\n⚠️ **1 changed file not reviewed**\n\n- <code>components/no-debug/kustomization.yaml</code>: no target reads it: it is the kustomization file of Component components/no-debug, which no target uses (unused)\n",
    );
    const sarif = JSON.parse((await check(fixture("unused-component"), "sarif")).stdout);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      {
        level: "warning",
        message: { text: "components/no-debug/kustomization.yaml was not reviewed: no target reads it: it is the kustomization file of Component components/no-debug, which no target uses" },
        descriptor: { id: "coverage/unused" },
        locations: [{ physicalLocation: { artifactLocation: { uri: "components/no-debug/kustomization.yaml", uriBaseId: "%SRCROOT%" } } }],
      },
    ]);
    expect(sarif.runs[0].properties.coverage).toEqual({ changedFiles: 2, reviewed: 0, notInfrastructure: 1, notReviewed: 1 });
  });

  it("names the failed users when neither they nor any part between builds", async () => {
    const pair = { base: join(work, "broken", "base"), head: join(work, "broken", "head") };
    for (const side of ["base", "head"] as const) {
      await cp(fixture("umbrella-blocked")[side], pair[side], { recursive: true });
      // The overlay now needs a file that does not exist: it cannot stand in for the umbrella.
      await writeFile(join(pair[side], "apps/web/overlays/prod/kustomization.yaml"), `resources:\n- ../../base\n- missing.yaml\nnamespace: web\n# ${side}\n`);
    }
    const report = JSON.parse((await check(pair, "json")).stdout) as Report;
    expect(report.targets.some((t) => t.standaloneFor)).toBe(false);
    expect(report.coverage?.notReviewed).toEqual([
      {
        file: "apps/web/overlays/prod/kustomization.yaml",
        reason: "users-failed",
        message: "only umbrella reads it, and it did not render (see the targets' errors)",
        targets: ["umbrella"],
      },
    ]);
  });
});
