/**
 * Policy checks through the whole CLI: the team's policies come from the base side, a pull
 * request editing them is called out, parameters and severity overrides come from the
 * config, waivers (config with expiry, and annotations) keep findings visible without
 * failing the check, and `shipshape policy test` runs kyverno-test suites.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

let work: string;

const teamPolicy = (maxReplicas: number) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: max-replicas
spec:
  validationFailureAction: Enforce
  rules:
    - name: cap
      match: {any: [{resources: {kinds: [Deployment]}}]}
      validate:
        message: "at most ${maxReplicas} replicas, got {{ request.object.spec.replicas }}"
        pattern: {spec: {replicas: "<=${maxReplicas}"}}
`;

const deployment = (name: string, replicas: number, image: string, annotations = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app.kubernetes.io/name: ${name}}
${annotations}spec:
  replicas: ${replicas}
  selector: {matchLabels: {app.kubernetes.io/name: ${name}}}
  template:
    metadata: {labels: {app.kubernetes.io/name: ${name}}}
    spec:
      containers:
        - name: app
          image: ${image}
`;

const CONFIG = `policies:
  paths: ["policy/**/*.yaml"]
  builtin: {require-probes: false, require-secure-context: false, require-requests-limits: false, require-pdb: false, require-networkpolicy: false}
  parameters:
    approvedRegistries: ["ghcr.io/acme/"]
  severity:
    disallow-latest-tag: error
waivers:
  - policy: max-replicas
    resource: {name: batch}
    reason: batch fleet sized by finance
    expires: "2027-06-30"
  - policy: restrict-image-registries
    reason: old exception
    expires: "2026-01-31"
`;

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

let report: Report;
let code: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-policy-"));
  const base = join(work, "base");
  const head = join(work, "head");
  await write(base, {
    ".github/shipshape.yml": CONFIG,
    "policy/max-replicas.yaml": teamPolicy(5),
    "apps/web.yaml": deployment("web", 2, "ghcr.io/acme/web:1.0"),
  });
  await cp(base, head, { recursive: true });
  await write(head, {
    // The PR loosens the team policy; the base version still judges it.
    "policy/max-replicas.yaml": teamPolicy(50),
    "apps/web.yaml":
      deployment("web", 9, "ghcr.io/acme/web:1.1") +
      "---\n" +
      deployment("batch", 8, "ghcr.io/acme/batch:2") +
      "---\n" +
      deployment("vendor", 1, "docker.io/vendor/tool:latest", "  annotations:\n    shipshape.dev/waive: disallow-latest-tag\n    shipshape.dev/waive-reason: vendor ships only latest\n"),
  });
  const run = await runCli(["check", "--base", base, "--head", head, "--format", "json"]);
  code = run.code;
  report = JSON.parse(run.stdout) as Report;
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const policyRows = () =>
  report.findings
    .filter((f) => f.source === "policy" || f.source === "config")
    .map((f) => [f.ruleId, f.resource?.name ?? "", f.severity, f.introduced, f.waived ? `${f.waived.source}: ${f.waived.reason}` : ""]);

describe("policies end to end", () => {
  it("judges the change with the base side's team policy and calls out the edit", () => {
    expect(policyRows()).toEqual(
      expect.arrayContaining([
        ["policy/max-replicas/cap", "web", "error", true, ""],
        ["policy/policies-changed", "", "warning", true, ""],
      ]),
    );
    const web = report.findings.find((f) => f.ruleId === "policy/max-replicas/cap" && f.resource?.name === "web")!;
    expect(web.message).toBe("at most 5 replicas, got 9");
    expect(web).toMatchObject({ file: "apps/web.yaml", line: 7, path: "spec.replicas" });
  });

  it("applies parameters and severity overrides from the config", () => {
    expect(policyRows()).toEqual(
      expect.arrayContaining([
        ["policy/restrict-image-registries/autogen-validate-registries", "vendor", "error", true, ""],
        ["policy/disallow-latest-tag/autogen-validate-image-tag", "vendor", "error", true, "annotation: vendor ships only latest"],
      ]),
    );
    expect(policyRows().some((r) => r[0] === "policy/restrict-image-registries/autogen-validate-registries" && r[1] === "web")).toBe(false);
    expect(policyRows().some((r) => String(r[0]).startsWith("policy/require-probes"))).toBe(false);
  });

  it("keeps waived findings visible, reports expired waivers, and fails only on what is not waived", () => {
    const batch = report.findings.find((f) => f.ruleId === "policy/max-replicas/cap" && f.resource?.name === "batch")!;
    expect(batch.waived).toEqual({ reason: "batch fleet sized by finance", source: "config", where: ".github/shipshape.yml:9", expires: "2027-06-30" });
    const expired = report.findings.find((f) => f.ruleId === "config/waiver-expired")!;
    expect(expired).toMatchObject({ severity: "warning", file: ".github/shipshape.yml", line: 13 });
    expect(code).toBe(1);
  });

  it("rejects an unknown built-in policy name in the config", async () => {
    const dir = join(work, "badcfg");
    await write(dir, { "c.yml": "policies:\n  builtin: {reqire-probes: false}\n", "k/a.yaml": deployment("a", 1, "x:1") });
    const run = await runCli(["check", "--base", dir, "--head", dir, "--config", join(dir, "c.yml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('policies.builtin: no built-in policy named "reqire-probes"');
  });

  it("reports a team policy file that does not parse, with file and line", async () => {
    const dir = join(work, "badpolicy");
    await write(dir, { ".github/shipshape.yml": 'policies: {paths: ["p.yaml"]}\n', "p.yaml": "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: x}\nspec: [\n", "k/a.yaml": deployment("a", 1, "x:1") });
    const run = await runCli(["check", "--base", dir, "--head", dir, "--format", "json"]);
    const r = JSON.parse(run.stdout) as Report;
    expect(r.findings.find((f) => f.ruleId === "config/policy-invalid")).toMatchObject({ file: "p.yaml", severity: "error" });
  });
});

describe("shipshape policy test", () => {
  it("runs the built-in pack's kyverno tests green", async () => {
    const run = await runCli(["policy", "test", "policies"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(/^\d+ passed, 0 failed, \d+ skipped$/);
  });

  it("exits 1 when a result does not match", async () => {
    const run = await runCli(["policy", "test", "fixtures/policy/failing"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL/);
  });
});
