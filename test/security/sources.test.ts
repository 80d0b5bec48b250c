/**
 * Found item 3 of the security issue: a directory shadowed a git revision. The pull request
 * adds a folder `origin/main/` holding its own `.github/shipshape.yml`, which names a script
 * of the pull request as helm; `--base origin/main` took the folder, so the pull request
 * was reviewed against itself, with its own config, and the script ran.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { gitSources } from "../../action/src/refs.js";
import { parseSourceArg, resolveSourceArg } from "../../src/cli/sources.js";
import { SourceError } from "../../src/repo/errors.js";
import { runCli } from "../helpers/cli.js";

let repo: string;
let marker: string;

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-sources-"));
  repo = join(dir, "repo");
  marker = join(dir, "evil-ran");
  mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe" });
  git("init", "-q", "-b", "main");
  writeFiles(repo, { "raw/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: \"1\"}\n" });
  git("add", "-A");
  git("commit", "-qm", "main");
  git("update-ref", "refs/remotes/origin/main", "HEAD");
  git("checkout", "-q", "-b", "pr");
  // The pull request: a chart (so helm runs), and a folder named like the base branch with
  // a config of its own that picks a script of the pull request as helm.
  const evil = join(repo, "origin/main/evil.sh");
  writeFiles(repo, {
    "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
    "chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    "origin/main/.github/shipshape.yml": `render:\n  binaries:\n    helm: ${evil}\n`,
    "origin/main/evil.sh": `#!/bin/sh\n: > '${marker}'\necho v3.99.0\n`, // a builtin: the tool's PATH is empty
    "origin/main/raw/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: \"1\"}\n",
  });
  chmodSync(evil, 0o755);
  git("add", "-A");
  git("commit", "-qm", "pr");
});
afterAll(() => rmSync(join(repo, ".."), { recursive: true, force: true }));

describe("a folder named like the base revision", () => {
  it("makes a bare --base origin/main an error (exit 2) that says how to be explicit; nothing runs", async () => {
    const run = await runCli(["check", "--base", "origin/main", "--head", "HEAD"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--base origin/main is ambiguous: it is both a directory");
    expect(run.stderr).toContain("--base git:origin/main for the revision, or --base dir:origin/main for the directory");
    expect(run.stdout).toBe("");
    expect(existsSync(marker)).toBe(false);
  });

  it("reviews against the branch with git:origin/main, without the pull request's script", async () => {
    const run = await runCli(["check", "--base", "git:origin/main", "--head", "git:HEAD", "--format", "json"], { cwd: repo });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.base.ref).toBe("origin/main");
    expect(report.targets.find((t) => t.id === "chart")).toMatchObject({ status: "rendered", renderer: { name: "helm", version: expect.stringMatching(/^v3\.17/) } });
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses the folder's config with dir:origin/main: a config cannot name binaries", async () => {
    const run = await runCli(["check", "--base", "dir:origin/main", "--head", "git:HEAD"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^shipshape: \.github\/shipshape\.yml:2: render\.binaries: is no longer read from the config/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("explicit sources", () => {
  it.each([
    ["dir:a/b", { kind: "dir", value: "a/b" }],
    ["git:origin/main", { kind: "git", value: "origin/main" }],
    ["git:dir:x", { kind: "git", value: "dir:x" }],
    ["origin/main", { kind: "either", value: "origin/main" }],
  ])("%s parses as %j", (text, expected) => {
    expect(parseSourceArg(text)).toEqual(expected);
  });

  it("takes a bare value that is only a directory, or only a revision, for what it is", async () => {
    await expect(resolveSourceArg("--base", parseSourceArg("raw"), repo, repo)).resolves.toEqual({ kind: "dir", path: join(repo, "raw"), ref: "raw" });
    await expect(resolveSourceArg("--base", parseSourceArg("main"), repo, repo)).resolves.toEqual({ kind: "git", repo, rev: "main" });
    await expect(resolveSourceArg("--base", parseSourceArg("origin/main"), repo, repo)).rejects.toBeInstanceOf(SourceError);
  });

  it("is a usage error to give dir: or git: nothing", async () => {
    const run = await runCli(["check", "--base", "git:", "--head", "HEAD"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--base git: needs a revision after "git:"');
  });

  it("is what the Action builds: both sides are git revisions of the checkout", () => {
    expect(gitSources(repo, { base: "origin/main", head: "abc123" })).toEqual({
      base: { kind: "git", repo, rev: "origin/main" },
      head: { kind: "git", repo, rev: "abc123" },
    });
  });
});
