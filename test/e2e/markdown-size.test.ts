/**
 * `--format markdown` from the CLI stays within GitHub's 65,536 characters on standard
 * output (with a note naming what was cut and where the rest is), and with --output writes
 * the whole report as numbered parts that each fit.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckArgs } from "../../src/cli/args.js";
import type { CliEnvironment } from "../../src/cli/environment.js";
import { partNames, writeReport } from "../../src/cli/write-report.js";
import { SecretSet } from "../../src/core/secrets/secret-set.js";
import { bigDiff, change, report, target } from "../present/builders.js";

// A release bump: 120 changed Deployments with 40-line diffs, about 400,000 characters in full.
const big = report({
  targets: [target("charts/platform")],
  changes: Array.from({ length: 120 }, (_, i) => change("charts/platform", `svc-${i}`, { summary: [`image: app:1.${i} → app:2.${i}`], diff: bigDiff(`svc-${i}`, 40) })),
  outcome: { failOn: "error", exitCode: 0, reason: "nothing at or above --fail-on=error" },
});

const args = (output?: string): CheckArgs => ({
  command: "check",
  base: { kind: "dir", value: "a" },
  head: { kind: "dir", value: "b" },
  repo: ".",
  format: "markdown",
  failOn: "error",
  verbose: false,
  binaries: {},
  ...(output ? { output } : {}),
});

let dir: string;
let stdout: string;
let stderr: string;
const env = (): CliEnvironment => ({
  cwd: dir,
  path: "",
  cpus: 1,
  today: "2026-11-23",
  tmpDir: tmpdir(),
  toolsDir: "",
  stdout: (t) => void (stdout += t),
  stderr: (t) => void (stderr += t),
  isTTY: false,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "shipshape-md-size-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("--format markdown size", () => {
  it("stays within 65,536 characters on standard output, saying what was left out and where to find it", async () => {
    stdout = "";
    await writeReport(big, args(), env(), new SecretSet());
    expect(stdout.length).toBeLessThanOrEqual(65_536);
    expect(stdout).toContain("**✂️ Shortened to fit GitHub's comment limit of 65,536 characters.** Left out:");
    expect(stdout).toContain("`--format json` has every change and finding; `--output FILE` writes the whole report as numbered parts that each fit (FILE, then FILE.2.md, …).");
    expect(stdout).not.toContain("Run `shipshape check` locally");
    // The closing line survives every cut.
    expect(stdout).toContain("✅ **Exit 0**: nothing at or above --fail-on=error");
  });

  it("writes numbered parts with --output, each within the limit, together the whole report", async () => {
    stderr = "";
    await writeReport(big, args("report.md"), env(), new SecretSet());
    const files = (await readdir(dir)).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files).toEqual(partNames("report.md", files.length).sort());
    const parts = await Promise.all(partNames("report.md", files.length).map((f) => readFile(join(dir, f), "utf8")));
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(65_536);
    expect(parts[1]!.startsWith(`_Shipshape report, part 2 of ${parts.length}_\n\n`)).toBe(true);
    expect(parts[0]).toContain(`_Continued in part 2 of ${parts.length}: \`report.2.md\`_`);
    const all = parts.join("");
    for (let i = 0; i < 120; i++) expect(all).toContain(`svc-${i} line 39 `);
    expect(all).not.toContain("Shortened to fit");
    expect(stderr).toMatch(/^shipshape: the Markdown report has \d+ characters, over GitHub's limit of 65536; wrote it in \d+ parts: report\.md, report\.2\.md, /);
  });

  it("writes one file when the report fits", async () => {
    await writeReport(report({ outcome: big.outcome! }), args("small.md"), env(), new SecretSet());
    expect(await readFile(join(dir, "small.md"), "utf8")).toContain("**Exit 0**");
    expect((await readdir(dir)).filter((f) => f.startsWith("small"))).toEqual(["small.md"]);
  });

  it("names parts after the output file", () => {
    expect(partNames("out/report.md", 3)).toEqual(["out/report.md", "out/report.2.md", "out/report.3.md"]);
    expect(partNames("report", 2)).toEqual(["report", "report.2"]);
  });
});
