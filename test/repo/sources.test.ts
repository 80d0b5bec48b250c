import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, symlink, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { snapshotDirectory } from "../../src/repo/dir-source.js";
import { snapshotRevision } from "../../src/repo/git-source.js";
import { SourceError } from "../../src/repo/errors.js";

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-test-"));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("directory snapshots", () => {
  it("copies the tree, keeps inner symlinks and removes those that lead outside", async () => {
    const repo = join(work, "repo");
    await mkdir(join(repo, "app"), { recursive: true });
    await mkdir(join(repo, ".git"), { recursive: true });
    await writeFile(join(repo, "app", "cm.yaml"), "kind: ConfigMap\n");
    await writeFile(join(repo, ".git", "HEAD"), "ref");
    await writeFile(join(work, "outside-secret.txt"), "s3cret");
    await symlink("../../outside-secret.txt", join(repo, "app", "leak.yaml"));
    await symlink("/etc/passwd", join(repo, "app", "passwd.yaml"));
    await symlink("cm.yaml", join(repo, "app", "alias.yaml"));
    const tree = await snapshotDirectory(repo, "repo", join(work, "snap"));
    expect(tree.files()).toEqual(["app/alias.yaml", "app/cm.yaml"]);
    expect(tree.removedSymlinks.map((s) => s.path).sort()).toEqual(["app/leak.yaml", "app/passwd.yaml"]);
    expect(tree.warnings.map((w) => w.ruleId)).toEqual(["input/symlink-outside-repo", "input/symlink-outside-repo"]);
    await expect(tree.read("app/leak.yaml")).rejects.toThrow(/no such file/);
    expect(await tree.read("app/alias.yaml")).toBe("kind: ConfigMap\n");
  });

  it("rejects a path that is not a directory", async () => {
    await expect(snapshotDirectory(join(work, "nope"), "nope", join(work, "snap"))).rejects.toBeInstanceOf(SourceError);
  });
});

describe("git revision snapshots", () => {
  it("extracts a revision without touching the working tree", async () => {
    const repo = join(work, "repo");
    await mkdir(join(repo, "k8s"), { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe" });
    git("init", "-q");
    await writeFile(join(repo, "k8s", "a.yaml"), "v: 1\n");
    git("add", ".");
    git("commit", "-qm", "one");
    await writeFile(join(repo, "k8s", "a.yaml"), "v: 2 (uncommitted)\n");
    const tree = await snapshotRevision(repo, "HEAD", join(work, "snap"));
    expect(tree.files()).toEqual(["k8s/a.yaml"]);
    expect(await tree.read("k8s/a.yaml")).toBe("v: 1\n");
    expect(await readFile(join(repo, "k8s", "a.yaml"), "utf8")).toBe("v: 2 (uncommitted)\n");
  });

  it("names the revision when it does not exist", async () => {
    const repo = join(work, "repo");
    await mkdir(repo);
    execFileSync("git", ["-C", repo, "init", "-q"]);
    await expect(snapshotRevision(repo, "no-such-branch", join(work, "snap"))).rejects.toThrow(/no-such-branch: not a directory, and not a commit/);
  });

  it("refuses revisions over the file-count limit", async () => {
    const repo = join(work, "repo");
    await mkdir(repo);
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe" });
    git("init", "-q");
    for (let i = 0; i < 12; i++) await writeFile(join(repo, `f${i}.txt`), "x");
    git("add", ".");
    git("commit", "-qm", "many");
    await expect(snapshotRevision(repo, "HEAD", join(work, "snap"), { maxEntries: 5, maxBytes: 1 << 20 })).rejects.toThrow(/more than 5 files/);
  });
});
