/**
 * Kyverno's CEL policies on the engine: validate.cel rules and ValidatingPolicy, with their
 * messages, variables, params, conditions, severities, Pod-controller autogen, and the cost
 * limit across a chain of variables.
 */
import { describe, expect, it } from "vitest";
import { loadPolicies } from "../../src/policy/load.js";
import type { PolicyResource } from "../../src/policy/model.js";
import { clusterPolicy, evaluate, pod, policyFrom } from "./helpers/policy.js";

const deployment = (image: string): PolicyResource => ({
  object: {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "prod" },
    spec: { template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image }] } } },
  },
});

function vpol(spec: Record<string, unknown>, name = "vp") {
  return policyFrom({
    apiVersion: "policies.kyverno.io/v1alpha1",
    kind: "ValidatingPolicy",
    metadata: { name },
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }] },
      ...spec,
    },
  });
}

const noLatest = "object.spec.containers.all(c, !c.image.endsWith(':latest'))";

describe("validate.cel rules", () => {
  it("passes, fails with the message or messageExpression, and fails on an expression that errors (failurePolicy Fail)", () => {
    const policy = clusterPolicy(
      {
        validate: {
          cel: {
            variables: [{ name: "images", expression: "object.spec.containers.map(c, c.image)" }],
            expressions: [
              { expression: noLatest, messageExpression: "'latest tag in ' + variables.images.join(', ')" },
              { expression: "object.spec.missing == 1", message: "unreachable for bad pods" },
            ],
          },
        },
      },
      { annotations: { "pod-policies.kyverno.io/autogen-controllers": "none" }, action: "Enforce" },
    );
    const [bad] = evaluate(policy, pod({ containers: [{ name: "a", image: "nginx:latest" }] }));
    expect(bad).toMatchObject({ status: "fail", message: "latest tag in nginx:latest", severity: "error" });
    // Kyverno runs validate.cel with failurePolicy Fail: an expression that errors fails the rule.
    const [broken] = evaluate(policy, pod({ containers: [{ name: "a", image: "nginx:1" }] }));
    expect(broken!.status).toBe("fail");
    expect(broken!.message).toMatch(/missing/);
  });

  it("checks pod templates of controllers through autogen rules, with object.spec moved", () => {
    const policy = clusterPolicy({ validate: { cel: { expressions: [{ expression: noLatest, message: "no latest" }] } } });
    const results = evaluate(policy, [deployment("nginx:latest"), deployment("nginx:1.27")]);
    expect(results.map((r) => `${r.rule}:${r.status}`)).toEqual(["autogen-check:fail", "autogen-check:pass"]);
  });

  it("skips when celPreconditions are not met, and reads namespaceObject and params", () => {
    const policy = clusterPolicy(
      {
        celPreconditions: [{ name: "labelled", expression: "has(object.metadata.labels)" }],
        validate: {
          cel: {
            paramKind: { apiVersion: "v1", kind: "ConfigMap" },
            paramRef: { name: "limits", namespace: "prod" },
            expressions: [{ expression: "namespaceObject.metadata.name == 'prod' && size(object.spec.containers) <= int(params.data.max)" }],
          },
        },
      },
      { annotations: { "pod-policies.kyverno.io/autogen-controllers": "none" } },
    );
    const params: PolicyResource = { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "limits", namespace: "prod" }, data: { max: "1" } } };
    const two = { containers: [{ name: "a", image: "a" }, { name: "b", image: "b" }] };
    expect(evaluate(policy, pod(two, { namespace: "prod" }), { allResources: [params] })[0]!.status).toBe("skip");
    const labelled = pod(two, { namespace: "prod", labels: { a: "b" } });
    expect(evaluate(policy, labelled, { allResources: [params, labelled] })[0]!.status).toBe("fail");
    expect(evaluate(policy, labelled, { allResources: [labelled] })[0]).toMatchObject({ status: "error", message: expect.stringMatching(/ConfigMap "limits"/) });
  });

  it("reports a rule whose CEL does not parse as a policy problem", () => {
    const { problems } = loadPolicies(
      `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: broken}
spec:
  rules:
  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate: {cel: {expressions: [{expression: "object.spec.("}]}}
`,
      "broken.yaml",
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/ClusterPolicy "broken": rule "r": validations\[0\]/);
  });
});

describe("ValidatingPolicy", () => {
  it("evaluates validations with variables; Deny is an error, Audit a warning", () => {
    const spec = { variables: [{ name: "bad", expression: "object.spec.containers.filter(c, c.image.endsWith(':latest'))" }], validations: [{ expression: "size(variables.bad) == 0", message: "no latest" }] };
    const deny = vpol({ ...spec, validationActions: ["Deny"] });
    const audit = vpol({ ...spec, validationActions: ["Audit"] });
    const badPod = pod({ containers: [{ name: "a", image: "nginx:latest" }] });
    expect(evaluate(deny, badPod)[0]).toMatchObject({ status: "fail", message: "no latest", severity: "error", policy: "vp" });
    expect(evaluate(audit, badPod)[0]).toMatchObject({ status: "fail", severity: "warning" });
    expect(evaluate(deny, pod({ containers: [{ name: "a", image: "nginx:1" }] }))[0]!.status).toBe("pass");
  });

  it("selects by matchConstraints, skips on matchConditions, and generates controller rules", () => {
    const policy = vpol({
      matchConditions: [{ name: "not-system", expression: "object.metadata.?namespace.orValue('') != 'kube-system'" }],
      validations: [{ expression: noLatest, message: "no latest" }],
    });
    const service: PolicyResource = { object: { apiVersion: "v1", kind: "Service", metadata: { name: "s" } } };
    expect(evaluate(policy, service)).toEqual([]);
    expect(evaluate(policy, pod({ containers: [{ name: "a", image: "x:latest" }] }, { namespace: "kube-system" }))[0]!.status).toBe("skip");
    expect(evaluate(policy, deployment("nginx:latest")).map((r) => `${r.rule}:${r.status}`)).toEqual(["autogen-defaults:fail"]);
    const cronjob: PolicyResource = {
      object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c" }, spec: { jobTemplate: { spec: { template: { metadata: {}, spec: { containers: [{ name: "a", image: "x:1" }] } } } } } },
    };
    expect(evaluate(policy, cronjob).map((r) => `${r.rule}:${r.status}`)).toEqual(["autogen-cronjobs:pass"]);
  });

  it("stops a chain of variables that doubles a string (cost limit)", () => {
    const variables = [{ name: "v0", expression: "'xxxxxxxxxxxxxxxx'" }];
    for (let i = 1; i <= 40; i++) variables.push({ name: `v${i}`, expression: `variables.v${i - 1} + variables.v${i - 1}` });
    const policy = vpol({ variables, validations: [{ expression: "size(variables.v40) > 0" }] });
    const start = Date.now();
    const [r] = evaluate(policy, pod({ containers: [] }));
    expect(r!.status).toBe("error");
    expect(r!.message).toMatch(/cost budget/);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe("ValidatingAdmissionPolicy and its bindings", () => {
  const policyYaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: "object.spec.replicas <= int(params.data.max)"
      messageExpression: "'replicas must be at most ' + params.data.max"
`;
  const binding = (name: string, actions: string, extra = "") => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: ${name}}
spec:
  policyName: max-replicas
  validationActions: [${actions}]
  paramRef: {name: replica-limits, namespace: prod, parameterNotFoundAction: Deny}
${extra}`;
  const params: PolicyResource = { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "replica-limits", namespace: "prod" }, data: { max: "3" } } };
  const deploymentWith = (replicas: number, namespace = "prod"): PolicyResource => ({
    object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace }, spec: { replicas } },
  });

  function load(text: string) {
    const { policies, problems } = loadPolicies(text, "vap.yaml");
    expect(problems).toEqual([]);
    return policies;
  }

  it("applies the policy through each binding, with the binding's params and actions", () => {
    const policies = load(`${policyYaml}---\n${binding("deny-prod", "Deny")}---\n${binding("warn-all", "Warn")}`);
    const big = deploymentWith(5);
    const results = evaluate(policies, [big, params], { allResources: [big, params] });
    expect(results.map((r) => [r.policy, r.rule, r.status, r.severity, r.message])).toEqual([
      ["max-replicas", "deny-prod", "fail", "error", "replicas must be at most 3"],
      ["max-replicas", "warn-all", "fail", "warning", "replicas must be at most 3"],
    ]);
    expect(evaluate(policies, [deploymentWith(2), params]).map((r) => r.status)).toEqual(["pass", "pass"]);
  });

  it("narrows by the binding's matchResources and does nothing without a binding", () => {
    const narrowed = load(`${policyYaml}---\n${binding("audit-staging", "Audit", "  matchResources:\n    namespaceSelector: {matchLabels: {env: staging}}\n")}`);
    const staging = deploymentWith(9, "staging");
    const ns: PolicyResource = { object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "staging", labels: { env: "staging" } } } };
    expect(evaluate(narrowed, [deploymentWith(9), params, ns]).map((r) => r.resource.object.kind)).toEqual([]);
    expect(evaluate(narrowed, [staging, params, ns])[0]).toMatchObject({ status: "fail", severity: "info" });
    expect(evaluate(load(policyYaml), [deploymentWith(9), params])).toEqual([]);
  });

  it("reports a missing parameter as an error of the binding", () => {
    const policies = load(`${policyYaml}---\n${binding("deny-prod", "Deny")}`);
    expect(evaluate(policies, [deploymentWith(9)])[0]).toMatchObject({ status: "error", message: expect.stringMatching(/ConfigMap "replica-limits"/) });
  });
});
