/**
 * Found item 10: kubectl (go-yaml v2 through sigs.k8s.io/yaml) applies YAML merge keys, so
 * `securityContext: {<<: {privileged: true}}` in a plain manifest is a privileged container to the
 * cluster. Shipshape must read it the same way before validation, policies, cost and risk.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";
import { writeTree } from "../helpers/write-tree.js";

const BASE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          SECURITY
`;

const deployment = (securityContext: string) => BASE_DEPLOYMENT.replace("SECURITY", securityContext);

let work: string;


async function check(head: string): Promise<Report> {
  const dir = await mkdtemp(join(work, "case-"));
  await writeTree(join(dir, "base"), { "apps/web/deployment.yaml": deployment("securityContext: {runAsNonRoot: true}") });
  await writeTree(join(dir, "head"), { "apps/web/deployment.yaml": head });
  const run = await runCli(["check", "--base", join(dir, "base"), "--head", join(dir, "head"), "--format", "json"]);
  expect(run.code, run.stderr).toBe(1);
  return JSON.parse(run.stdout) as Report;
}

const riskReasons = (report: Report) => (report.risk?.reasons ?? []).map((r) => r.ruleId);
const privilegedFinding = (report: Report) =>
  report.findings.find((f) => f.ruleId.startsWith("policy/disallow-privileged-host/") && f.resource?.name === "web" && f.introduced);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-merge-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("merge keys in a plain manifest", () => {
  it("see the privileged container an inline merge hides", async () => {
    const report = await check(deployment("securityContext: {<<: {privileged: true}}"));
    expect(riskReasons(report)).toContain("workload-privilege");
    const finding = privilegedFinding(report);
    expect(finding?.severity).toBe("error");
    expect(finding?.file).toBe("apps/web/deployment.yaml");
    expect(finding?.line).toBeGreaterThan(1);
  });

  it("see it through a list of maps, where the earlier map wins", async () => {
    const report = await check(
      deployment(
        [
          "securityContext:",
          "            <<: [{privileged: true}, {privileged: false, allowPrivilegeEscalation: true}]",
          "            runAsNonRoot: true",
        ].join("\n"),
      ),
    );
    expect(riskReasons(report)).toContain("workload-privilege");
    expect(privilegedFinding(report)).toBeDefined();
  });

  it("read a key written before the merge as kubectl does, and flag that tools disagree on it", async () => {
    const report = await check(deployment("securityContext: {privileged: false, <<: {privileged: true}}"));
    expect(riskReasons(report)).toContain("workload-privilege");
    const conflict = report.findings.find((f) => f.ruleId === "input/yaml-merge-conflict");
    expect(conflict).toMatchObject({ severity: "error", file: "apps/web/deployment.yaml", line: 16 });
    expect(conflict?.message).toContain('"privileged" is set here and again by the `<<` after it');
  });

  it("see a merge that comes through an alias to an anchored mapping", async () => {
    // Anchors live within one document: a List carries the anchor in a harmless custom resource.
    const indented = deployment("securityContext: {<<: *privileged, runAsNonRoot: true}").replace(/^/gm, "    ").trimEnd();
    const head = `apiVersion: v1
kind: List
items:
  - apiVersion: example.com/v1
    kind: Defaults
    metadata: {name: defaults}
    spec:
      securityContext: &privileged {privileged: true}
  - ${indented.trimStart()}
`;
    const report = await check(head);
    expect(riskReasons(report)).toContain("workload-privilege");
    expect(privilegedFinding(report)).toBeDefined();
  });
});
