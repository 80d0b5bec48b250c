/**
 * Issue 12, "things that are not resources become resources": on real repositories patch folders
 * (kubeflow's `app/patches/`), the `$patch: delete` stubs of Components nothing uses, `skaffold.yaml`
 * and nameless test data became plain-manifests targets, with invented schema and policy errors.
 * Each fixture under fixtures/resource/ is a base and a head; the report of the change must hold
 * exactly the targets and findings named here.
 */
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const FIXTURES = join(PROJECT_ROOT, "fixtures", "resource");
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-resource-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function check(base: string, head: string): Promise<Report> {
  const run = await runCli(["check", "--base", `dir:${base}`, "--head", `dir:${head}`, "--format", "json", "--fail-on", "never"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

const checkFixture = (name: string) => check(join(FIXTURES, name, "base"), join(FIXTURES, name, "head"));
const targetsOf = (report: Report) => report.targets.map((t) => `${t.type} ${t.id}`);
const findingsOf = (report: Report) => report.findings.map((f) => `${f.target} ${f.ruleId} ${f.file ?? ""}`);

describe("files a kustomization uses as patches are not manifests", () => {
  let report: Report;
  beforeAll(async () => {
    report = await checkFixture("patch-folders");
  }, 60_000);

  it("makes no plain-manifests target of app/patches/ or of kubebuilder's unused config/crd/patches/", () => {
    expect(targetsOf(report)).toEqual(["kustomize app", "kustomize config/crd"]);
  });

  it("reviews the used patch through its kustomization, and invents no schema errors", () => {
    expect(report.changes.map((c) => [c.target, c.action, c.kind, c.name])).toEqual([["app", "modified", "Deployment", "web"]]);
    expect(report.findings.filter((f) => f.source === "schema")).toEqual([]);
  });
});

describe("Components nothing uses, and `$patch` documents", () => {
  let report: Report;
  beforeAll(async () => {
    report = await checkFixture("components");
  }, 60_000);

  it("makes no target of a Component's folder or its patches/ folder", () => {
    expect(targetsOf(report)).toEqual(["manifests deploy", "kustomize overlays/prod"]);
  });

  it("never turns a delete stub into a resource: in a plain folder it is an error naming the file, not a Deployment", () => {
    expect(report.changes.map((c) => [c.target, c.action, c.kind, c.name])).toEqual([["deploy", "modified", "ConfigMap", "plain"]]);
    expect(findingsOf(report)).toEqual(["deploy input/patch-document deploy/old-worker.yaml"]);
    const finding = report.findings[0]!;
    expect(finding).toMatchObject({ severity: "error", line: 1, introduced: true });
    expect(finding.message).toMatch(/^deploy\/old-worker\.yaml:1: Deployment old-worker carries "\$patch: delete": it is a kustomize patch, not an object/);
  });
});

describe("config files of other tools, nameless test data and chart folders are not manifests", () => {
  let report: Report;
  beforeAll(async () => {
    report = await checkFixture("tool-configs");
  }, 60_000);

  it("makes no target of skaffold.yaml, a kind or kubeadm config, nameless test data or a chart's examples", () => {
    expect(targetsOf(report)).toEqual(["helm charts/web", "manifests deploy"]);
  });

  it("reads a manifests folder without the skaffold.yaml beside its objects", () => {
    expect(report.changes.map((c) => [c.target, c.action, c.apiVersion, c.kind, c.name])).toEqual([["deploy", "modified", "v1", "ConfigMap", "web"]]);
    expect(report.findings.filter((f) => f.target === "deploy")).toEqual([]);
  });
});

describe("snapshot warnings concern only what the change or its targets touch", () => {
  let report: Report;
  beforeAll(async () => {
    const base = join(work, "links", "base");
    const head = join(work, "links", "head");
    await cp(join(FIXTURES, "unrelated-links", "base"), base, { recursive: true });
    await cp(join(FIXTURES, "unrelated-links", "head"), head, { recursive: true });
    for (const side of [base, head]) {
      // On both sides: Go test data no target uses, and a link in the folder of the changed target.
      await symlink("does-not-exist", join(side, "vendor", "testdata", "dangling"));
      await symlink("../../outside.yaml", join(side, "vendor", "testdata", "out-of-bounds"));
      await symlink("../../outside.yaml", join(side, "app", "extra.yaml"));
    }
    // Only on the head: the change adds it.
    await symlink("nowhere.yaml", join(head, "vendor", "added-link.yaml"));
    report = await check(base, head);
  }, 60_000);

  it("keeps the warnings of links in an affected target's folder and of links the change adds, and drops the rest", () => {
    expect(report.findings.filter((f) => f.ruleId === "input/symlink-not-followed").map((f) => [f.file, f.introduced])).toEqual([
      ["app/extra.yaml", false],
      ["vendor/added-link.yaml", true],
    ]);
  });
});
