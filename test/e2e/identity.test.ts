/**
 * Identity and pairing (issue 12, found #1) and finding identity (found #5), end to end on
 * fixtures/identity (its README is the contract): copies of one identity in a target are
 * paired by where they come from, and a finding's id and `introduced` follow what it is
 * about, not the file or line it was seen at.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

const FIXTURES = "fixtures/identity";

async function check(name: string, base = `${FIXTURES}/${name}/base`): Promise<{ code: number; report: Report }> {
  const run = await runCli(["check", "--base", `dir:${base}`, "--head", `dir:${FIXTURES}/${name}/head`, "--format", "json", "--fail-on", "warning"]);
  expect(run.stderr).toBe("");
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const changeRows = (r: Report) => r.changes.map((c) => [c.target, c.action, c.kind, c.name, c.summary]);
const ids = (r: Report) => r.findings.map((f) => `${f.ruleId} ${f.id}`).sort();

describe("copies of one identity in a target", () => {
  it("a comment on one of two copies is no change, and the duplicate is a pre-existing warning", async () => {
    const { code, report } = await check("duplicate-copies");
    expect(code).toBe(0);
    expect(report.changes).toEqual([]);
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.introduced, f.resource?.name, f.file, f.line, f.message])).toEqual([
      [
        "render/duplicate-resource",
        "warning",
        false,
        "x",
        "app/a.yaml",
        1,
        "ConfigMap default/x is defined 2 times in this target: app/a.yaml:1, app/b.yaml:1. Only one of them takes effect when the output is applied; keep one copy, or make each alternative a target of its own",
      ],
    ]);
  });

  it("an image bump across alternative install bundles is exactly one change, with nothing removed or mispaired", async () => {
    const { code, report } = await check("install-bundles");
    expect(code).toBe(0);
    expect(changeRows(report)).toEqual([
      ["manifests", "modified", "Deployment", "redis", ["image redis: docker.io/library/redis:8.10.0-alpine → docker.io/library/redis:8.10.1-alpine"]],
    ]);
    expect(report.risk?.level).toBe("low");
    expect(report.risk?.reasons.map((r) => [r.ruleId, r.kind, r.name])).toEqual([["image-only", "Deployment", "redis"]]);
    const duplicates = report.findings.filter((f) => f.ruleId === "render/duplicate-resource");
    expect(duplicates.map((f) => [f.resource?.kind, f.resource?.name, f.introduced])).toEqual([
      ["ConfigMap", "app-params", false],
      ["ServiceAccount", "redis", false],
      ["Deployment", "redis", false],
      ["StatefulSet", "cache", false],
    ]);
    expect(duplicates[3]!.message).toContain("is defined 2 times in this target: manifests/core-install.yaml:33, manifests/install.yaml:33.");
    expect(report.findings.filter((f) => f.introduced)).toEqual([]);
    // Every copy with the same problem is one finding: one id, listed once.
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
  });
});

describe("finding identity", () => {
  it.each(["renamed-compose", "moved-manifest"])("%s: a renamed or moved file changes nothing and introduces nothing", async (name) => {
    const { code, report } = await check(name);
    // The ids the same findings get when the file is new under its new name.
    const empty = await mkdtemp(join(tmpdir(), "identity-empty-"));
    const fromNothing = await check(name, empty).finally(() => rm(empty, { recursive: true, force: true }));
    expect(code).toBe(0);
    expect(report.changes).toEqual([]);
    expect(report.findings.length).toBeGreaterThan(5);
    expect(report.findings.filter((f) => f.introduced)).toEqual([]);
    expect(fromNothing.report.findings.every((f) => f.introduced)).toBe(true);
    expect(ids(report)).toEqual(ids(fromNothing.report));
    // The findings point at the file as it is now.
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set([name === "renamed-compose" ? "shop/compose.yaml" : "app/deployment.yaml"]));
  });

  it("distinct duplicate keys in helm output get distinct ids naming the key, and only new ones are introduced", async () => {
    const { code, report } = await check("duplicate-keys");
    expect(code).toBe(1);
    const rows = report.findings.map((f) => [f.ruleId, f.introduced, f.message.replace(/^.*?invalid YAML: /, "")]);
    expect(rows).toEqual([
      ["input/yaml-invalid", false, 'Map keys must be unique: key "app" at metadata.labels.app in ConfigMap a'],
      ["input/yaml-invalid", true, 'Map keys must be unique: key "app" at metadata.labels.app in ConfigMap b'],
      ["input/yaml-invalid", true, 'Map keys must be unique: key "tier" at metadata.labels.tier in ConfigMap b'],
      ["input/yaml-invalid", true, 'Map keys must be unique: key "value" at spec.template.spec.containers[0].env[0].value in Deployment c'],
    ]);
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(4);
  });
});
