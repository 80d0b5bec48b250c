import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDirectory } from "../../src/repo/dir-source.js";
import { openRevision } from "../../src/repo/git-source.js";
import { SourceError } from "../../src/repo/errors.js";
import type { LazyTree } from "../../src/repo/lazy-tree.js";

let work: string;
let opened: LazyTree[];
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-test-"));
  opened = [];
});
afterEach(async () => {
  await Promise.all(opened.map((t) => t.close()));
  await rm(work, { recursive: true, force: true });
});

const track = (t: LazyTree) => (opened.push(t), t);

/** A repository with a regular file, an inner file link, and links that must not be followed. */
async function populate(repo: string): Promise<void> {
  await mkdir(join(repo, "app", "sub"), { recursive: true });
  await writeFile(join(repo, "app", "cm.yaml"), "kind: ConfigMap\n");
  await writeFile(join(repo, "app", "sub", "x.yaml"), "x: 1\n");
  await writeFile(join(work, "outside-secret.txt"), "s3cret");
  await symlink(join(work, "outside-secret.txt"), join(repo, "app", "leak.yaml"));
  await symlink("/etc/passwd", join(repo, "app", "passwd.yaml"));
  await symlink("cm.yaml", join(repo, "app", "alias.yaml"));
  await symlink("sub", join(repo, "app", "dirlink"));
  await symlink("nothing-here", join(repo, "app", "dangling.yaml"));
}

const followedNot = (t: LazyTree) => t.warnings.map((w) => `${w.file} ${w.message.replace(/^.*" /, "")}`).sort();

describe("directory sources", () => {
  it("lists files, follows only links to files inside, and reports the rest", async () => {
    const repo = join(work, "repo");
    await populate(repo);
    await mkdir(join(repo, ".git"));
    await writeFile(join(repo, ".git", "HEAD"), "ref");
    const tree = track(await openDirectory(repo, "repo", join(work, "snap")));
    expect(tree.files()).toEqual(["app/alias.yaml", "app/cm.yaml", "app/sub/x.yaml"]);
    expect(followedNot(tree)).toEqual([
      "app/dangling.yaml points to nothing; it was not followed. Commit the file itself instead of a link.",
      "app/dirlink points to a directory (directory links are not followed); it was not followed. Commit the file itself instead of a link.",
      "app/leak.yaml leads outside the repository; it was not followed. Commit the file itself instead of a link.",
      "app/passwd.yaml leads outside the repository; it was not followed. Commit the file itself instead of a link.",
    ]);
    await expect(tree.read("app/leak.yaml")).rejects.toThrow(/no such file/);
    expect(await tree.read("app/alias.yaml")).toBe("kind: ConfigMap\n");
    expect(await tree.digest("app/alias.yaml")).toBe(await tree.digest("app/cm.yaml"));
  });

  it("writes to disk only the files a tool asks for", async () => {
    const repo = join(work, "repo");
    await populate(repo);
    const snap = join(work, "snap");
    const tree = track(await openDirectory(repo, "repo", snap));
    await tree.materialize(["app/alias.yaml", "app/leak.yaml"]);
    expect(await readdir(join(snap, "app"))).toEqual(["alias.yaml"]);
    expect(await readFile(join(snap, "app", "alias.yaml"), "utf8")).toBe("kind: ConfigMap\n");
  });

  it("rejects a path that is not a directory, and trees over the limits", async () => {
    await expect(openDirectory(join(work, "nope"), "nope", join(work, "snap"))).rejects.toBeInstanceOf(SourceError);
    const repo = join(work, "repo");
    await populate(repo);
    await expect(openDirectory(repo, "repo", join(work, "snap"), { maxEntries: 2, maxBytes: 1 << 20 })).rejects.toThrow(/more than 2 files/);
  });
});

describe("git revision sources", () => {
  const git = (repo: string, ...args: string[]) =>
    execFileSync("git", ["-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe" }).toString();

  it("reads a commit, not the working tree, with blob ids as digests", async () => {
    const repo = join(work, "repo");
    await populate(repo);
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "one");
    await writeFile(join(repo, "app", "cm.yaml"), "changed but not committed\n");
    const tree = track(await openRevision(repo, "HEAD", join(work, "snap")));
    expect(tree.files()).toEqual(["app/alias.yaml", "app/cm.yaml", "app/sub/x.yaml"]);
    expect(await tree.read("app/cm.yaml")).toBe("kind: ConfigMap\n");
    expect(await tree.read("app/alias.yaml")).toBe("kind: ConfigMap\n");
    expect(await tree.digest("app/cm.yaml")).toBe(git(repo, "rev-parse", "HEAD:app/cm.yaml").trim());
    expect(followedNot(tree).map((l) => l.split(" ")[0])).toEqual(["app/dangling.yaml", "app/dirlink", "app/leak.yaml", "app/passwd.yaml"]);
    await tree.materialize(["app/sub/x.yaml"]);
    expect(await readFile(join(work, "snap", "app", "sub", "x.yaml"), "utf8")).toBe("x: 1\n");
  });

  it("reads many files through one batch process", async () => {
    const repo = join(work, "repo");
    await mkdir(repo);
    git(repo, "init", "-q");
    for (let i = 0; i < 300; i++) await writeFile(join(repo, `f${i}.txt`), `file ${i}\n`.repeat(i));
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "many");
    const tree = track(await openRevision(repo, "HEAD", join(work, "snap")));
    const texts = await Promise.all(tree.files().map((f) => tree.read(f)));
    expect(texts.every((t, i) => t === `file ${tree.files()[i]!.slice(1, -4)}\n`.repeat(Number(tree.files()[i]!.slice(1, -4))))).toBe(true);
  });

  it("names the revision when it does not exist, and refuses revisions over the limits", async () => {
    const repo = join(work, "repo");
    await mkdir(repo);
    git(repo, "init", "-q");
    await expect(openRevision(repo, "no-such-branch", join(work, "snap"))).rejects.toThrow(/no-such-branch: not a directory, and not a commit/);
    await expect(openRevision(repo, "--output=/tmp/x", join(work, "snap"))).rejects.toBeInstanceOf(SourceError);
    for (let i = 0; i < 12; i++) await writeFile(join(repo, `f${i}.txt`), "x");
    git(repo, "add", ".");
    git(repo, "commit", "-qm", "many");
    await expect(openRevision(repo, "HEAD", join(work, "snap"), { maxEntries: 5, maxBytes: 1 << 20 })).rejects.toThrow(/more than 5 files/);
    await expect(openRevision(repo, "HEAD", join(work, "snap"), { maxEntries: 50, maxBytes: 4 })).rejects.toThrow(/more than 4 bytes/);
  });

  it("refuses names that are not UTF-8 instead of decoding two of them into one, and keeps other names", async () => {
    const repo = join(work, "repo");
    await mkdir(join(repo, "deploy"), { recursive: true });
    git(repo, "init", "-q");
    const folder = Buffer.from(join(repo, "deploy/"));
    await writeFile(Buffer.concat([folder, Buffer.from([0xfe]), Buffer.from(".yaml")]), "a: 1\n");
    await writeFile(Buffer.concat([folder, Buffer.from("caf"), Buffer.from([0xe9, 0xff]), Buffer.from(".yaml")]), "b: 2\n");
    await writeFile(join(repo, "deploy", "d\u00e9ploiement.yaml"), "c: 3\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "names");
    const tree = track(await openRevision(repo, "HEAD", join(work, "snap")));
    expect(tree.files()).toEqual(["deploy/d\u00e9ploiement.yaml"]);
    expect(tree.warnings.map((w) => [w.ruleId, w.severity, w.file])).toEqual([
      ["input/unsafe-path", "error", "deploy/caf\\xe9\\xff.yaml"],
      ["input/unsafe-path", "error", "deploy/\\xfe.yaml"],
    ]);
    expect(tree.warnings[1]!.message).toMatch(/^deploy\/\\xfe\.yaml: the path has bytes that are not UTF-8 in its name, so the file was left out/);
  });
});
