/**
 * CEL policies through the whole CLI: a team ValidatingPolicy and a validate.cel ClusterPolicy
 * from the base side judge the rendered change (messages from messageExpression, severities
 * from validationActions / failure action, Pod-controller autogen), and a Kubernetes
 * ValidatingAdmissionPolicy with its binding and params does too; a policy whose expression
 * runs away ends as a warning finding quickly; a CEL syntax error is a config/policy-invalid
 * finding.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

const VPOL = `apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: no-latest
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [pods]
  variables:
    - name: latest
      expression: "object.spec.containers.filter(c, c.image.endsWith(':latest')).map(c, c.name)"
  validations:
    - expression: "size(variables.latest) == 0"
      messageExpression: "'containers with a latest tag: ' + variables.latest.join(', ')"
`;

const CEL_RULE = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: team-label
spec:
  validationFailureAction: Audit
  rules:
    - name: has-team
      match: {any: [{resources: {kinds: [Deployment]}}]}
      validate:
        cel:
          expressions:
            - expression: "object.metadata.?labels[?'team'].orValue('') != ''"
              message: "every Deployment needs a team label"
`;

const ten = "[1,2,3,4,5,6,7,8,9,10]";
const HOSTILE = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: runaway
spec:
  rules:
    - name: spin
      match: {any: [{resources: {kinds: [ConfigMap]}}]}
      validate:
        cel:
          expressions:
            - expression: "${ten}.all(a, ${ten}.all(b, ${ten}.all(c, ${ten}.all(d, ${ten}.all(e, ${ten}.all(f, ${ten}.all(g, true)))))))"
`;

const deployment = (name: string, image: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}${labels}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: ${image}
`;

const VAP = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-cap
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
      messageExpression: "'at most ' + params.data.maxReplicas + ' replicas'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-cap-deny
spec:
  policyName: replica-cap
  validationActions: [Deny]
  paramRef: {name: replica-limits, namespace: default, parameterNotFoundAction: Deny}
`;

const CONFIG = `policies:
  paths: ["policy/**/*.yaml"]
  builtin: false
`;

let work: string;
let report: Report;

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-cel-"));
  const base = join(work, "base");
  const head = join(work, "head");
  await write(base, {
    ".github/shipshape.yml": CONFIG,
    "policy/no-latest.yaml": VPOL,
    "policy/team-label.yaml": CEL_RULE,
    "policy/runaway.yaml": HOSTILE,
    "policy/replica-cap.yaml": VAP,
    "apps/limits.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: replica-limits, namespace: default}\ndata: {maxReplicas: \"3\"}\n",
    "apps/web.yaml": deployment("web", "ghcr.io/acme/web:1.0", ", team: shop"),
  });
  await cp(base, head, { recursive: true });
  await write(head, {
    "apps/web.yaml": deployment("web", "ghcr.io/acme/web:latest", "").replace("replicas: 1", "replicas: 5"),
    "apps/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n",
  });
  const run = await runCli(["check", "--base", base, "--head", head, "--format", "json"]);
  report = JSON.parse(run.stdout) as Report;
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("CEL policies end to end", () => {
  it("rejects the change with the ValidatingPolicy's message, on the pod template of the Deployment", () => {
    const f = report.findings.find((x) => x.ruleId === "policy/no-latest/autogen-defaults");
    expect(f).toMatchObject({ severity: "error", message: "containers with a latest tag: app", file: "apps/web.yaml", introduced: true });
    expect(f!.resource?.name).toBe("web");
    expect(f!.line).toBe(1);
  });

  it("rejects the change by the ValidatingAdmissionPolicy through its binding, with params from the repository", () => {
    const f = report.findings.find((x) => x.ruleId === "policy/replica-cap/replica-cap-deny");
    expect(f).toMatchObject({ severity: "error", message: "at most 3 replicas", file: "apps/web.yaml", line: 1, introduced: true });
  });

  it("reports a failed validate.cel rule with its failure action's severity", () => {
    expect(report.findings.find((x) => x.ruleId === "policy/team-label/has-team")).toMatchObject({ severity: "warning", message: "every Deployment needs a team label", file: "apps/web.yaml" });
  });

  it("ends a runaway expression as a warning naming the rule, without hanging the review", () => {
    const f = report.findings.find((x) => x.ruleId === "policy/runaway/spin");
    expect(f).toMatchObject({ severity: "warning" });
    expect(f!.message).toMatch(/could not be evaluated: .*(cost budget|time limit)/);
  });

  it("reports a CEL syntax error in a team policy as config/policy-invalid", async () => {
    const dir = join(work, "badcel");
    const broken = CEL_RULE.replace("orValue('') != ''", "orValue('') != (");
    await write(dir, { ".github/shipshape.yml": CONFIG, "policy/p.yaml": broken, "k/a.yaml": deployment("a", "x:1", "") });
    const run = await runCli(["check", "--base", dir, "--head", dir, "--format", "json"]);
    const r = JSON.parse(run.stdout) as Report;
    const f = r.findings.find((x) => x.ruleId === "config/policy-invalid");
    expect(f).toMatchObject({ file: "policy/p.yaml", severity: "error" });
    expect(f!.message).toMatch(/team-label.*has-team.*validations\[0\]/);
  });
});
