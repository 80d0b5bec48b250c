import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runPolicyTests } from "../../src/policy/test-runner/run.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/policy");

async function run(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const summary = await runPolicyTests(resolve(FIXTURES, dir), { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { summary, lines: out.join("").trimEnd().split("\n"), errors: err.join("") };
}

describe("runPolicyTests", () => {
  it("runs every kyverno-test.yaml below the directory, in both file formats", async () => {
    const { summary, lines } = await run("suite");
    expect(summary).toMatchObject({ entries: 8, passed: 7, failed: 0, skipped: 1, unsupported: 0, errors: 0, exitCode: 0 });
    expect(lines).toContain("PASS        require-team/autogen-no-latest Deployment/web (fail)");
    expect(lines).toContain("SKIP        require-team/no-latest Pod/skipped (skip)");
    expect(lines).toContain("PASS        disallow-host-network/host-network Pod/hostnet (fail)");
    // validate.cel is evaluated (src/policy/cel).
    expect(lines).toContain("PASS        cel-host-network/host-network Pod/hostnet (fail)");
    expect(lines.at(-1)).toBe("7 passed, 0 failed, 1 skipped");
  });

  it("fails on a mismatch and on an expected result the engine did not produce", async () => {
    const { summary, lines } = await run("failing");
    expect(summary).toMatchObject({ entries: 2, passed: 0, failed: 2, skipped: 0, unsupported: 0, errors: 0, exitCode: 1 });
    expect(lines.some((l) => l.startsWith("FAIL") && l.includes("Pod/plain (want fail, got pass"))).toBe(true);
    expect(lines.some((l) => l.startsWith("FAIL") && l.includes("Pod/does-not-exist (want pass, got no result (not found))"))).toBe(true);
    expect(lines.at(-1)).toBe("0 passed, 2 failed, 0 skipped");
  });

  it("refuses paths that leave the tested directory, as a setup error (exit 3)", async () => {
    const { summary, lines } = await run("escape");
    expect(summary).toMatchObject({ exitCode: 3, errors: 1, passed: 0, failed: 0 });
    expect(lines.some((l) => l.startsWith("ERROR") && l.includes("resolves outside the tested directory"))).toBe(true);
  });

  it("reports a missing directory as a usage error (exit 2)", async () => {
    const { summary, errors } = await run("no-such-dir");
    expect(summary.exitCode).toBe(2);
    expect(errors).toMatch(/no such directory/);
  });
});
