/**
 * Conformance with the public Kyverno policy library: runs every kyverno-test.yaml of
 * ../shared/conformance/kyverno through runPolicyTests and checks that every evaluated result
 * entry on pattern/anyPattern/deny/foreach policies (the non-CEL, non-vpol folders) comes out
 * as Kyverno says, and that on the CEL folders (validate.cel, ValidatingPolicy) at least 95 % of
 * the entries are evaluated with at least 98 % as Kyverno says. Entries on mutate/generate
 * policies are counted apart as unsupported, never as passes.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runPolicyTests } from "../../src/policy/test-runner/run.js";

const SUITE = resolve(import.meta.dirname, "../../../shared/conformance/kyverno");
const present = existsSync(SUITE);

if (!present) {
  console.warn(`\n*** Kyverno conformance suite not found at ${SUITE}: conformance test SKIPPED (CI always has it) ***\n`);
}

interface FolderResult {
  folder: string;
  passed: number;
  failed: number;
  skipped: number;
  unsupported: number;
  failures: string[];
}

async function runFolder(folder: string): Promise<FolderResult> {
  const lines: string[] = [];
  const summary = await runPolicyTests(join(SUITE, folder), { stdout: (t) => lines.push(t), stderr: (t) => lines.push(t) });
  return { folder, ...summary, failures: lines.filter((l) => l.startsWith("FAIL")) };
}

function rate(r: { passed: number; failed: number; skipped: number }): number {
  const total = r.passed + r.failed + r.skipped;
  return total === 0 ? 1 : (r.passed + r.skipped) / total;
}

describe.skipIf(!present)("Kyverno policy library conformance", () => {
  it("matches kyverno test on every evaluated pattern/anyPattern/deny/foreach result entry", async () => {
    const folders = readdirSync(SUITE, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const results = await Promise.all(folders.map(runFolder));
    for (const r of results) {
      const checked = r.passed + r.failed + r.skipped;
      console.log(`conformance ${r.folder}: ${r.passed + r.skipped}/${checked} entries as kyverno (${(rate(r) * 100).toFixed(1)}%), ${r.unsupported} unsupported`);
      for (const f of r.failures.slice(0, 20)) console.log(`  ${f.trimEnd()}`);
    }
    const native = results.filter((r) => !r.folder.endsWith("-cel") && !r.folder.endsWith("-vpol"));
    const total = native.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
    const unsupported = native.reduce((n, r) => n + r.unsupported, 0);
    console.log(`conformance total (non-CEL folders): ${total.passed + total.skipped}/${total.passed + total.failed + total.skipped} (${(rate(total) * 100).toFixed(1)}%), ${unsupported} unsupported`);
    expect(total.passed + total.failed + total.skipped).toBeGreaterThan(500);
    // Every evaluated entry of the classic folders agrees with kyverno test.
    expect(total.failed).toBe(0);
    // CEL and vpol folders (validate.cel, ValidatingPolicy): at least 95 % of the entries are
    // evaluated, and at least 98 % of those come out as Kyverno says.
    for (const r of results.filter((x) => x.folder.endsWith("-cel") || x.folder.endsWith("-vpol"))) {
      const evaluated = r.passed + r.failed + r.skipped;
      expect(evaluated / (evaluated + r.unsupported), `${r.folder} evaluated share`).toBeGreaterThanOrEqual(0.95);
      expect(rate(r), `${r.folder} match rate`).toBeGreaterThanOrEqual(0.98);
    }
  }, 120_000);
});
