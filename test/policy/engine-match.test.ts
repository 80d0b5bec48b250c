import { describe, expect, it } from "vitest";
import { loadPolicies } from "../../src/policy/load.js";
import type { PolicyResource } from "../../src/policy/model.js";
import { clusterPolicy, evaluate, pod, policyFrom, statusOf } from "./helpers/policy.js";

const deny = { validate: { message: "matched", deny: {} } };
const obj = (apiVersion: string, kind: string, name: string, namespace = "", extra: Record<string, unknown> = {}): PolicyResource => ({
  object: { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...extra } },
});

function withMatch(match: Record<string, unknown>, exclude?: Record<string, unknown>) {
  return policyFrom({
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: { name: "m", annotations: { "pod-policies.kyverno.io/autogen-controllers": "none" } },
    spec: { rules: [{ name: "r", match, ...(exclude ? { exclude } : {}), ...deny }] },
  });
}

describe("match and exclude", () => {
  const deployment = obj("apps/v1", "Deployment", "web", "prod", { labels: { app: "web", tier: "fe" }, annotations: { owner: "team-a" } });
  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined, PolicyResource, boolean]>([
    ["Kind", { any: [{ resources: { kinds: ["Deployment"] } }] }, undefined, deployment, true],
    ["other Kind", { any: [{ resources: { kinds: ["StatefulSet"] } }] }, undefined, deployment, false],
    ["group/version/Kind", { any: [{ resources: { kinds: ["apps/v1/Deployment"] } }] }, undefined, deployment, true],
    ["group/*/Kind", { any: [{ resources: { kinds: ["apps/*/Deployment"] } }] }, undefined, deployment, true],
    ["wrong group", { any: [{ resources: { kinds: ["batch/*/Deployment"] } }] }, undefined, deployment, false],
    ["version/Kind", { any: [{ resources: { kinds: ["v1/Deployment"] } }] }, undefined, deployment, true],
    ["wildcard kind", { any: [{ resources: { kinds: ["Deploy*"] } }] }, undefined, deployment, true],
    ["*", { any: [{ resources: { kinds: ["*"] } }] }, undefined, deployment, true],
    ["legacy resources block", { resources: { kinds: ["Deployment"] } }, undefined, deployment, true],
    ["name wildcard", { any: [{ resources: { kinds: ["Deployment"], names: ["w*"] } }] }, undefined, deployment, true],
    ["name mismatch", { any: [{ resources: { kinds: ["Deployment"], name: "api" } }] }, undefined, deployment, false],
    ["namespaces", { any: [{ resources: { kinds: ["Deployment"], namespaces: ["prod", "stage"] } }] }, undefined, deployment, true],
    ["namespaces mismatch", { any: [{ resources: { kinds: ["Deployment"], namespaces: ["dev*"] } }] }, undefined, deployment, false],
    ["selector matchLabels", { any: [{ resources: { kinds: ["Deployment"], selector: { matchLabels: { app: "web" } } } }] }, undefined, deployment, true],
    ["selector wildcard value", { any: [{ resources: { kinds: ["Deployment"], selector: { matchLabels: { app: "w*" } } } }] }, undefined, deployment, true],
    ["selector matchExpressions", { any: [{ resources: { kinds: ["Deployment"], selector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["be"] }] } } }] }, undefined, deployment, true],
    ["selector fails", { any: [{ resources: { kinds: ["Deployment"], selector: { matchExpressions: [{ key: "env", operator: "Exists" }] } } }] }, undefined, deployment, false],
    ["annotations", { any: [{ resources: { kinds: ["Deployment"], annotations: { owner: "team-*" } } }] }, undefined, deployment, true],
    ["any: one filter matches", { any: [{ resources: { kinds: ["Pod"] } }, { resources: { kinds: ["Deployment"] } }] }, undefined, deployment, true],
    ["all: every filter must match", { all: [{ resources: { kinds: ["Deployment"] } }, { resources: { namespaces: ["dev"] } }] }, undefined, deployment, false],
    ["operations include CREATE", { any: [{ resources: { kinds: ["Deployment"], operations: ["CREATE", "UPDATE"] } }] }, undefined, deployment, true],
    ["operations without CREATE", { any: [{ resources: { kinds: ["Deployment"], operations: ["DELETE"] } }] }, undefined, deployment, false],
    ["exclude by namespace", { any: [{ resources: { kinds: ["Deployment"] } }] }, { any: [{ resources: { namespaces: ["prod"] } }] }, deployment, false],
    ["exclude all: only when every filter matches", { any: [{ resources: { kinds: ["Deployment"] } }] }, { all: [{ resources: { namespaces: ["prod"] } }, { resources: { names: ["api"] } }] }, deployment, true],
    // who makes the request is unknown offline
    ["match filter with subjects never matches", { any: [{ resources: { kinds: ["Deployment"] }, subjects: [{ kind: "User", name: "bob" }] }] }, undefined, deployment, false],
    ["exclude with clusterRoles never excludes", { any: [{ resources: { kinds: ["Deployment"] } }] }, { any: [{ clusterRoles: ["cluster-admin"] }] }, deployment, true],
  ])("%s", (_n, match, exclude, resource, expected) => {
    expect(statusOf(withMatch(match, exclude), resource) !== "none").toBe(expected);
  });

  it("namespaceSelector uses the labels of Namespace objects among the resources, else does not match", () => {
    const policy = withMatch({ any: [{ resources: { kinds: ["Deployment"], namespaceSelector: { matchLabels: { env: "prod" } } } }] });
    const ns = obj("v1", "Namespace", "prod", "", { labels: { env: "prod" } });
    expect(evaluate(policy, [deployment], { allResources: [deployment, ns] })).toHaveLength(1);
    expect(evaluate(policy, [deployment])).toHaveLength(0);
    expect(evaluate(policy, [deployment], { namespaceLabels: { prod: { env: "prod" } } })).toHaveLength(1);
  });
});

describe("autogen for pod controllers", () => {
  const policy = clusterPolicy({
    validate: {
      message: "{{ request.object.metadata.name }} must not use hostNetwork",
      pattern: { spec: { "=(hostNetwork)": false } },
    },
  });
  const template = (spec: Record<string, unknown>) => ({ metadata: { labels: { a: "b" } }, spec });
  const controllers: [string, string, Record<string, unknown>][] = [
    ["apps/v1", "Deployment", { template: template({ hostNetwork: true }) }],
    ["apps/v1", "StatefulSet", { template: template({ hostNetwork: true }) }],
    ["apps/v1", "DaemonSet", { template: template({ hostNetwork: true }) }],
    ["apps/v1", "ReplicaSet", { template: template({ hostNetwork: true }) }],
    ["batch/v1", "Job", { template: template({ hostNetwork: true }) }],
    ["batch/v1", "CronJob", { jobTemplate: { spec: { template: template({ hostNetwork: true }) } } }],
  ];

  it("generates autogen- and autogen-cronjob- rules", () => {
    expect(policy.rules.map((r) => r.name)).toEqual(["check", "autogen-check", "autogen-cronjob-check"]);
    expect(policy.rules[1]!.kinds).toEqual(["DaemonSet", "Deployment", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"]);
    expect(policy.rules[2]!.raw.validate).toMatchObject({ pattern: { spec: { jobTemplate: { spec: { template: { spec: { "=(hostNetwork)": false } } } } } } });
    expect(JSON.stringify(policy.rules[1]!.raw.validate)).toContain("request.object.spec.template.metadata.name");
  });

  it.each(controllers)("checks the pod template of %s %s", (apiVersion, kind, spec) => {
    const [r] = evaluate(policy, { object: { apiVersion, kind, metadata: { name: "x" }, spec } });
    expect(r).toMatchObject({ status: "fail", rule: kind === "CronJob" ? "autogen-cronjob-check" : "autogen-check" });
    expect(r!.path).toContain("hostNetwork");
  });

  it.each<[string, string[]]>([
    ["none", ["check"]],
    ["Deployment", ["check", "autogen-check"]],
    ["CronJob", ["check", "autogen-cronjob-check"]],
    ["Deployment,CronJob", ["check", "autogen-check", "autogen-cronjob-check"]],
  ])("honours autogen-controllers: %s", (annotation, rules) => {
    const p = clusterPolicy({ validate: { deny: {} } }, { annotations: { "pod-policies.kyverno.io/autogen-controllers": annotation } });
    expect(p.rules.map((r) => r.name)).toEqual(rules);
  });

  it("does not generate when the match names resources or mixes kinds", () => {
    const named = policyFrom({
      apiVersion: "kyverno.io/v1",
      kind: "ClusterPolicy",
      metadata: { name: "n" },
      spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["Pod"], names: ["web-*"] } }] }, validate: { deny: {} } }] },
    });
    expect(named.rules.map((r) => r.name)).toEqual(["r"]);
    const mixed = clusterPolicy({ validate: { deny: {} } }, { kinds: ["Pod", "Service"] });
    expect(mixed.rules.map((r) => r.name)).toEqual(["check"]);
  });
});

describe("rules that cannot be evaluated offline are skipped with a reason", () => {
  const base = (rule: Record<string, unknown>, annotations?: Record<string, string>) =>
    policyFrom({ apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", metadata: { name: "s", annotations: { "pod-policies.kyverno.io/autogen-controllers": "none", ...annotations } }, spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["Pod"] } }] }, ...rule }] } });
  it.each<[string, Record<string, unknown>, RegExp]>([
    ["mutate", { mutate: { patchStrategicMerge: { metadata: { labels: { a: "b" } } } } }, /mutate/],
    ["generate", { generate: { kind: "ConfigMap", name: "x", data: {} } }, /generate/],
    ["verifyImages", { verifyImages: [{ imageReferences: ["*"] }] }, /registr/],
    ["configMap context", { context: [{ name: "cm", configMap: { name: "x", namespace: "y" } }], validate: { deny: {} } }, /ConfigMap/],
    ["imageRegistry context", { context: [{ name: "img", imageRegistry: { reference: "nginx" } }], validate: { deny: {} } }, /registry/],
    ["apiCall without the annotation", { context: [{ name: "np", apiCall: { urlPath: "/apis/networking.k8s.io/v1/networkpolicies" } }], validate: { deny: {} } }, /shipshape.dev\/api-call/],
  ])("%s", (_n, rule, reason) => {
    const [r] = evaluate(base(rule), pod({}));
    expect(r!.status).toBe("skip");
    expect(r!.severity).toBe("info");
    expect(r!.message).toMatch(reason);
  });

  it("policies of CEL kinds not evaluated yet load as unsupported and skip the resources they select", () => {
    const { policies } = loadPolicies(
      `apiVersion: policies.kyverno.io/v1alpha1
kind: MutatingPolicy
metadata: {name: vpol}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  mutations: []
`,
      "vpol.yaml",
    );
    expect(policies[0]!.unsupported).toMatch(/MutatingPolicy/);
    const results = evaluate(policies, [pod({}), obj("v1", "Service", "s")]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: "skip", policy: "vpol" });
  });
});

describe("apiCall emulation from rendered resources", () => {
  const annotations = { "shipshape.dev/api-call": "rendered-resources", "pod-policies.kyverno.io/autogen-controllers": "none" };
  const needsNetpol = policyFrom({
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: { name: "netpol", annotations },
    spec: {
      rules: [
        {
          name: "r",
          match: { any: [{ resources: { kinds: ["Deployment"] } }] },
          context: [{ name: "netpols", apiCall: { urlPath: "/apis/networking.k8s.io/v1/namespaces/{{ request.namespace }}/networkpolicies", jmesPath: "items | length(@)" } }],
          validate: { message: "{{ request.namespace }} has no NetworkPolicy", deny: { conditions: { all: [{ key: "{{ netpols }}", operator: "Equals", value: 0 }] } } },
        },
        {
          name: "service",
          match: { any: [{ resources: { kinds: ["Ingress"] } }] },
          context: [{ name: "svc", apiCall: { urlPath: "/api/v1/namespaces/{{ request.namespace }}/services/{{ request.object.spec.defaultBackend.service.name }}", jmesPath: "spec.type" } }],
          validate: { deny: { conditions: { all: [{ key: "{{ svc }}", operator: "NotEquals", value: "ClusterIP" }] } } },
        },
      ],
    },
  });
  const deployment = obj("apps/v1", "Deployment", "web", "prod");
  const netpol = obj("networking.k8s.io/v1", "NetworkPolicy", "default-deny", "prod");
  const otherNs = obj("networking.k8s.io/v1", "NetworkPolicy", "default-deny", "dev");
  const ingress: PolicyResource = { object: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "i", namespace: "prod" }, spec: { defaultBackend: { service: { name: "web" } } } } };
  const service: PolicyResource = { object: { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "prod" }, spec: { type: "ClusterIP" } } };

  it("answers a list path with the resources of that namespace", () => {
    expect(evaluate(needsNetpol, [deployment], { allResources: [deployment, netpol] })[0]!.status).toBe("pass");
    expect(evaluate(needsNetpol, [deployment], { allResources: [deployment, otherNs] })[0]).toMatchObject({ status: "fail", message: "prod has no NetworkPolicy" });
  });

  it("answers an object path, and a missing object is an error like a 404", () => {
    expect(evaluate(needsNetpol, [ingress], { allResources: [ingress, service] })[0]!.status).toBe("pass");
    const [missing] = evaluate(needsNetpol, [ingress], { allResources: [ingress] });
    expect(missing!.status).toBe("error");
    expect(missing!.message).toMatch(/could not find/);
  });
});

describe("loading policies", () => {
  it("reports malformed documents with file and line", () => {
    const { policies, problems } = loadPolicies(
      `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: ok}
spec:
  rules: [{name: r, match: {any: [{resources: {kinds: [Pod]}}]}, validate: {deny: {}}}]
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: broken}
spec:
  rules: [{name: r}]
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
spec: {}
`,
      "policies.yaml",
    );
    expect(policies.map((p) => p.name)).toEqual(["ok"]);
    expect(problems).toEqual([
      { file: "policies.yaml", line: 7, message: 'ClusterPolicy "broken": rule "r" has no match block' },
      { file: "policies.yaml", line: 13, message: "ClusterPolicy has no metadata.name" },
    ]);
  });

  it("reports invalid YAML with its line", () => {
    const { problems } = loadPolicies("a: [\n", "bad.yaml");
    expect(problems[0]).toMatchObject({ file: "bad.yaml" });
    expect(problems[0]!.message).toMatch(/invalid YAML/);
  });
});
