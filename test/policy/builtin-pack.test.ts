import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runPolicyTests } from "../../src/policy/index.js";

const POLICIES = resolve(import.meta.dirname, "../../policies");

/**
 * policies/**\/kyverno-test.yaml hold 267 result entries (one per expected rule × resource):
 * 241 expect pass or fail, 26 expect skip. Adding cases only raises these.
 */
const MIN_PASSED = 241;
const MIN_SKIPPED = 26;

async function run(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const summary = await runPolicyTests(dir, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { summary, stdout: out.join(""), stderr: err.join("") };
}

describe("built-in policy pack", () => {
  it("passes every kyverno-test.yaml under policies/", async () => {
    const { summary, stdout, stderr } = await run(POLICIES);
    const problems = stdout.split("\n").filter((line) => /^(FAIL|UNSUPPORTED)\b/.test(line));
    expect({ problems, stderr }).toEqual({ problems: [], stderr: "" });
    expect(summary.failed).toBe(0);
    expect(summary.unsupported).toBe(0);
    expect(summary.passed).toBeGreaterThanOrEqual(MIN_PASSED);
    expect(summary.skipped).toBeGreaterThanOrEqual(MIN_SKIPPED);
    expect(summary.exitCode).toBe(0);
    expect(stdout).toContain(`${summary.passed} passed, 0 failed, ${summary.skipped} skipped`);
  });

  it.each(["kubernetes", "compose"])("tests every %s policy, in its own folder, with passing and failing cases", async (pack) => {
    const dir = resolve(POLICIES, pack);
    const names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(names.length).toBeGreaterThan(0);
    const { summary, stdout } = await run(dir);
    expect(summary.failed).toBe(0);
    for (const name of names) {
      expect(existsSync(resolve(dir, name, `${name}.yaml`)), `${name}/${name}.yaml`).toBe(true);
      expect(existsSync(resolve(dir, name, ".kyverno-test/kyverno-test.yaml")), `${name}/.kyverno-test`).toBe(true);
      const rows = stdout.split("\n").filter((line) => line.startsWith("PASS") && line.includes(` ${name}/`));
      expect(rows.some((line) => line.endsWith("(pass)")), `${name} has a passing case`).toBe(true);
      expect(rows.some((line) => line.endsWith("(fail)")), `${name} has a failing case`).toBe(true);
    }
  });
});
