/**
 * Shipshape's own memory across targets (issue 11, corpus case
 * memory/sixteen-charts-just-under-the-output-cap): each render is capped, but nothing bounded
 * the output of all of them, and parsed resources take many times their text in the heap.
 * render.maxTotalOutputBytes bounds the review's renders together: the render that spends it
 * is stopped, the ones not started do not start, each an introduced error, and the rest of
 * the report comes out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMaxTotalOutputBytes } from "../../src/config/defaults.js";
import { defaultConfig } from "../../src/config/load.js";
import type { Report } from "../../src/core/model/report.js";
import { createOutputBudget } from "../../src/core/pipeline/output-budget.js";
import { runCli } from "../helpers/cli.js";

/** About 200 KB of `helm template` output from a 200-byte template. */
const MANY = `{{- range $i := until 500 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{{ $i }}
data:
  k: "{{ repeat 300 "x" }}"
{{- end }}
`;

function writeFiles(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "shipshape-output-budget-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("render.maxTotalOutputBytes", () => {
  it("stops rendering once the review's renders printed it, with an introduced error on each target left", async () => {
    const head: Record<string, string> = { ".github/shipshape.yml": "render:\n  maxTotalOutputBytes: 500000\n  concurrency: 1\n" };
    for (let i = 1; i <= 5; i++) {
      head[`charts/c${i}/Chart.yaml`] = `apiVersion: v2\nname: c${i}\nversion: 0.1.0\n`;
      head[`charts/c${i}/templates/many.yaml`] = MANY;
    }
    const base = writeFiles(join(work, "base"), { ".github/shipshape.yml": head[".github/shipshape.yml"]!, "README.md": "x\n" });
    writeFiles(join(work, "head"), head);
    const run = await runCli(["check", "--base", `dir:${base}`, "--head", `dir:${join(work, "head")}`, "--format", "json"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const exhausted = report.findings.filter((f) => f.ruleId === "render/output-budget-exhausted");
    const rendered = report.targets.filter((t) => t.status === "rendered");
    // Two charts of about 200 KB fit in 500 KB; the third is stopped, the rest never start.
    expect(rendered).toHaveLength(2);
    expect(exhausted.map((f) => f.target).sort()).toEqual(report.targets.filter((t) => t.status === "failed").map((t) => t.id).sort());
    expect(exhausted).toHaveLength(3);
    for (const f of exhausted) expect(f).toMatchObject({ severity: "error", introduced: true, message: expect.stringContaining("render.maxTotalOutputBytes") });
    expect(report.changes.filter((c) => c.action === "added")).toHaveLength(2 * 500);
  }, 120_000);

  it("defaults to a 32nd of the heap limit, and is counted across renders", () => {
    expect(defaultMaxTotalOutputBytes(4096 * 1024 * 1024)).toBe(128 * 1024 * 1024);
    expect(defaultMaxTotalOutputBytes(1)).toBe(1024 * 1024);
    expect(defaultConfig({ cpus: 2 }).render.maxTotalOutputBytes).toBe(defaultMaxTotalOutputBytes());
    const budget = createOutputBudget(10)!;
    expect([budget.take(6), budget.exhausted, budget.take(4), budget.exhausted, budget.take(1)]).toEqual([true, false, true, true, false]);
  });
});
