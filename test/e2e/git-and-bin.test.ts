/**
 * The CLI contract as other tools use it: git revisions read from --repo without touching
 * the working tree, and the installed `shipshape` launcher with its exit codes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "shipshape-git-"));
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe" });
  git("init", "-q", "-b", "main");
  await cp(join(PROJECT_ROOT, "fixtures/demo/base"), repo, { recursive: true });
  git("add", "-A");
  git("commit", "-qm", "base");
  // The head commit is the demo head: replace the tree wholesale so deletions count too.
  for (const entry of await readdir(repo)) if (entry !== ".git") await rm(join(repo, entry), { recursive: true });
  await cp(join(PROJECT_ROOT, "fixtures/demo/head"), repo, { recursive: true });
  git("add", "-A");
  git("commit", "-qm", "head");
  // Uncommitted noise in the working tree must not be seen.
  await writeFile(join(repo, "platform/rbac/uncommitted.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: local-only}\n");
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe("git revisions", () => {
  it("gives the same changes as comparing the two directories", async () => {
    const fromGit = await runCli(["check", "--repo", repo, "--base", "HEAD~1", "--head", "main", "--format", "json"]);
    const fromDirs = await runCli(["check", "--base", "fixtures/demo/base", "--head", "fixtures/demo/head", "--format", "json"]);
    expect(fromGit.code, fromGit.stderr).toBe(0);
    const a = JSON.parse(fromGit.stdout) as Report;
    const b = JSON.parse(fromDirs.stdout) as Report;
    expect(a.base.ref).toBe("HEAD~1");
    expect(a.changes).toEqual(b.changes);
    expect(JSON.stringify(a)).not.toContain("local-only");
    expect(execFileSync("git", ["-C", repo, "status", "--porcelain"]).toString()).toBe("?? platform/rbac/uncommitted.yaml\n");
  });
});

describe("the shipshape launcher", () => {
  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: PROJECT_ROOT });
  });
  const run = (...args: string[]) => spawnSync(process.execPath, ["bin/shipshape.js", ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });

  it("prints the version and usage", () => {
    expect(run("--version").stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(run("--help").stdout).toContain("shipshape check --base <SOURCE> --head <SOURCE>");
  });

  it("exits 2 on bad usage", () => {
    const r = run("check", "--base", "x");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("check needs both --base and --head");
  });

  it("checks the demo and writes the report to --output", async () => {
    const out = join(tmpdir(), `shipshape-out-${process.pid}.md`);
    const r = run("check", "--base", "fixtures/demo/base", "--head", "fixtures/demo/head", "--format", "markdown", "--output", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(out, "utf8")).toContain("## Shipshape");
    await rm(out, { force: true });
  });

  it("doctor names each renderer's binary and version", () => {
    const r = spawnSync(process.execPath, ["bin/shipshape.js", "doctor"], { cwd: PROJECT_ROOT, encoding: "utf8", env: { PATH: "" } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/kustomize\s+kubectl kustomize v5\.5\.0 {2}\(.*tools\/bin\/kubectl\)/);
    expect(r.stdout).toMatch(/helm\s+helm v3\.17\.\d+\S* {2}\(.*tools\/bin\/helm\)/);
    expect(r.stdout).toMatch(/compose\s+compose \(built-in\)/);
  });
});
