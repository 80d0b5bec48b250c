/**
 * The demo repository as GitHub would serve it: tarballs of base and head (optionally a head
 * modified by the test), and the pull request's file list with real unified-diff patches.
 */
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { structuredPatch } from "diff";
import { packageRoot } from "../../../src/package-root.js";
import { githubTarball } from "../../helpers/tarball.js";
import { FakeGitHub } from "./fake-github.js";
import { BASE_SHA, HEAD_SHA } from "./payloads.js";

export const DEMO_BASE = join(packageRoot(), "fixtures", "demo", "base");
export const DEMO_HEAD = join(packageRoot(), "fixtures", "demo", "head");

export async function tarballOf(dir: string, sha: string): Promise<Buffer> {
  return githubTarball(dir, `octo-demo-${sha.slice(0, 7)}`);
}

/** A copy of the demo head with some files replaced, for pushes on top of the pull request. */
export async function modifiedHead(edits: Record<string, (text: string) => string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "shipshape-head-"));
  await cp(DEMO_HEAD, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    const before = await readFile(path, "utf8").catch(() => "");
    await writeFile(path, edit(before));
  }
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

/** `GET /pulls/{n}/files` for base → head: every changed file with its patch (hunks only). */
export async function pullFiles(base: string, head: string): Promise<{ filename: string; status: string; patch?: string }[]> {
  const [a, b] = await Promise.all([listFiles(base), listFiles(head)]);
  const all = [...new Set([...a, ...b])].sort();
  const files = [];
  for (const f of all) {
    const before = a.includes(f) ? await readFile(join(base, f), "utf8") : "";
    const after = b.includes(f) ? await readFile(join(head, f), "utf8") : "";
    if (before === after) continue;
    const patch = structuredPatch(f, f, before, after, "", "", { context: 3 });
    const text = patch.hunks.map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n${h.lines.join("\n")}`).join("\n");
    files.push({ filename: f, status: !a.includes(f) ? "added" : !b.includes(f) ? "removed" : "modified", patch: text });
  }
  return files;
}

/** A fake GitHub serving the demo pull request: config on the default branch, both tarballs, the diff. */
export async function demoGitHub(): Promise<FakeGitHub> {
  const gh = new FakeGitHub();
  gh.install();
  gh.config = await readFile(join(DEMO_BASE, ".github/shipshape.yml"), "utf8");
  gh.tarballs.set(BASE_SHA, await tarballOf(DEMO_BASE, BASE_SHA));
  gh.tarballs.set(HEAD_SHA, await tarballOf(DEMO_HEAD, HEAD_SHA));
  gh.files = await pullFiles(DEMO_BASE, DEMO_HEAD);
  return gh;
}
