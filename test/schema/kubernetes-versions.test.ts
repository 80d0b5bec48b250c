import { describe, expect, it } from "vitest";
import {
  BUNDLED_VERSIONS,
  DEFAULT_KUBERNETES_VERSION,
  UnknownKubernetesVersionError,
  createKubernetesValidator,
  kubernetesKindScope,
  normalizeKubernetesVersion,
} from "../../src/schema/kubernetes/index.js";
import { requestFor, resourcesFrom } from "../../fixtures/schema/resources.js";

describe("normalizeKubernetesVersion", () => {
  const cases: [string, string][] = [
    ["1.31", "1.31"],
    ["1.31.4", "1.31"],
    ["v1.31", "1.31"],
    ["v1.30.2", "1.30"],
    ["1.29.3-gke.1200", "1.29"],
    ["v1.28.5+k3s1", "1.28"],
    [" 1.36 ", "1.36"],
  ];
  it.each(cases)("%s → %s", (input, expected) => {
    expect(normalizeKubernetesVersion(input)).toBe(expected);
  });

  it.each(["1.27", "1.37.0", "2.0", "latest", "1", ""])("rejects %j, listing the bundled versions", (input) => {
    let error: unknown;
    try {
      normalizeKubernetesVersion(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UnknownKubernetesVersionError);
    const typed = error as UnknownKubernetesVersionError;
    expect(typed.version).toBe(input);
    expect(typed.available).toEqual(BUNDLED_VERSIONS);
    expect(typed.message).toBe(
      `unknown Kubernetes version "${input}": Shipshape has schemas for 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36`,
    );
  });
});

describe("defaults", () => {
  it("uses the newest bundled version", () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe("1.36");
    const validator = createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [] });
    expect(validator.defaultKubernetesVersion).toBe("1.36");
  });

  it("accepts a patch version in the request and throws for an unknown one", async () => {
    const validator = createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [] });
    const resources = resourcesFrom("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n");
    expect(await validator.validate(requestFor(resources, { version: "v1.33.1" }))).toEqual([]);
    await expect(validator.validate(requestFor(resources, { version: "1.12" }))).rejects.toBeInstanceOf(UnknownKubernetesVersionError);
  });
});

describe("kubernetesKindScope", () => {
  const cases: [string, string, string | undefined][] = [
    ["apps/v1", "Deployment", "namespaced"],
    ["v1", "Namespace", "cluster"],
    ["rbac.authorization.k8s.io/v1", "ClusterRole", "cluster"],
    ["v1", "Secret", "namespaced"],
    ["example.com/v1", "Widget", undefined],
  ];
  it.each(cases)("%s %s is %s", async (apiVersion, kind, expected) => {
    expect(await kubernetesKindScope("1.31", apiVersion, kind)).toBe(expected);
  });
});
