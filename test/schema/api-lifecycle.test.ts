import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { API_REMOVALS, findApiRemoval, minorOf } from "../../src/schema/api-removals.js";
import { createKubernetesValidator } from "../../src/schema/kubernetes/index.js";
import type { ApiHistory } from "../../src/schema/kubernetes/types.js";
import { requestFor, resourcesFrom } from "../../fixtures/schema/resources.js";

const validator = createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [] });
const history = JSON.parse(readFileSync(new URL("../../schemas/kubernetes/index.json", import.meta.url), "utf8")) as ApiHistory;

/** Smallest valid bodies, so only API verdicts show up. */
const BODIES: Record<string, string> = {
  FlowSchema: "spec: { priorityLevelConfiguration: { name: global-default } }",
  PodDisruptionBudget: "spec: { minAvailable: 1 }",
  HorizontalPodAutoscaler: "spec: { maxReplicas: 3, scaleTargetRef: { kind: Deployment, name: web } }",
  ValidatingAdmissionPolicy: "spec: {}",
};

async function verdicts(apiVersion: string, kind: string, version: string) {
  const yaml = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: { name: x }\n${BODIES[kind] ?? ""}\n`;
  const issues = await validator.validate(requestFor(resourcesFrom(yaml), { version }));
  return issues.map((i) => [i.ruleId, i.severity, i.message]);
}

describe("a version switch changes the verdict", () => {
  const FLOW_V1BETA3 = "flowcontrol.apiserver.k8s.io/v1beta3";
  const cases: [string, string, string, string[][]][] = [
    [FLOW_V1BETA3, "FlowSchema", "1.28", []],
    [
      FLOW_V1BETA3,
      "FlowSchema",
      "1.29",
      [["api/deprecated", "warning", `${FLOW_V1BETA3} FlowSchema is deprecated and not served from Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1 before upgrading`]],
    ],
    [
      FLOW_V1BETA3,
      "FlowSchema",
      "1.31",
      [["api/deprecated", "warning", `${FLOW_V1BETA3} FlowSchema is deprecated and not served from Kubernetes 1.32; use flowcontrol.apiserver.k8s.io/v1 before upgrading`]],
    ],
    [
      FLOW_V1BETA3,
      "FlowSchema",
      "1.32",
      [["api/removed", "error", `${FLOW_V1BETA3} FlowSchema is not served by Kubernetes 1.32: removed in 1.32; use flowcontrol.apiserver.k8s.io/v1`]],
    ],
    [
      "flowcontrol.apiserver.k8s.io/v1beta2",
      "FlowSchema",
      "1.28",
      // v1 is not served by 1.28 yet: the advice is the newest version both 1.28 and 1.29 serve.
      [["api/deprecated", "warning", `flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema is deprecated and not served from Kubernetes 1.29; use ${FLOW_V1BETA3} before upgrading`]],
    ],
    [
      "admissionregistration.k8s.io/v1beta1",
      "ValidatingAdmissionPolicy",
      "1.33",
      [
        [
          "api/deprecated",
          "warning",
          "admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy is deprecated and not served from Kubernetes 1.34; use admissionregistration.k8s.io/v1 before upgrading",
        ],
      ],
    ],
    [
      "admissionregistration.k8s.io/v1beta1",
      "ValidatingAdmissionPolicy",
      "1.34",
      [
        [
          "api/removed",
          "error",
          "admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy is not served by Kubernetes 1.34: removed in 1.34; use admissionregistration.k8s.io/v1",
        ],
      ],
    ],
  ];
  it.each(cases)("%s %s on %s", async (apiVersion, kind, version, expected) => {
    expect(await verdicts(apiVersion, kind, version)).toEqual(expected);
  });
});

describe("APIs removed before the bundled versions", () => {
  const cases: [string, string, string, string][] = [
    ["policy/v1beta1", "PodDisruptionBudget", "1.31", "policy/v1beta1 PodDisruptionBudget is not served by Kubernetes 1.31: removed in 1.25; use policy/v1"],
    ["policy/v1beta1", "PodSecurityPolicy", "1.30", "policy/v1beta1 PodSecurityPolicy is not served by Kubernetes 1.30: removed in 1.25; use Pod Security Admission"],
    ["extensions/v1beta1", "Ingress", "1.28", "extensions/v1beta1 Ingress is not served by Kubernetes 1.28: removed in 1.22; use networking.k8s.io/v1"],
    ["extensions/v1beta1", "Deployment", "1.36", "extensions/v1beta1 Deployment is not served by Kubernetes 1.36: removed in 1.16; use apps/v1"],
    ["autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.36", "autoscaling/v2beta2 HorizontalPodAutoscaler is not served by Kubernetes 1.36: removed in 1.26; use autoscaling/v2"],
    ["batch/v1beta1", "CronJob", "1.31", "batch/v1beta1 CronJob is not served by Kubernetes 1.31: removed in 1.25; use batch/v1"],
  ];
  it.each(cases)("%s %s on %s", async (apiVersion, kind, version, message) => {
    expect(await verdicts(apiVersion, kind, version)).toEqual([["api/removed", "error", message]]);
  });
});

describe("APIs a version does not know", () => {
  const cases: [string, string, string, string][] = [
    ["resource.k8s.io/v1", "ResourceClaim", "1.31", "resource.k8s.io/v1 ResourceClaim is not served by Kubernetes 1.31: first served in 1.34; use resource.k8s.io/v1alpha3"],
    ["apps/v1", "Deploymnt", "1.31", "apps/v1 has no kind Deploymnt in Kubernetes 1.31; did you mean Deployment?"],
    ["apps/v2", "Deployment", "1.31", "apps/v2 Deployment is not served by Kubernetes 1.31; use apps/v1"],
    ["extensions/v1beta1", "Gizmo", "1.31", "extensions/v1beta1 Gizmo is not served by Kubernetes 1.31"],
  ];
  it.each(cases)("%s %s on %s", async (apiVersion, kind, version, message) => {
    expect(await verdicts(apiVersion, kind, version)).toEqual([["api/unknown", "error", message]]);
  });

  it("leaves other groups to CRDs", async () => {
    expect((await verdicts("cert-manager.io/v1", "Certificate", "1.31")).map((v) => v[0])).toEqual(["schema/no-schema"]);
  });
});

it("still validates a deprecated API's fields", async () => {
  const yaml = `apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: { name: x }\nspec: { priorityLevelConfiguration: { name: a }, matchingPrecedenc: 5 }\n`;
  const issues = await validator.validate(requestFor(resourcesFrom(yaml), { version: "1.31" }));
  expect(issues.map((i) => [i.ruleId, i.path])).toEqual([
    ["api/deprecated", "apiVersion"],
    ["schema/unknown-field", "spec.matchingPrecedenc"],
  ]);
  expect(issues[0]?.line).toBe(1);
});

describe("the removal table", () => {
  const bundled = history.versions;
  const newest = bundled[bundled.length - 1]!;

  it.each(API_REMOVALS.map((r) => [`${r.apiVersion} ${r.kinds.join(", ")}`, r] as const))("%s agrees with the bundles", (_name, removal) => {
    expect(removal.replacement ?? removal.note).toBeTruthy();
    expect(removal.replacement).not.toBe(removal.apiVersion);
    for (const kind of removal.kinds) {
      const range = history.apis[`${removal.apiVersion}/${kind}`];
      if (minorOf(removal.removedIn) <= minorOf(bundled[0]!)) expect(range).toBeUndefined();
      else expect(range?.[1]).toBe(`1.${minorOf(removal.removedIn) - 1}`);
      if (removal.replacement) {
        expect(history.apis[`${removal.replacement}/${kind}`]?.[1], `${removal.replacement} ${kind}`).toBe(newest);
      }
    }
  });

  it("looks entries up by apiVersion and kind", () => {
    expect(findApiRemoval("policy/v1beta1", "PodDisruptionBudget")?.removedIn).toBe("1.25");
    // admissionregistration.k8s.io/v1beta1 lost its webhooks in 1.22 but came back with admission policies.
    expect(findApiRemoval("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy")).toBeUndefined();
  });
});
