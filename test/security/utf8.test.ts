/**
 * Found item 11 (first half): bytes that are not UTF-8 were silently decoded to U+FFFD, so
 * Shipshape reviewed text other than what the tools read. Every file Shipshape reads as text
 * now turns them into an input/invalid-utf8 error naming the file and line, and the target is
 * still reported.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { firstInvalidByte } from "../../src/repo/utf8.js";
import { runCli } from "../helpers/cli.js";
import { writeTree } from "../helpers/write-tree.js";

const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: hello\n";
/** "café" in Latin-1: 0xE9 is not followed by continuation bytes. */
const LATIN1 = Buffer.concat([Buffer.from(CM.replace("hello\n", "caf")), Buffer.from([0xe9]), Buffer.from("\n")]);

let work: string;


async function check(base: Record<string, string | Buffer>, head: Record<string, string | Buffer>) {
  const dir = await mkdtemp(join(work, "case-"));
  await writeTree(join(dir, "base"), base);
  await writeTree(join(dir, "head"), head);
  return runCli(["check", "--base", join(dir, "base"), "--head", join(dir, "head"), "--format", "json"]);
}

async function report(base: Record<string, string | Buffer>, head: Record<string, string | Buffer>): Promise<Report> {
  const run = await check(base, head);
  expect(run.code, run.stderr).toBe(1);
  return JSON.parse(run.stdout) as Report;
}

const utf8Findings = (r: Report) => r.findings.filter((f) => f.ruleId === "input/invalid-utf8").map((f) => [f.severity, f.target, f.file, f.line, f.message]);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-utf8-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("a file that is not UTF-8", () => {
  it("in a plain manifest is an error on its line, and the target is still reported", async () => {
    const r = await report({ "apps/web/cm.yaml": CM }, { "apps/web/cm.yaml": LATIN1 });
    expect(utf8Findings(r)).toEqual([
      [
        "error",
        "apps/web",
        "apps/web/cm.yaml",
        6,
        "apps/web/cm.yaml:6: not valid UTF-8 (byte 0xE9 at column 16); Shipshape reads repository files as UTF-8 text. Save the file as UTF-8.",
      ],
    ]);
    expect(r.targets.find((t) => t.id === "apps/web")?.status).toBe("failed");
    expect(JSON.stringify(r)).not.toContain("\uFFFD");
  });

  it("in a kustomization is an error, not a silently different build", async () => {
    const kustomization = Buffer.concat([Buffer.from("resources:\n  - cm.yaml\n# r"), Buffer.from([0xc3, 0x28]), Buffer.from("sum\n")]);
    const r = await report(
      { "app/kustomization.yaml": "resources:\n  - cm.yaml\n", "app/cm.yaml": CM },
      { "app/kustomization.yaml": kustomization, "app/cm.yaml": CM },
    );
    expect(utf8Findings(r)).toEqual([["error", "app", "app/kustomization.yaml", 3, expect.stringContaining("byte 0xC3 at column 4")]]);
    expect(r.targets.find((t) => t.id === "app")).toBeDefined();
  });

  it("in a Chart.yaml is an error on the chart", async () => {
    const chart = "apiVersion: v2\nname: web\nversion: 1.0.0\n";
    const r = await report(
      { "charts/web/Chart.yaml": chart, "charts/web/templates/cm.yaml": CM },
      { "charts/web/Chart.yaml": Buffer.concat([Buffer.from(chart), Buffer.from("description: "), Buffer.from([0xff]), Buffer.from("\n")]), "charts/web/templates/cm.yaml": CM },
    );
    expect(utf8Findings(r)).toEqual([["error", "charts/web", "charts/web/Chart.yaml", 4, expect.stringContaining("byte 0xFF at column 14")]]);
  });

  it("in a Compose file is an error on the project", async () => {
    const compose = "services:\n  web:\n    image: nginx:1.27\n";
    const r = await report({ "docker-compose.yml": compose }, { "docker-compose.yml": Buffer.concat([Buffer.from(compose), Buffer.from("# "), Buffer.from([0xe2, 0x82]), Buffer.from("\n")]) });
    expect(utf8Findings(r)).toEqual([["error", expect.any(String), "docker-compose.yml", 4, expect.stringContaining("byte 0xE2 at column 3")]]);
  });

  it("in a team policy on the base side is a policy error, not a crash", async () => {
    const policy = Buffer.concat([Buffer.from("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\n# "), Buffer.from([0xfe]), Buffer.from("\n")]);
    const files = { ".github/shipshape.yml": 'policies:\n  paths: ["policy/*.yaml"]\n', "policy/p.yaml": policy, "apps/web/cm.yaml": CM };
    const r = await report(files, { ...files, "apps/web/cm.yaml": LATIN1 });
    const finding = r.findings.find((f) => f.ruleId === "config/policy-invalid");
    expect(finding).toMatchObject({ severity: "error", file: "policy/p.yaml", line: 3 });
    expect(finding?.message).toContain("not valid UTF-8 (byte 0xFE at column 3)");
  });

  it("in the base side's config is a config error (exit 2)", async () => {
    const config = Buffer.concat([Buffer.from("risk:\n  enabled: true\n# "), Buffer.from([0x80]), Buffer.from("\n")]);
    const run = await check({ ".github/shipshape.yml": config, "apps/web/cm.yaml": CM }, { "apps/web/cm.yaml": CM });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(".github/shipshape.yml:3: not valid UTF-8 (byte 0x80 at column 3)");
  });
});

describe("finding the first bad byte", () => {
  it.each<[string, number[], number]>([
    ["a valid four-byte sequence", [0x61, 0xf0, 0x9f, 0x98, 0x80, 0x62], 6],
    ["a lone continuation byte", [0x61, 0x80], 1],
    ["an overlong two-byte form", [0xc0, 0x80], 0],
    ["an overlong three-byte form", [0x61, 0xe0, 0x80, 0x80], 1],
    ["a surrogate", [0xed, 0xa0, 0x80], 0],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a lead byte that never leads", [0x61, 0x62, 0xf5], 2],
    ["a sequence cut at the end", [0x61, 0xe2, 0x82], 1],
  ])("%s", (_name, bytes, offset) => {
    expect(firstInvalidByte(Uint8Array.from(bytes))).toBe(offset);
  });
});
