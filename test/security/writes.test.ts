/**
 * Found item 4: a crafted commit whose tree lists `x/../../../tmp/...` made the snapshot writer
 * create files outside the scratch folder. Git refuses such names in `git mktree`, so the trees
 * are written byte by byte and stored with `hash-object --literally`, as an attacker would push
 * them to a server that does not run fsck.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

let work: string;
let repo: string;
let scratch: string;
/** Outside the scratch folder: nothing may ever appear here. */
let canaryDir: string;
let base: string;
let head: string;

const CHART = "apiVersion: v2\nname: web\nversion: 1.0.0\n";
const TEMPLATE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: \"VALUE\"\n";

function git(args: string[], input?: string | Buffer): string {
  return execFileSync("git", ["-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { input, stdio: ["pipe", "pipe", "pipe"] })
    .toString()
    .trim();
}

function blob(text: string): string {
  return git(["hash-object", "-w", "--stdin"], text);
}

/** A tree object written by hand: names are taken as they are, `..` and `/` included. */
function tree(entries: { name: string; mode: "100644" | "40000"; id: string }[]): string {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const body = Buffer.concat(sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.id, "hex")])));
  return git(["hash-object", "-t", "tree", "-w", "--literally", "--stdin"], body);
}

/** Nested trees, one per segment, ending in a file: `segments[0]/segments[1]/.../file`. */
function chain(segments: string[], file: string, id: string): string {
  let current = tree([{ name: file, mode: "100644", id }]);
  for (const segment of [...segments].reverse()) current = tree([{ name: segment, mode: "40000", id: current }]);
  return current;
}

function chartTree(value: string, extra: { name: string; mode: "100644" | "40000"; id: string }[]): string {
  const templates = tree([{ name: "cm.yaml", mode: "100644", id: blob(TEMPLATE.replace("VALUE", value)) }]);
  return tree([{ name: "Chart.yaml", mode: "100644", id: blob(CHART) }, { name: "templates", mode: "40000", id: templates }, ...extra]);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-writes-"));
  repo = join(work, "repo");
  scratch = join(work, "scratch");
  canaryDir = join(work, `outside-${randomUUID()}`);
  await mkdir(repo);
  await mkdir(scratch);
  git(["init", "-q", "-b", "main"]);

  const baseRoot = tree([{ name: "x", mode: "40000", id: chartTree("1", []) }]);
  base = git(["commit-tree", baseRoot, "-m", "base"]);

  const payload = blob("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pwned}\n");
  // Enough `..` to reach / from any scratch folder; more stay at /.
  const up = Array.from({ length: 40 }, () => "..");
  const outside = canaryDir.split("/").filter(Boolean);
  const escapes = [
    // x/../../…/<canaryDir>/nested.yaml, one tree per segment.
    { name: "..", mode: "40000" as const, id: chain([...up.slice(1), ...outside], "nested.yaml", payload) },
    // One entry whose name holds slashes: x/../../…/<canaryDir>/slashed.yaml.
    { name: `${up.join("/")}${canaryDir}/slashed.yaml`, mode: "100644" as const, id: payload },
    // An absolute name and empty and `.` segments.
    { name: `${canaryDir}/absolute.yaml`, mode: "100644" as const, id: payload },
    { name: ".", mode: "40000" as const, id: tree([{ name: "dot.yaml", mode: "100644", id: payload }]) },
  ];
  const headRoot = tree([{ name: "x", mode: "40000", id: chartTree("2", escapes) }]);
  head = git(["commit-tree", headRoot, "-p", base, "-m", "head"]);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("a commit whose tree climbs out of the snapshot", () => {
  it("writes nothing outside the scratch folder and reports each entry as input/unsafe-path", async () => {
    // git itself lists the entries as they are: the attack reaches Shipshape unchanged.
    expect(git(["ls-tree", "-r", "--name-only", head])).toContain("x/../../");

    const run = await runCli(["check", "--repo", repo, "--base", base, "--head", head, "--format", "json"], { tmpDir: scratch });

    expect(existsSync(canaryDir)).toBe(false);
    expect(await readdir(scratch)).toEqual([]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const unsafe = report.findings.filter((f) => f.ruleId === "input/unsafe-path");
    expect(unsafe.map((f) => f.file).sort()).toEqual(
      [
        `x/${[...Array.from({ length: 40 }, () => ".."), ...canaryDir.split("/").filter(Boolean)].join("/")}/nested.yaml`,
        `x/${Array.from({ length: 40 }, () => "..").join("/")}${canaryDir}/slashed.yaml`,
        `x/${canaryDir}/absolute.yaml`,
        "x/./dot.yaml",
      ].sort(),
    );
    for (const f of unsafe) {
      expect(f.severity).toBe("error");
      expect(f.message).toContain("left out of the snapshot");
    }
    // The chart itself is still rendered (its files written to disk), without the offending files.
    const chart = report.targets.find((t) => t.id === "x");
    expect(chart?.status).toBe("rendered");
    expect(JSON.stringify(report.changes)).not.toContain("pwned");
  });
});
