import { describe, expect, it } from "vitest";
import { clusterPolicy, evaluate, pod, policyFrom, statusOf } from "./helpers/policy.js";

const containers = (...images: string[]) => images.map((image, i) => ({ name: `c${i}`, image }));

describe("foreach", () => {
  const tagRule = clusterPolicy({
    validate: {
      message: "image {{ element.image }} (container {{ elementIndex }}) needs a tag",
      foreach: [
        { list: "request.object.spec.containers", pattern: { image: "*:*" } },
        { list: "request.object.spec.initContainers", pattern: { image: "*:*" } },
      ],
    },
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["all elements pass", { containers: containers("a:1", "b:2") }, "pass"],
    ["one element fails", { containers: containers("a:1", "b") }, "fail"],
    ["a missing list is ignored", { containers: containers("a:1"), initContainers: undefined }, "pass"],
    ["no element at all is a skip", { containers: [] }, "skip"],
  ])("%s", (_n, spec, expected) => {
    expect(statusOf(tagRule, pod(spec))).toBe(expected);
  });

  it("substitutes element variables in the message and names the element's path", () => {
    const [r] = evaluate(tagRule, pod({ containers: containers("a:1", "b") }));
    expect(r).toMatchObject({ status: "fail", message: "image b (container 1) needs a tag", path: "spec.containers[1].image" });
  });

  it("deny with element conditions, per-element preconditions and nested foreach", () => {
    const policy = clusterPolicy({
      validate: {
        message: "port {{ element.containerPort }} of {{ element0.name }} uses hostPort",
        foreach: [
          {
            list: "request.object.spec.containers",
            preconditions: { all: [{ key: "{{ element.name }}", operator: "NotEquals", value: "sidecar" }] },
            foreach: [{ list: "element0.ports", deny: { conditions: { any: [{ key: "{{ element.hostPort || `0` }}", operator: "GreaterThan", value: 0 }] } } }],
          },
        ],
      },
    });
    const bad = pod({ containers: [{ name: "web", image: "x", ports: [{ containerPort: 80, hostPort: 80 }] }] });
    const sidecarOnly = pod({ containers: [{ name: "sidecar", image: "x", ports: [{ containerPort: 80, hostPort: 80 }] }] });
    const good = pod({ containers: [{ name: "web", image: "x", ports: [{ containerPort: 80 }] }] });
    expect(evaluate(policy, bad)[0]).toMatchObject({ status: "fail", message: "port 80 of web uses hostPort" });
    expect(statusOf(policy, sidecarOnly)).toBe("skip");
    expect(statusOf(policy, good)).toBe("pass");
  });

  it("anyPattern inside foreach, and elementScope false applies the pattern to the resource", () => {
    const any = clusterPolicy({ validate: { foreach: [{ list: "request.object.spec.containers", anyPattern: [{ image: "a:*" }, { image: "b:*" }] }] } });
    expect(statusOf(any, pod({ containers: containers("a:1", "b:2") }))).toBe("pass");
    expect(statusOf(any, pod({ containers: containers("a:1", "c:2") }))).toBe("fail");
    const unscoped = clusterPolicy({ validate: { foreach: [{ list: "request.object.spec.containers", elementScope: false, pattern: { metadata: { name: "p" } } }] } });
    expect(statusOf(unscoped, pod({ containers: containers("x") }))).toBe("pass");
  });
});

describe("pattern, anyPattern and deny rules", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    ["pattern passes", { pattern: { spec: { containers: [{ image: "!*:latest" }] } } }, { containers: containers("a:1") }, "pass"],
    ["pattern fails", { pattern: { spec: { containers: [{ image: "!*:latest" }] } } }, { containers: containers("a:latest") }, "fail"],
    ["anyPattern: one alternative holds", { anyPattern: [{ spec: { hostNetwork: true } }, { spec: { containers: [{ image: "a:*" }] } }] }, { containers: containers("a:1") }, "pass"],
    ["anyPattern: none holds", { anyPattern: [{ spec: { hostNetwork: true } }, { spec: { containers: [{ image: "a:*" }] } }] }, { containers: containers("b:1") }, "fail"],
    ["anyPattern: all skipped", { anyPattern: [{ spec: { "(hostNetwork)": true, hostPID: true } }] }, { containers: [] }, "skip"],
    ["deny with true condition fails", { deny: { conditions: { all: [{ key: "{{ request.object.spec.hostNetwork || `false` }}", operator: "Equals", value: true }] } } }, { hostNetwork: true }, "fail"],
    ["deny with false condition passes", { deny: { conditions: { all: [{ key: "{{ request.object.spec.hostNetwork || `false` }}", operator: "Equals", value: true }] } } }, {}, "pass"],
    ["deny without conditions always fails", { deny: {} }, {}, "fail"],
    ["deny on an unresolvable variable is an error", { deny: { conditions: { all: [{ key: "{{ request.object.spec.nope }}", operator: "Equals", value: 1 }] } } }, {}, "error"],
    ["pattern with variables", { pattern: { metadata: { name: "{{ request.object.metadata.name }}" } } }, {}, "pass"],
    ["pattern variable that cannot resolve is an error", { pattern: { metadata: { name: "{{ request.object.metadata.nope }}" } } }, {}, "error"],
  ])("%s", (_n, validate, spec, expected) => {
    expect(statusOf(clusterPolicy({ validate: { message: "m", ...validate } }), pod(spec))).toBe(expected);
  });

  it("preconditions skip the rule, in both forms", () => {
    const anyAll = clusterPolicy({ preconditions: { all: [{ key: "{{ request.operation }}", operator: "Equals", value: "DELETE" }] }, validate: { deny: {} } });
    const list = clusterPolicy({ preconditions: [{ key: "{{ request.operation }}", operator: "Equals", value: "CREATE" }], validate: { deny: {} } });
    expect(statusOf(anyAll, pod({}))).toBe("skip");
    expect(statusOf(list, pod({}))).toBe("fail");
  });

  it("context variables from the resource, with jmesPath and default", () => {
    const policy = clusterPolicy({
      context: [
        { name: "replicaCount", variable: { jmesPath: "request.object.spec.replicas", default: 1 } },
        { name: "images", variable: { value: "{{ request.object.spec.containers[].image }}", jmesPath: "length(@)" } },
        { name: "team", variable: { value: { name: "{{ request.object.metadata.labels.team || 'none' }}" } } },
      ],
      validate: { message: "{{ team.name }}: {{ replicaCount }} replicas, {{ images }} images", deny: { conditions: { all: [{ key: "{{ images }}", operator: "GreaterThan", value: 1 }] } } },
    });
    const [r] = evaluate(policy, pod({ containers: containers("a:1", "b:1") }));
    expect(r).toMatchObject({ status: "fail", message: "none: 1 replicas, 2 images" });
    const nil = clusterPolicy({ context: [{ name: "x", variable: { jmesPath: "request.object.spec.nothing || `null`" } }], validate: { deny: {} } });
    expect(statusOf(nil, pod({}))).toBe("error");
  });

  it("caller variables are nested by dots and usable everywhere", () => {
    const policy = clusterPolicy({
      validate: {
        message: "registry not approved",
        foreach: [{ list: "request.object.spec.containers", deny: { conditions: { all: [{ key: "{{ element.image }}", operator: "AnyNotIn", value: "{{ shipshape.parameters.approved }}" }] } } }],
      },
    });
    const variables = { "shipshape.parameters.approved": ["registry.example.com/*"] };
    expect(statusOf(policy, pod({ containers: containers("registry.example.com/app:1") }), { variables })).toBe("pass");
    expect(statusOf(policy, pod({ containers: containers("docker.io/app:1") }), { variables })).toBe("fail");
  });

  it("the images variable describes container images", () => {
    const policy = clusterPolicy({ validate: { deny: { conditions: { any: [{ key: "{{ images.containers.*.registry }}", operator: "AnyNotIn", value: ["ghcr.io"] }] } } } });
    expect(statusOf(policy, pod({ containers: [{ name: "a", image: "ghcr.io/o/a:1" }] }))).toBe("pass");
    expect(statusOf(policy, pod({ containers: [{ name: "a", image: "nginx:1" }] }))).toBe("fail");
  });
});

describe("severity", () => {
  const rule = { validate: { message: "m", deny: {} } };
  it.each<[string, Record<string, string> | undefined, string]>([
    ["Enforce", undefined, "error"],
    ["enforce", undefined, "error"],
    ["Audit", undefined, "warning"],
    ["Audit", { "test-policy": "info" }, "info"],
  ])("%s with overrides %j → %s", (action, overrides, expected) => {
    const [r] = evaluate(clusterPolicy(rule, { action }), pod({}), overrides ? { severityOverrides: overrides as Record<string, "info"> } : {});
    expect(r!.severity).toBe(expected);
  });

  it("rule-level failureAction wins over the policy's", () => {
    const policy = clusterPolicy({ validate: { failureAction: "Enforce", deny: {} } }, { action: "Audit" });
    expect(evaluate(policy, pod({}))[0]!.severity).toBe("error");
  });

  it("a namespaced Policy only applies in its namespace", () => {
    const policy = policyFrom({
      apiVersion: "kyverno.io/v1",
      kind: "Policy",
      metadata: { name: "ns-policy", namespace: "team-a" },
      spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["Pod"] } }] }, validate: { deny: {} } }] },
    });
    expect(statusOf(policy, pod({}, { namespace: "team-a" }))).toBe("fail");
    expect(statusOf(policy, pod({}, { namespace: "team-b" }))).toBe("none");
  });
});
