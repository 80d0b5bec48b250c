/**
 * Kyverno's CEL libraries: `resource.Get` / `resource.List` / `image.GetMetadata` answered from a
 * `kyverno test` Context file (and reported as unsupported when there is no cluster data),
 * `namespaceObject` from the values file's namespaces, `parseServiceAccount` and `time.now()`.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { withClusterData } from "../../../src/policy/cel/kyverno-library.js";
import { runPolicyTests } from "../../../src/policy/test-runner/run.js";
import { evaluate, pod, policyFrom } from "../helpers/policy.js";
import { run } from "./run.js";

const FIXTURE = resolve(import.meta.dirname, "../../../fixtures/policy/cel-context");

describe("Kyverno CEL libraries", () => {
  it("answers resource.Get, resource.List and image.GetMetadata from a kyverno test Context file", async () => {
    const out: string[] = [];
    const summary = await runPolicyTests(FIXTURE, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    expect(summary).toMatchObject({ passed: 5, failed: 0, unsupported: 0, exitCode: 0 });
  });

  it("reports the functions' own errors and finds images by normalised reference", () => {
    const data = {
      resources: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "ns" }, data: { k: "v" } }],
      images: new Map([["docker.io/library/busybox:latest", { config: { User: "1" } }]]),
    };
    const inContext = (e: string) => withClusterData(data, () => run(e));
    expect(inContext("resource.Get('v1', 'configmaps', 'ns', 'c').data.k")).toBe("v");
    expect(inContext("resource.Get('v1', 'configmaps', 'ns', 'missing')")).toMatch(/^ERROR .*not found/);
    expect(inContext("resource.List('v1', 'configmaps', '').items.size() == 1 && resource.List('v1', 'secrets', 'ns').items.size() == 0")).toBe(true);
    expect(inContext("image.GetMetadata('busybox').config.User")).toBe("1");
    expect(inContext("image.GetMetadata('nginx')")).toMatch(/^ERROR .*no metadata/);
    expect(run("resource.Get('v1', 'configmaps', 'ns', 'c')")).toMatch(/^ERROR .*needs a cluster/);
  });

  it("marks a rule that reads the cluster as unsupported when no cluster data is given", () => {
    const policy = policyFrom({
      apiVersion: "policies.kyverno.io/v1alpha1",
      kind: "ValidatingPolicy",
      metadata: { name: "vp" },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }] },
        variables: [{ name: "cm", expression: "resource.Get('v1', 'configmaps', 'default', 'x')" }],
        validations: [{ expression: "variables.cm.data.size() > 0" }],
      },
    });
    const [result] = evaluate(policy, pod({}));
    expect(result).toMatchObject({ status: "skip", unsupported: true });
    expect(result!.message).toMatch(/resource\.Get.*cluster/);
    const [withData] = evaluate(policy, pod({}), { clusterData: { resources: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "default" }, data: { a: "1" } }], images: new Map() } });
    expect(withData).toMatchObject({ status: "pass" });
  });

  it("parses service account user names and gives the time", () => {
    expect(run("parseServiceAccount('system:serviceaccount:ns:builder')")).toEqual({ Namespace: "ns", Name: "builder" });
    expect(run("parseServiceAccount('alice@example.com')")).toEqual({ Namespace: "", Name: "" });
    expect(run("time.now() > timestamp('2020-01-01T00:00:00Z') && time.now() - duration('1h') < time.now()")).toBe(true);
  });
});
