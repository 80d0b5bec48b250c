/**
 * The cluster's own admission policies judge the change (config `policies.admission`, on by
 * default): fixtures/admission deploys a ValidatingAdmissionPolicy + binding with the shop
 * kustomize base, and the pull request raises replicas past the limit. The check fails with the
 * policy's message at the rendered Deployment's source line, although the same pull request
 * deletes the binding, raises the limit in the params ConfigMap and drops the Namespace label
 * the binding selects: the base side's policy, params and labels are the ones that judge.
 * The modified Deployment is an UPDATE, so a policy on `oldObject` (scale in steps) warns.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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

describe("admission policies in a target the change does not touch", () => {
  const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: require-team}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
    - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
      message: "every Deployment needs a team label"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: require-team-deny}
spec:
  policyName: require-team
  validationActions: [Deny]
`;
  const deployment = (labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api${labels}}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "ghcr.io/acme/api:1.0"}]
`;
  const kustomization = (files: string[]) => `resources: [${files.join(", ")}]\n`;

  it("renders the platform target on the base side for its policies and rejects the change", async () => {
    const root = join(work, "platform");
    for (const side of ["base", "head"]) {
      const labels = side === "base" ? ", team: api" : "";
      const files: Record<string, string> = {
        ".github/shipshape.yml": "policies:\n  builtin: false\n",
        "platform/admission/kustomization.yaml": kustomization(["policy.yaml"]),
        "platform/admission/policy.yaml": POLICY,
        "apps/api/kustomization.yaml": kustomization(["deployment.yaml"]),
        "apps/api/deployment.yaml": deployment(labels),
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(root, side, path, ".."), { recursive: true });
        await writeFile(join(root, side, path), text);
      }
    }
    const run = await runCli(["check", "--base", join(root, "base"), "--head", join(root, "head"), "--format", "json"]);
    const out = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(1);
    expect(out.findings.filter((f) => f.source === "policy").map((f) => [f.ruleId, f.severity, f.message, f.file, f.line])).toEqual([
      ["policy/require-team/require-team-deny", "error", "every Deployment needs a team label", "apps/api/deployment.yaml", 1],
    ]);
    // The platform target is only read for its policies: it is not reviewed (nothing changed there).
    expect(out.targets.find((t) => t.id === "platform/admission")).toMatchObject({ affected: false });
  }, 60_000);
});
