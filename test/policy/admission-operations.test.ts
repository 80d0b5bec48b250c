/**
 * The request each resource makes: UPDATE with the base version as oldObject, DELETE (no
 * object) only for rules that select it, CREATE otherwise — for ValidatingAdmissionPolicy,
 * Kyverno ValidatingPolicy, validate.cel and classic rules; paramRef selectors; and the
 * evaluator's hook for the base side's rendered admission policies.
 */
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { Resource } from "../../src/core/model/resource.js";
import { createPolicyEvaluator } from "../../src/policy/evaluator.js";
import { loadPolicies } from "../../src/policy/load.js";
import type { AdmissionRequest, PolicyResource } from "../../src/policy/model.js";
import { clusterPolicy, evaluate, policyFrom } from "./helpers/policy.js";

function load(text: string) {
  const { policies, problems } = loadPolicies(text, "vap.yaml");
  expect(problems).toEqual([]);
  return policies;
}

const vap = (name: string, operations: string, validations: string, extra = "") => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ${name}}
spec:
${extra}  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [${operations}], resources: [deployments]}
  validations:
${validations}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: ${name}-binding}
spec:
  policyName: ${name}
  validationActions: [Deny]
`;

const deployment = (replicas: number, labels: Record<string, string> = {}): PolicyResource => ({
  object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop", labels }, spec: { replicas } },
});

const update = (old: PolicyResource): ((r: PolicyResource) => AdmissionRequest) => () => ({ operation: "UPDATE", oldObject: old.object });
const remove = (r: PolicyResource): AdmissionRequest => ({ operation: "DELETE", oldObject: r.object });

describe("admission operations on the engine", () => {
  const step = load(vap("scale-step", "UPDATE", `    - expression: "object.spec.replicas <= oldObject.spec.replicas * 2"
      messageExpression: "request.operation + ': from ' + string(oldObject.spec.replicas) + ' to ' + string(object.spec.replicas)"`));

  it("an UPDATE sees oldObject and request.operation; a CREATE does not match an UPDATE-only policy", () => {
    const head = deployment(8);
    expect(evaluate(step, head)).toEqual([]);
    const results = evaluate(step, head, { requestFor: update(deployment(2)) });
    expect(results.map((r) => [r.status, r.message])).toEqual([["fail", "UPDATE: from 2 to 8"]]);
    expect(evaluate(step, head, { requestFor: update(deployment(4)) }).map((r) => r.status)).toEqual(["pass"]);
  });

  it("a DELETE runs only the rules that select it, with object null and oldObject the removed resource", () => {
    const guard = load(vap("keep-protected", "DELETE", `    - expression: "object == null && oldObject.metadata.?labels[?'protected'].orValue('') != 'true'"
      message: "protected Deployments cannot be deleted"`));
    const any = load(vap("any-op", '"*"', `    - expression: "object != null"
      message: "no object"`));
    const createUpdate = load(vap("create-update", "CREATE, UPDATE", `    - expression: "false"`));
    const gone = deployment(1, { protected: "true" });
    const results = evaluate([...guard, ...any, ...createUpdate], gone, { requestFor: remove });
    expect(results.map((r) => [r.policy, r.status, r.message])).toEqual([
      ["keep-protected", "fail", "protected Deployments cannot be deleted"],
      ["any-op", "fail", "no object"],
    ]);
    expect(evaluate(guard, deployment(1), { requestFor: remove }).map((r) => r.status)).toEqual(["pass"]);
  });

  it("a DELETE leaves classic and validate.cel rules alone (they judge objects)", () => {
    const classic = clusterPolicy({ validate: { message: "no", deny: {} } }, { kinds: ["Deployment"] });
    expect(evaluate(classic, deployment(1), { requestFor: remove })).toEqual([]);
  });

  it("Kyverno ValidatingPolicy and validate.cel rules see the UPDATE too", () => {
    const vpol = policyFrom({
      apiVersion: "policies.kyverno.io/v1alpha1",
      kind: "ValidatingPolicy",
      metadata: { name: "no-scale-down" },
      spec: {
        validationActions: ["Deny"],
        matchConstraints: { resourceRules: [{ apiGroups: ["apps"], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["deployments"] }] },
        validations: [{ expression: "object.spec.replicas >= oldObject.spec.replicas", message: "no scaling down" }],
      },
    });
    const cel = clusterPolicy({ validate: { cel: { expressions: [{ expression: "oldObject == null || request.operation == 'UPDATE'", message: "odd" }] } } }, { kinds: ["Deployment"] });
    const classic = clusterPolicy(
      { preconditions: { all: [{ key: "{{ request.operation }}", operator: "Equals", value: "UPDATE" }] }, validate: { message: "was {{ request.oldObject.spec.replicas }}", deny: {} } },
      { name: "classic", kinds: ["Deployment"] },
    );
    const results = evaluate([vpol, cel, classic], deployment(1), { requestFor: update(deployment(3)) });
    expect(results.map((r) => [r.policy, r.status, r.message])).toEqual([
      ["no-scale-down", "fail", "no scaling down"],
      ["test-policy", "pass", "validation rule 'check' passed."],
      ["classic", "fail", "was 3"],
    ]);
    expect(evaluate([vpol, classic], deployment(1)).map((r) => [r.policy, r.status])).toEqual([["classic", "skip"]]);
  });
});

describe("paramRef", () => {
  const policy = (paramRef: string) =>
    load(`apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: cap}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations:
    - expression: "object.spec.replicas <= int(params.data.max)"
      messageExpression: "'at most ' + params.data.max + ' (' + params.metadata.name + ')'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: cap-binding}
spec:
  policyName: cap
  validationActions: [Deny]
  paramRef: ${paramRef}
`);
  const limits = (name: string, max: string, namespace = "shop"): PolicyResource => ({
    object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels: { limits: "replicas" } }, data: { max } },
  });

  it("a selector applies every selected parameter object: one that fails fails the request", () => {
    const p = policy("{selector: {matchLabels: {limits: replicas}}, parameterNotFoundAction: Deny}");
    const params = [limits("loose", "10"), limits("tight", "3")];
    const results = evaluate(p, deployment(5), { allResources: params });
    expect(results.map((r) => [r.status, r.message])).toEqual([["fail", "at most 3 (tight)"]]);
    expect(evaluate(p, deployment(2), { allResources: params }).map((r) => r.status)).toEqual(["pass"]);
  });

  it("namespace defaults to the request's; nothing found follows parameterNotFoundAction", () => {
    const deny = policy("{name: limits, parameterNotFoundAction: Deny}");
    expect(evaluate(deny, deployment(5), { allResources: [limits("limits", "3", "other")] }).map((r) => r.status)).toEqual(["error"]);
    expect(evaluate(deny, deployment(5), { allResources: [limits("limits", "3")] }).map((r) => r.status)).toEqual(["fail"]);
    const allow = policy("{selector: {matchLabels: {limits: none}}, parameterNotFoundAction: Allow}");
    expect(evaluate(allow, deployment(5), { allResources: [limits("limits", "3")] }).map((r) => r.status)).toEqual(["skip"]);
  });

  it("paramResources replace the evaluation's resources for the lookup", () => {
    const p = policy("{name: limits, parameterNotFoundAction: Deny}");
    const results = evaluate(p, deployment(5), { allResources: [limits("limits", "10")], paramResources: [limits("limits", "3")] });
    expect(results.map((r) => r.message)).toEqual(["at most 3 (limits)"]);
  });
});

describe("the evaluator's base-side admission policies", () => {
  const res = (body: Record<string, unknown>, line = 1): Resource => {
    const m = body.metadata as Record<string, string>;
    return { apiVersion: String(body.apiVersion), kind: String(body.kind), namespace: m.namespace ?? "", name: m.name!, body, source: { file: "apps/x.yaml", line } };
  };
  const objects = (text: string) => loadYamlObjects(text).map((o) => res(o));
  const cap = vap("cap", "CREATE, UPDATE, DELETE", `    - expression: "request.operation == 'DELETE' || object.spec.replicas <= 5"
      message: "at most 5 replicas"
    - expression: "request.operation != 'DELETE'"
      message: "web cannot be removed"`);
  const baseVap = objects(cap);
  const web = (replicas: number) => res(deployment(replicas).object, 7);

  it("judges head resources with the base's policies; the head's own are ignored; removals are DELETEs", async () => {
    const evaluator = createPolicyEvaluator({ policies: [], parameters: {}, severityOverrides: {}, admission: true });
    const target = { id: "t", type: "manifests", path: "." } as never;
    const base = [...baseVap, web(2)];
    const head = [web(8)];
    const issues = await evaluator.evaluate({ side: "head", target, resources: head, allResources: head, baseResources: base, previous: base });
    expect(issues.map((i) => [i.policy, i.rule, i.status, i.severity, i.message, i.resource.source?.line])).toEqual([["cap", "cap-binding", "fail", "error", "at most 5 replicas", 7]]);
    const removed = await evaluator.evaluate({ side: "head", target, resources: [], allResources: [], baseResources: base, previous: base });
    expect(removed.map((i) => [i.policy, i.message])).toEqual([["cap", "web cannot be removed"]]);
    const off = createPolicyEvaluator({ policies: [], parameters: {}, severityOverrides: {}, admission: false });
    expect(await off.evaluate({ side: "head", target, resources: head, allResources: head, baseResources: base, previous: base })).toEqual([]);
  });

  it("an admission object the API server would refuse is an error finding on it", async () => {
    const evaluator = createPolicyEvaluator({ policies: [], parameters: {}, severityOverrides: {}, admission: true });
    const broken = objects(vap("broken", "CREATE", `    - expression: "object.spec.replicas <="`));
    const target = { id: "t", type: "manifests", path: "." } as never;
    const issues = await evaluator.evaluate({ side: "head", target, resources: broken, allResources: broken, baseResources: [] });
    expect(issues.map((i) => [i.policy, i.rule, i.status, i.severity])).toEqual([["broken", "invalid", "error", "error"]]);
    expect(issues[0]!.message).toContain("the API server would refuse this ValidatingAdmissionPolicy");
  });
});

function loadYamlObjects(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}
