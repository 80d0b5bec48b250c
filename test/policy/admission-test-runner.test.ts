/**
 * `policy test` on ValidatingAdmissionPolicy entries (`isValidatingAdmissionPolicy: true`),
 * evaluated instead of counted unsupported: an unbound policy as `kyverno test` applies it
 * (Kyverno's own documentation example), a bound one through its binding's matchResources and
 * paramRef, `request.operation: UPDATE` giving oldObject a copy of the resource and no invented
 * requester; and a NamespacedValidatingPolicy judging only its own namespace.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runPolicyTests } from "../../src/policy/test-runner/run.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/admission-test");

async function run(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const summary = await runPolicyTests(resolve(FIXTURES, dir), { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { format: "text" });
  return { summary, lines: out.join("").trimEnd().split("\n"), errors: err.join("") };
}

const line = (lines: string[], part: string) => lines.find((l) => l.includes(part));

describe("policy test on ValidatingAdmissionPolicy entries", () => {
  it("evaluates an unbound policy as kyverno test does (Kyverno's documented example)", async () => {
    const { summary, lines, errors } = await run("unbound");
    expect(errors).toBe("");
    expect(line(lines, "Deployment/deployment-pass")).toMatch(/^PASS .*\(pass\)$/);
    expect(line(lines, "Deployment/deployment-fail")).toMatch(/^PASS .*\(fail\)$/);
    expect(summary).toMatchObject({ passed: 2, failed: 0, unsupported: 0, exitCode: 0 });
  });

  it("evaluates through the binding: namespaceSelector against the test's Namespaces, params by paramRef", async () => {
    const { summary, lines } = await run("bound");
    expect(line(lines, "Deployment/small")).toMatch(/^PASS .*\(pass\)$/);
    expect(line(lines, "Deployment/big")).toMatch(/^PASS .*\(fail\)$/);
    expect(summary).toMatchObject({ passed: 2, failed: 0, unsupported: 0, exitCode: 0 });
  });

  it("request.operation UPDATE: oldObject is a copy of the resource, and no userInfo is invented", async () => {
    const { summary, lines } = await run("update");
    expect(line(lines, "Pod/default/updated") ?? line(lines, "Pod/updated")).toMatch(/^PASS .*\(pass\)$/);
    expect(summary).toMatchObject({ passed: 1, failed: 0, exitCode: 0 });
  });

  it("a NamespacedValidatingPolicy judges only resources in its namespace", async () => {
    const { summary, lines } = await run("namespaced");
    expect(line(lines, "Pod/labelled")).toMatch(/^PASS .*\(pass\)$/);
    expect(line(lines, "Pod/unlabelled")).toMatch(/^PASS .*\(fail\)$/);
    expect(summary).toMatchObject({ passed: 2, failed: 0, unsupported: 0, exitCode: 0 });
  });

  it("the whole folder: every entry evaluated, none unsupported", async () => {
    const { summary } = await run(".");
    expect(summary).toMatchObject({ passed: 7, failed: 0, unsupported: 0, exitCode: 0 });
  });

  it("a wrong expectation on a ValidatingAdmissionPolicy entry is a mismatch (exit 1)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "shipshape-vap-test-"));
    try {
      await cp(join(FIXTURES, "unbound"), dir, { recursive: true });
      const test = await readFile(join(dir, "kyverno-test.yaml"), "utf8");
      await writeFile(join(dir, "kyverno-test.yaml"), test.replace("result: pass", "result: fail"));
      const out: string[] = [];
      const summary = await runPolicyTests(dir, { stdout: (t) => out.push(t), stderr: () => {} }, { format: "text" });
      expect(summary).toMatchObject({ passed: 1, failed: 1, exitCode: 1 });
      expect(out.join("")).toMatch(/FAIL .*Deployment\/deployment-pass \(want fail, got pass/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
