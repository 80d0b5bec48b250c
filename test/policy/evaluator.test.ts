import { describe, expect, it } from "vitest";
import type { Resource } from "../../src/core/model/resource.js";
import type { PolicyRequest } from "../../src/core/ports.js";
import { createPolicyEvaluator, toPolicyResource } from "../../src/policy/evaluator.js";
import { policyFrom } from "./helpers/policy.js";

const target = { id: "apps/web", type: "kustomize" as const, path: "apps/web" };

function k8s(kind: string, name: string, body: Record<string, unknown>, namespace = "prod"): Resource {
  const apiVersion = kind === "Deployment" ? "apps/v1" : "v1";
  return { apiVersion, kind, name, namespace, body: { apiVersion, kind, metadata: { name, namespace }, ...body } };
}

const composeService: Resource = {
  apiVersion: "compose/v1",
  kind: "Service",
  name: "db",
  namespace: "",
  body: { image: "postgres:latest", labels: { "com.example.team": "data" }, ports: [{ target: 5432, published: "5432" }] },
};

const policies = [
  policyFrom(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: approved-registries}
spec:
  validationFailureAction: Enforce
  rules:
    - name: registries
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        message: "{{ element.image }} is not from an approved registry"
        foreach:
          - list: request.object.spec.containers
            deny:
              conditions:
                all:
                  - key: "{{ element.image }}"
                    operator: AnyNotIn
                    value: "{{ shipshape.parameters.approvedRegistries }}"
`),
  policyFrom(`apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: compose-no-latest}
spec:
  rules:
    - name: pinned
      match: {any: [{resources: {kinds: [compose/v1/Service]}}]}
      validate:
        message: "compose service {{ request.object.metadata.name }} uses a mutable tag"
        pattern:
          spec:
            image: "!*:latest"
    - name: mutate-me
      match: {any: [{resources: {kinds: [compose/v1/Service]}}]}
      mutate: {patchStrategicMerge: {spec: {restart: always}}}
    - name: broken
      match: {any: [{resources: {kinds: [compose/v1/Service]}}]}
      validate:
        deny:
          conditions:
            all: [{key: "{{ request.object.spec.nothing }}", operator: Equals, value: 1}]
`),
];

describe("createPolicyEvaluator", () => {
  const evaluator = createPolicyEvaluator({ policies, parameters: { approvedRegistries: ["registry.example.com/*"] }, severityOverrides: {} });

  it("reports failures, skips and errors as PolicyIssues and drops passes", async () => {
    const good = k8s("Deployment", "web", { spec: { template: { spec: { containers: [{ name: "a", image: "registry.example.com/web:1" }] } } } });
    const bad = k8s("Deployment", "api", { spec: { template: { spec: { containers: [{ name: "a", image: "docker.io/api:1" }] } } } });
    const request: PolicyRequest = { side: "head", target, resources: [good, bad, composeService], allResources: [good, bad, composeService] };
    const issues = await evaluator.evaluate(request);
    const summary = issues.map((i) => [i.policy, i.rule, i.resource.name, i.status, i.severity]);
    expect(summary).toEqual([
      ["approved-registries", "autogen-registries", "api", "fail", "error"],
      ["compose-no-latest", "pinned", "db", "fail", "warning"],
      ["compose-no-latest", "mutate-me", "db", "skip", "info"],
      ["compose-no-latest", "broken", "db", "error", "warning"],
    ]);
    expect(issues[0]!.message).toBe("docker.io/api:1 is not from an approved registry");
    expect(issues[0]!.path).toBe("spec.template.spec.containers[0]");
    expect(issues[0]!.resource).toBe(bad);
    expect(issues[1]).toMatchObject({ message: "compose service db uses a mutable tag", path: "spec.image" });
    expect(issues[2]!.message).toMatch(/^mutate/);
    expect(issues[3]!.message).toMatch(/^policy compose-no-latest, rule broken could not be evaluated/);
  });

  it("applies severity overrides", async () => {
    const e = createPolicyEvaluator({ policies: [policies[1]!], parameters: {}, severityOverrides: { "compose-no-latest": "info" } });
    const issues = await e.evaluate({ side: "base", target, resources: [composeService], allResources: [composeService] });
    expect(issues.find((i) => i.rule === "pinned")!.severity).toBe("info");
  });
});

describe("toPolicyResource", () => {
  it("keeps Kubernetes objects as they are", () => {
    const r = k8s("Pod", "p", { spec: {} });
    expect(toPolicyResource(r).object).toBe(r.body);
  });

  it("wraps Compose entries as compose/v1 objects with the entry under spec", () => {
    expect(toPolicyResource(composeService).object).toEqual({
      apiVersion: "compose/v1",
      kind: "Service",
      metadata: { name: "db", labels: { "com.example.team": "data" } },
      spec: composeService.body,
    });
  });
});
