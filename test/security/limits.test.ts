/**
 * Found item 9 of the security issue: renderer memory was unbounded (GOMEMLIMIT is soft)
 * and a review had no time budget. Small limits keep these tests to a few seconds.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/load.js";
import { toReviewOptions } from "../../src/config/review-options.js";
import type { Report } from "../../src/core/model/report.js";
import { review, type ReviewOptions } from "../../src/core/pipeline/review.js";
import type { Renderer } from "../../src/core/ports.js";
import { runTool, sanitizedEnv } from "../../src/render/exec.js";
import { runCli } from "../helpers/cli.js";
import { memoryTree } from "../helpers/memory-tree.js";
import { TOOLS_DIR } from "../helpers/tool-options.js";

const HELM = join(TOOLS_DIR, "helm");
const MiB = 1024 * 1024;
let work: string;

/** Doubles a string forty times: left alone, helm grows to many GB. */
const HUGE_STRING =
  '{{- $s := "xxxxxxxxxxxxxxxx" }}\n{{- range $i := until 40 }}{{- $s = printf "%s%s" $s $s }}{{- end }}\n' +
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {n: "{{ len $s }}"}\n';
/** Ten billion empty iterations: helm spins, with little memory, far past any test. */
const SPIN = "{{- range $i := until 100000 }}{{- range $j := until 100000 }}{{- end }}{{- end }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: spin}\n";
const cm = (name: string, v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: "${v}"}\n`;

function writeFiles(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const chart = (dir: string, name: string, template: string) => ({
  [`${dir}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
  [`${dir}/templates/cm.yaml`]: template,
});

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "shipshape-limits-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("memory limit per renderer process tree", () => {
  it("stops a chart that builds a huge string at render.maxMemoryMiB, and reports the rest", async () => {
    const dir = join(work, "huge");
    const base = writeFiles(join(dir, "base"), { ".github/shipshape.yml": "render:\n  maxMemoryMiB: 128\n", "raw/cm.yaml": cm("a", "1") });
    const head = writeFiles(join(dir, "head"), { ".github/shipshape.yml": "render:\n  maxMemoryMiB: 128\n", "raw/cm.yaml": cm("a", "2"), ...chart("big", "big", HUGE_STRING) });
    const started = Date.now();
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        ruleId: "render/memory-limit",
        severity: "error",
        target: "big",
        file: "big/Chart.yaml",
        message: "helm needed more than 128 MiB of memory (render.maxMemoryMiB) and was stopped",
        introduced: true,
      }),
    );
    expect(report.targets.find((t) => t.id === "big")?.status).toBe("failed");
    expect(report.changes.map((c) => `${c.target} ${c.action} ${c.name}`)).toEqual(["raw modified a"]);
    expect(run.code).toBe(1);
  });

  it("kills a process tree whose members each stay under the limit but together go over it", async () => {
    const dir = writeFiles(join(work, "tree"), chart("big", "big", HUGE_STRING));
    const script = join(dir, "three-helms.sh");
    // Three renders at once: each is under the per-process kernel limit when their sum passes it.
    writeFileSync(script, `#!/bin/sh\nfor i in 1 2 3; do '${HELM}' template -- r ./big >/dev/null & done\nwait\n`);
    chmodSync(script, 0o755);
    const scratch = join(dir, "scratch");
    const result = await runTool({ binary: script, args: [], cwd: dir, scratchDir: scratch, timeoutMs: 30_000, maxOutputBytes: 1 << 20, maxMemoryBytes: 200 * MiB });
    expect(result.kind).toBe("memory-limit");
    if (result.kind !== "memory-limit") return;
    expect(result.peakBytes).toBeGreaterThan(200 * MiB);
    expect(result.ms).toBeLessThan(15_000);
  });

  it("passes arguments through the kernel-limit wrapper as data", async () => {
    const dir = join(work, "wrapper");
    mkdirSync(dir, { recursive: true });
    const echo = join(dir, "echo-args");
    writeFileSync(echo, '#!/bin/sh\nfor a in "$@"; do printf "<%s>" "$a"; done\n');
    chmodSync(echo, 0o755);
    const marker = join(dir, "pwned");
    const args = [`$(touch ${marker})`, `; touch ${marker}`, "`id`", "a b", "'", '"', "line\nbreak", "--x=y", "-"];
    const result = await runTool({ binary: echo, args, cwd: dir, scratchDir: join(dir, "s"), timeoutMs: 10_000, maxOutputBytes: 1 << 20, maxMemoryBytes: 64 * MiB });
    expect(result).toMatchObject({ kind: "ok", stdout: args.map((a) => `<${a}>`).join("") });
    expect(existsSync(marker)).toBe(false);
  });

  it("sets the soft Go heap target to half the hard limit, at most 512 MiB", () => {
    expect(sanitizedEnv("/s", 128 * MiB).GOMEMLIMIT).toBe("64MiB");
    expect(sanitizedEnv("/s", 4096 * MiB).GOMEMLIMIT).toBe("512MiB");
    expect(sanitizedEnv("/s").GOMEMLIMIT).toBe("512MiB");
  });
});

describe("time budget per review", () => {
  it("stops renders in flight when the budget runs out, skips the rest with a finding, and still reports", async () => {
    const dir = join(work, "budget");
    const config = "render:\n  budgetSeconds: 2\n  timeoutSeconds: 60\n  maxMemoryMiB: 256\n  concurrency: 2\n";
    const base = writeFiles(join(dir, "base"), { ".github/shipshape.yml": config, "raw/cm.yaml": cm("a", "1") });
    const head = writeFiles(join(dir, "head"), {
      ".github/shipshape.yml": config,
      "raw/cm.yaml": cm("a", "2"),
      ...chart("spin1", "spin1", SPIN),
      ...chart("spin2", "spin2", SPIN),
      ...chart("spin3", "spin3", SPIN),
      ...chart("spin4", "spin4", SPIN),
    });
    const started = Date.now();
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json"]);
    const elapsed = Date.now() - started;
    // Four spinning charts used to take four times the timeout; now the budget and a grace period.
    expect(elapsed).toBeLessThan(8_000);
    const report = JSON.parse(run.stdout) as Report;
    const spins = ["spin1", "spin2", "spin3", "spin4"];
    expect(report.targets.filter((t) => spins.includes(t.id)).map((t) => t.status)).toEqual(["skipped", "skipped", "skipped", "skipped"]);
    const exhausted = report.findings.filter((f) => f.ruleId === "render/budget-exhausted");
    expect(exhausted.map((f) => f.target).sort()).toEqual(spins);
    expect(exhausted[0]).toMatchObject({ severity: "error", introduced: true });
    expect(exhausted[0]!.message).toContain("time budget (2 s) ran out before the head of this target rendered");
    expect(report.changes.map((c) => `${c.target} ${c.action} ${c.name}`)).toEqual(["raw modified a"]);
    expect(run.code).toBe(1);
  });

  it("never starts a render once the budget is spent", async () => {
    const calls: string[] = [];
    const renderer: Renderer = {
      type: "kustomize",
      discover: async (tree) => tree.files().map((f) => f.slice(0, f.indexOf("/"))).map((path) => ({ id: path, type: "kustomize" as const, path })),
      inputs: async (target, tree) => ({ files: new Set(tree.files().filter((f) => f.startsWith(`${target.path}/`))), blocking: [], warnings: [] }),
      render: (target, _tree, limits) => {
        calls.push(target.id);
        // Like a tool: runs until stopped by the signal.
        return new Promise((resolve) => limits.signal?.addEventListener("abort", () => resolve({ status: "tool-error", message: "stopped" })));
      },
      info: async () => ({ name: "fake", version: null }),
    };
    const files = Object.fromEntries(["a", "b", "c", "d", "e"].map((t) => [`${t}/k.yaml`, t]));
    const options: ReviewOptions = { explicitTargets: [], discovery: true, ignore: [], limits: { timeoutMs: 60_000, maxOutputBytes: 1 << 20 }, concurrency: 1, ignoreFields: [], budgetMs: 100 };
    const { report, toolErrors } = await review(memoryTree("base", {}), memoryTree("head", files), options, { renderers: new Map([["kustomize", renderer]]) });
    expect(calls).toEqual(["a"]);
    expect(toolErrors).toEqual([]);
    expect(report.targets.map((t) => t.status)).toEqual(["skipped", "skipped", "skipped", "skipped", "skipped"]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(Array(5).fill("render/budget-exhausted"));
  });

  it("comes from the config for every entry point (they all build options with toReviewOptions)", () => {
    const options = toReviewOptions(defaultConfig({ cpus: 2 }));
    expect(options.budgetMs).toBe(600_000);
    expect(options.limits.maxMemoryBytes).toBe(1024 * MiB);
  });
});
