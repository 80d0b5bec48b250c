import { describe, expect, it } from "vitest";
import type { Resource } from "../../src/core/model/resource.js";
import { createPolicyEvaluator, loadPolicies } from "../../src/policy/index.js";

const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: replicas}
spec:
  validationFailureAction: Enforce
  rules:
    - name: at-most-five-when-prod
      match: {any: [{resources: {kinds: [Deployment]}}]}
      preconditions:
        all:
          - key: "{{ request.object.metadata.labels.env || '' }}"
            operator: Equals
            value: prod
      validate:
        message: "prod Deployments run at most 5 replicas"
        pattern: {spec: {replicas: "<=5"}}
    - name: mutate-me
      match: {any: [{resources: {kinds: [Deployment]}}]}
      mutate: {patchStrategicMerge: {metadata: {labels: {x: y}}}}
`;

const deployment = (env: string, replicas: number): Resource => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace: "a",
  name: `${env}-app`,
  body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `${env}-app`, namespace: "a", labels: { env } }, spec: { replicas } },
});

describe("policy evaluator skips", () => {
  it("drops rules whose preconditions do not hold, but reports what cannot be evaluated offline", async () => {
    const { policies, problems } = loadPolicies(policy, "p.yaml");
    expect(problems).toEqual([]);
    const evaluator = createPolicyEvaluator({ policies, parameters: {}, severityOverrides: { "replicas/mutate-me": "warning" } });
    const resources = [deployment("dev", 9), deployment("prod", 9)];
    const issues = await evaluator.evaluate({ side: "head", target: { id: "t", type: "manifests", path: "t" }, resources, allResources: resources });
    expect(issues.map((i) => [i.resource.name, i.rule, i.status, i.severity])).toEqual([
      ["dev-app", "mutate-me", "skip", "info"],
      ["prod-app", "at-most-five-when-prod", "fail", "error"],
      ["prod-app", "mutate-me", "skip", "info"],
    ]);
    expect(issues[0]!.message).toMatch(/^mutate rules change resources/);
  });
});
