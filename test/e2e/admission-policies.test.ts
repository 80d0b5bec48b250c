/**
 * The cluster's own admission policies judge the change (config `policies.admission`, on by
 * default): fixtures/admission deploys a ValidatingAdmissionPolicy + binding with the shop
 * kustomize base, and the pull request raises replicas past the limit. The check fails with the
 * policy's message at the rendered Deployment's source line, although the same pull request
 * deletes the binding, raises the limit in the params ConfigMap and drops the Namespace label
 * the binding selects: the base side's policy, params and labels are the ones that judge.
 * The modified Deployment is an UPDATE, so a policy on `oldObject` (scale in steps) warns.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli, type CliRun } from "../helpers/cli.js";

const args = ["check", "--base", "fixtures/admission/base", "--head", "fixtures/admission/head"];
let json: CliRun;
let report: Report;
let work: string;

beforeAll(async () => {
  json = await runCli([...args, "--format", "json"]);
  report = JSON.parse(json.stdout) as Report;
  work = await mkdtemp(join(tmpdir(), "shipshape-admission-"));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const admission = () => report.findings.filter((f) => f.source === "policy");

describe("ValidatingAdmissionPolicy from the base side's rendered targets", () => {
  it("rejects the change with the policy's message at the rendered Deployment's source line", () => {
    expect(json.code).toBe(1);
    const denied = admission().find((f) => f.ruleId === "policy/replica-limit/replica-limit-strict");
    expect(denied).toMatchObject({
      severity: "error",
      message: "Deployment web asks for 8 replicas; the shop namespace allows at most 5",
      target: "apps/shop/overlays/prod",
      resource: { kind: "Deployment", namespace: "shop", name: "web" },
      file: "apps/shop/base/deployment.yaml",
      line: 1,
      introduced: true,
    });
  });

  it("judges the modified Deployment as an UPDATE: oldObject is its base version", () => {
    const step = admission().find((f) => f.ruleId === "policy/scale-step/scale-step-warn");
    expect(step).toMatchObject({ severity: "warning", message: "scale in steps: at most double the replicas in one change", introduced: true });
  });

  it("reports nothing else: the base side passes, the head's own edits to the policies count for nothing", () => {
    expect(admission().map((f) => f.ruleId).sort()).toEqual(["policy/replica-limit/replica-limit-strict", "policy/scale-step/scale-step-warn"]);
  });

  it("shows the rejection in the text report", async () => {
    const text = await runCli(args);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("Deployment web asks for 8 replicas; the shop namespace allows at most 5");
    expect(text.stdout).toContain("apps/shop/base/deployment.yaml");
  }, 60_000);

  it("policies.admission: false leaves the rendered admission policies out", async () => {
    for (const side of ["base", "head"]) {
      await cp(join(PROJECT_ROOT, "fixtures/admission", side), join(work, side), { recursive: true });
      await writeFile(join(work, side, ".github/shipshape.yml"), "policies:\n  builtin: false\n  admission: false\n");
    }
    const off = await runCli(["check", "--base", join(work, "base"), "--head", join(work, "head"), "--format", "json"]);
    const findings = (JSON.parse(off.stdout) as Report).findings.filter((f) => f.source === "policy");
    expect(findings).toEqual([]);
  }, 60_000);
});
