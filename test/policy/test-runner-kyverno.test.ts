/**
 * `policy test` agrees with `kyverno test` on how it sets up each request (default namespace,
 * excluded resources, UPDATE's oldObject, no invented userInfo, cluster context answered by the
 * values file) and behaves for CI (formats, exit codes, setup errors once per file).
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runPolicyTests } from "../../src/policy/test-runner/run.js";
import type { ReportFormat } from "../../src/policy/test-runner/report.js";
import { runCli } from "../helpers/cli.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/policy");

async function run(dir: string, format: ReportFormat = "text") {
  const out: string[] = [];
  const err: string[] = [];
  const summary = await runPolicyTests(resolve(FIXTURES, dir), { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { format });
  return { summary, stdout: out.join(""), lines: out.join("").trimEnd().split("\n"), errors: err.join("") };
}

function line(lines: string[], start: string): string | undefined {
  return lines.find((l) => l.includes(start));
}

describe("policy test agrees with kyverno test", () => {
  it("puts a namespaced resource without a namespace in default, never a cluster-scoped one", async () => {
    const { summary, lines } = await run("kyverno-agreement/namespaces");
    expect(line(lines, "Pod/default/no-namespace")).toMatch(/^PASS .*\(fail\)$/);
    expect(line(lines, "Namespace/shop")).toMatch(/^PASS .*\(pass\)$/);
    expect(summary).toMatchObject({ passed: 3, failed: 0, exitCode: 0 });
  });

  it("counts a listed resource the rule does not apply to as excluded: a pass, counted as skipped", async () => {
    const { summary, lines } = await run("kyverno-agreement/excluded");
    expect(line(lines, "check-team Deployment/dev-no-team")).toMatch(/^SKIP .*excluded/);
    expect(line(lines, "no-such-rule Deployment/prod-no-team")).toMatch(/^SKIP .*excluded/);
    expect(summary).toMatchObject({ passed: 1, skipped: 2, failed: 0, exitCode: 0 });
  });

  it("still fails a resource that is not in the test at all (not found)", async () => {
    const { lines } = await run("failing");
    expect(line(lines, "Pod/does-not-exist")).toMatch(/^FAIL .*not found/);
  });

  it("gives request.operation UPDATE an oldObject that is a copy of the resource", async () => {
    const { summary, lines } = await run("kyverno-agreement/update");
    expect(line(lines, "Pod/updated")).toMatch(/^PASS .*\(pass\)$/);
    expect(line(lines, "Pod/created")).toMatch(/^SKIP /);
    expect(summary.failed).toBe(0);
  });

  it("invents no userInfo when the test gives none, and uses the one it gives", async () => {
    const { summary, lines } = await run("kyverno-agreement/userinfo");
    expect(lines.filter((l) => l.startsWith("PASS"))).toHaveLength(2);
    expect(summary).toMatchObject({ passed: 2, failed: 0 });
  });

  it("gives CEL request.userInfo from the userInfo file (also keyed `userinfo:`), and an empty one without", async () => {
    const { summary, lines } = await run("kyverno-agreement/userinfo-cel");
    expect(line(lines, "named/")).toBeDefined();
    expect(lines.filter((l) => l.startsWith("PASS"))).toEqual([
      "PASS        deployer-only/deployer-only ConfigMap/settings (fail)",
      "PASS        deployer-only/deployer-only ConfigMap/settings (pass)",
    ]);
    expect(summary).toMatchObject({ passed: 2, failed: 0 });
  });

  it("answers apiCall, configMap and imageRegistry context entries from the values file", async () => {
    const { summary, lines } = await run("kyverno-agreement/context");
    expect(lines.filter((l) => l.startsWith("UNSUPPORTED"))).toEqual([]);
    expect(line(lines, "from-api Service/crowded")).toMatch(/^PASS .*\(fail\)$/);
    expect(line(lines, "from-configmap Service/exposed")).toMatch(/^PASS .*\(fail\)$/);
    expect(line(lines, "from-registry Pod/rootless")).toMatch(/^PASS .*\(pass\)$/);
    expect(summary).toMatchObject({ passed: 5, failed: 0, unsupported: 0 });
  });
});

describe("policy test in CI", () => {
  it("runs when pointed at a suite's own .kyverno-test folder (its parent is the tree)", async () => {
    const { summary, lines } = await run("kyverno-agreement/userinfo/.kyverno-test");
    expect(lines[0]).toBe("--- .kyverno-test/kyverno-test.yaml (no-user-info)");
    expect(summary).toMatchObject({ entries: 1, passed: 1, exitCode: 0 });
  });

  it("reports a missing policy file and bad resource YAML once per test file, exit 3", async () => {
    const { summary, lines } = await run("setup-errors");
    const errors = lines.filter((l) => l.startsWith("ERROR"));
    expect(errors).toEqual([
      expect.stringMatching(/^ERROR +bad-resources\/kyverno-test.yaml: .*resources.yaml:\d+: invalid YAML/),
      "ERROR       missing-policy/kyverno-test.yaml: test could not run: policy file missing-policy/policy.yaml: no such file",
    ]);
    expect(summary).toMatchObject({ entries: 0, errors: 2, failed: 0, exitCode: 3 });
  });

  it("does not pass a run that evaluated nothing", async () => {
    const { summary, lines, errors } = await run("nothing-evaluated");
    expect(summary).toMatchObject({ entries: 1, unsupported: 1, passed: 0, exitCode: 1 });
    expect(lines).toContain("     1  mutate (patched resource comparison) is not evaluated");
    expect(errors).toMatch(/nothing was evaluated/);
  });

  it("prints JSON: a summary and one record per entry", async () => {
    const { stdout } = await run("kyverno-agreement/excluded", "json");
    const report = JSON.parse(stdout) as { summary: Record<string, unknown>; entries: Record<string, unknown>[] };
    expect(report.summary).toEqual({ entries: 3, passed: 1, failed: 0, skipped: 2, unsupported: 0, errors: 0, unsupportedReasons: [] });
    expect(report.entries).toHaveLength(3);
    expect(report.entries[1]).toEqual({
      file: "kyverno-test.yaml",
      test: "excluded",
      policy: "require-team",
      rule: "check-team",
      kind: "Deployment",
      resource: "Deployment/dev-no-team",
      expected: "fail",
      actual: "excluded",
      outcome: "skip",
      detail: "excluded: the rule does not apply to this resource",
    });
  });

  it("prints JUnit XML with failures, skipped unsupported entries and setup errors", async () => {
    const failing = await run("failing", "junit");
    expect(failing.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="shipshape policy test" tests="2" failures="2" errors="0" skipped="0">/);
    expect(failing.stdout).toContain(`<failure message="want pass, got no result (not found)"/>`);
    const unsupported = await run("nothing-evaluated", "junit");
    expect(unsupported.stdout).toContain(`<skipped message="unsupported: mutate (patched resource comparison) is not evaluated"/>`);
    const setup = await run("setup-errors", "junit");
    expect(setup.stdout).toContain(`<error message="policy file missing-policy/policy.yaml: no such file"/>`);
  });
});

describe("shipshape policy test (CLI)", () => {
  it("prints its help", async () => {
    const run = await runCli(["policy", "test", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: shipshape policy test <DIR> \[--format text\|json\|junit\]/);
  });

  it("exits 2 on a bad format, a missing directory or a missing argument", async () => {
    expect((await runCli(["policy", "test", "fixtures/policy/failing", "--format", "xml"])).code).toBe(2);
    expect((await runCli(["policy", "test", "fixtures/policy/no-such-dir"])).code).toBe(2);
    expect((await runCli(["policy", "test"])).code).toBe(2);
  });

  it("exits 1 on a mismatch and 3 on a setup error, in JSON too", async () => {
    const failing = await runCli(["policy", "test", "fixtures/policy/failing", "--format", "json"]);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).summary).toMatchObject({ entries: 2, failed: 2 });
    expect((await runCli(["policy", "test", "--format", "junit", "fixtures/policy/setup-errors"])).code).toBe(3);
  });
});
