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

describe("cluster-only functions in a ValidatingAdmissionPolicy", () => {
  const vap = (expression: string) => [
    policyFrom({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: "vap" },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }] },
        validations: [{ expression }],
      },
    }),
    policyFrom({ apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicyBinding", metadata: { name: "vap-binding" }, spec: { policyName: "vap", validationActions: ["Deny"] } }),
  ];

  it("reports authorizer as unsupported with the reason, not as an error", () => {
    const [result] = evaluate(vap("authorizer.group('').resource('pods').check('create').allowed()"), pod({}));
    expect(result).toMatchObject({ policy: "vap", rule: "vap-binding", status: "skip", unsupported: true });
    expect(result!.message).toMatch(/authorizer.*needs a cluster/);
  });

  it("reports cluster-data functions as unsupported without cluster data, and evaluates the rest", () => {
    const [result] = evaluate(vap("resource.Get('v1', 'configmaps', 'default', 'cm').data.size() > 0"), pod({}));
    expect(result).toMatchObject({ status: "skip", unsupported: true });
    expect(result!.message).toMatch(/resource\.Get.*cluster data/);
    const [plain] = evaluate(vap("object.metadata.name == 'p'"), pod({}, { name: "p" }));
    expect(plain).toMatchObject({ status: "pass" });
    expect(plain!.unsupported).toBeUndefined();
  });
});

describe("Kyverno's view of the object", () => {
  const rolePolicy = (expression: string) =>
    clusterPolicy({ validate: { cel: { expressions: [{ expression, message: "no wildcard" }] } } }, { kinds: ["ClusterRole"] });
  const role = (extra: Record<string, unknown>) => ({ object: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" }, ...extra } });

  it("keeps null fields (object.rules == null) and answers a presence test on null with none", () => {
    const policy = rolePolicy("object.rules == null || !object.rules.exists(r, '*' in r.verbs)");
    expect(evaluate(policy, role({ rules: null }))[0]!.status).toBe("pass");
    expect(evaluate(policy, role({ rules: [{ verbs: ["*"] }] }))[0]!.status).toBe("fail");
    const annotated = rolePolicy("object.?aggregationRule.?clusterRoleSelectors.orValue([]).size() == 0");
    expect(evaluate(annotated, role({ aggregationRule: null }))[0]!.status).toBe("pass");
  });

  it("answers has() on a field set to null with true, as cel-go on the unstructured object", () => {
    expect(evaluate(rolePolicy("has(object.rules) && object.rules == null"), role({ rules: null }))[0]!.status).toBe("pass");
    expect(evaluate(rolePolicy("'rules' in object && object[?'rules'].hasValue()"), role({ rules: null }))[0]!.status).toBe("pass");
    expect(evaluate(rolePolicy("has(object.rules)"), role({}))[0]!.status).toBe("fail");
  });

  it("fails a validate.cel rule whose expression errors (Kyverno's failurePolicy Fail)", () => {
    const [result] = evaluate(rolePolicy("object.missing.size() == 0"), role({}));
    expect(result).toMatchObject({ status: "fail" });
    expect(result!.message).toMatch(/missing/);
  });

  it("keeps a spent cost budget an error, not a failure of the change", () => {
    const [result] = evaluate(rolePolicy("lists.range(100000000).size() > 0"), role({}));
    expect(result).toMatchObject({ status: "error" });
    expect(result!.message).toMatch(/cost budget/);
  });
});
