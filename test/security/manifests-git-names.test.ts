/**
 * Second red team, "file names that are not UTF-8": git stores names as bytes, a checkout writes
 * them as they are and `kubectl apply -f <folder>` reads every file. `git ls-tree` output was
 * decoded as UTF-8, so `deploy/\xfe.yaml` (a ClusterRoleBinding) and `deploy/\xff.yaml` (a
 * ConfigMap) both became `deploy/\ufffd.yaml`, and the binding vanished from the review. Names
 * that are not UTF-8 are now refused, each with an input/unsafe-path error naming its bytes.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";
import { CONFIG_MAP, CRB } from "./manifests-kubectl.js";

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-git-names-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const git = (repo: string, ...args: string[]) =>
  execFileSync("git", ["-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe" }).toString().trim();

describe("git file names that are not UTF-8", () => {
  it("are refused with an error each, instead of two files decoding into one", async () => {
    const repo = join(work, "repo");
    await mkdir(join(repo, "deploy"), { recursive: true });
    git(repo, "init", "-q");
    await writeFile(join(repo, "deploy", "cm.yaml"), CONFIG_MAP("settings"));
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "base");
    const base = git(repo, "rev-parse", "HEAD");
    const folder = Buffer.from(join(repo, "deploy/"));
    await writeFile(Buffer.concat([folder, Buffer.from([0xfe]), Buffer.from(".yaml")]), CRB("hidden-by-name"));
    await writeFile(Buffer.concat([folder, Buffer.from([0xff]), Buffer.from(".yaml")]), CONFIG_MAP("other"));
    await writeFile(join(repo, "deploy", "r\u00f4le.yaml"), CRB("utf8-name"));
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "head");
    const head = git(repo, "rev-parse", "HEAD");

    const run = await runCli(["check", "--repo", repo, "--base", `git:${base}`, "--head", `git:${head}`, "--format", "json"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const refused = report.findings.filter((f) => f.ruleId === "input/unsafe-path").map((f) => [f.severity, f.introduced, f.file]);
    expect(refused).toEqual([
      ["error", true, "deploy/\\xfe.yaml"],
      ["error", true, "deploy/\\xff.yaml"],
    ]);
    // A name that is UTF-8, accents and all, is read as before.
    expect(report.changes.map((c) => [c.action, c.kind, c.name])).toEqual([["added", "ClusterRoleBinding", "utf8-name"]]);
    expect(run.stdout).not.toContain("\ufffd");
  });
});
