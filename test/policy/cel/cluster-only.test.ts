/**
 * `authorizer` asks the cluster's authorizer about the requester: offline, a rule that uses it is
 * reported as unsupported (a skip marked `unsupported`, with the reason), never as a pass or an
 * unbound-variable error.
 */
import { describe, expect, it } from "vitest";
import { clusterPolicy, evaluate, pod, policyFrom } from "../helpers/policy.js";

const usesAuthorizer = "authorizer.group('').resource('pods').namespace(object.metadata.namespace).check('delete').allowed() || object.spec.containers.size() > 0";

describe("cluster-only bindings", () => {
  it("marks a validate.cel rule that uses authorizer as unsupported", () => {
    const policy = clusterPolicy({ validate: { cel: { expressions: [{ expression: usesAuthorizer }] } } }, { annotations: { "pod-policies.kyverno.io/autogen-controllers": "none" } });
    const [result] = evaluate(policy, pod({ containers: [{ name: "a", image: "nginx" }] }));
    expect(result).toMatchObject({ status: "skip", unsupported: true });
    expect(result!.message).toMatch(/authorizer.*needs a cluster/);
  });

  it("marks a ValidatingPolicy that uses authorizer in a variable as unsupported, and leaves others alone", () => {
    const vpol = (expression: string) =>
      policyFrom({
        apiVersion: "policies.kyverno.io/v1alpha1",
        kind: "ValidatingPolicy",
        metadata: { name: "vp" },
        spec: {
          matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }] },
          variables: [{ name: "allowed", expression }],
          validations: [{ expression: "variables.allowed" }],
        },
      });
    const [unsupported] = evaluate(vpol("authorizer.serviceAccount('ns', 'sa').group('').resource('pods').check('get').allowed()"), pod({}));
    expect(unsupported).toMatchObject({ status: "skip", unsupported: true });
    const [evaluated] = evaluate(vpol("cel.bind(a, object.metadata.name, a == 'p')"), pod({}));
    expect(evaluated).toMatchObject({ status: "pass" });
    expect(evaluated!.unsupported).toBeUndefined();
  });
});
