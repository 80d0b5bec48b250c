/**
 * Output that differs between two renders of the same input (issue 12, "Helm output that changes
 * on every render"): what varies is learnt from two head renders and masked on both sides of the
 * base/head diff; objects with generated names pair by where they come from.
 */
import { describe, expect, it } from "vitest";
import { diffTarget } from "../../src/core/diff/diff-target.js";
import { describeVariance, generatedNamePattern, learnVariance, maskVariance, VARIES } from "../../src/core/diff/nondeterminism.js";
import { hookOf, isTestHook } from "../../src/core/model/hooks.js";
import type { Resource } from "../../src/core/model/resource.js";

const noStrip = (b: Record<string, unknown>) => b;

function secret(password: string, extra: Record<string, string> = {}): Resource {
  const body = { apiVersion: "v1", kind: "Secret", metadata: { name: "web-admin", namespace: "default" }, data: { "admin-user": "YWRtaW4=", "admin-password": password, ...extra } };
  return { apiVersion: "v1", kind: "Secret", namespace: "default", name: "web-admin", body, source: { file: "web/templates/secret.yaml", line: 1 } };
}

function job(name: string, image: string, hook = "pre-install,pre-upgrade"): Resource {
  const body = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: "default", annotations: { "helm.sh/hook": hook } },
    spec: { template: { spec: { containers: [{ name: "migrate", image }] } } },
  };
  return { apiVersion: "batch/v1", kind: "Job", namespace: "default", name, body, source: { file: "web/templates/migrate.yaml", line: 1 } };
}

describe("learnVariance", () => {
  it("names the fields two renders of the same input write differently, and generated names", () => {
    const v = learnVariance([secret("cGFzczE="), job("web-migrate-ab12c", "nginx:1")], [secret("cGFzczI="), job("web-migrate-x9k2m", "nginx:1")]);
    expect([...v.values()].map((x) => ({ name: x.resource.name, shown: x.shownName, generated: x.generatedName, paths: x.paths }))).toEqual([
      { name: "web-admin", shown: "web-admin", generated: false, paths: [["data", "admin-password"]] },
      { name: "web-migrate-ab12c", shown: "web-migrate-<random>", generated: true, paths: [["metadata", "name"]] },
    ]);
    expect(describeVariance(v)).toEqual({ fields: 2, text: "Secret default/web-admin data.admin-password, Job default/web-migrate-<random> metadata.name" });
  });

  it("is empty for identical renders", () => {
    expect(learnVariance([secret("cA=="), job("a", "x")], [secret("cA=="), job("a", "x")]).size).toBe(0);
  });

  it("keeps objects whose origin is shared by several apart (no guessing)", () => {
    const v = learnVariance([job("a-1", "x"), job("a-2", "x")], [job("a-3", "x"), job("a-4", "x")]);
    expect(v.size).toBe(0);
  });
});

describe("generatedNamePattern", () => {
  it.each([
    ["web-test-ab12c", "web-test-x9k2m", "web-test-<random>"],
    // Characters the random parts share by chance are not kept.
    ["web-test-ab12c", "web-test-ax9km", "web-test-<random>"],
    ["x-ab12c-test", "x-99zzz-test", "x-<random>-test"],
    ["abc", "xyz", "<random>"],
  ])("%s / %s → %s", (a, b, pattern) => {
    expect(generatedNamePattern(a, b)).toBe(pattern);
  });
});

describe("maskVariance", () => {
  const head1 = [secret("aGVhZDE="), job("web-migrate-head1", "nginx:2")];
  const head2 = [secret("aGVhZDI="), job("web-migrate-head2", "nginx:2")];
  const base = [secret("YmFzZTE="), job("web-migrate-base1", "nginx:1")];

  it("leaves a random password and a generated name out of the diff, and keeps the real change", () => {
    const masked = maskVariance(base, head1, learnVariance(head1, head2));
    const changes = diffTarget("web", masked.base, masked.head, noStrip);
    expect(changes.map((c) => ({ action: c.action, kind: c.kind, name: c.name, hook: c.hook, summary: c.summary }))).toEqual([
      { action: "modified", kind: "Job", name: "web-migrate-<random>", hook: "pre-install,pre-upgrade", summary: ["image migrate: nginx:1 → nginx:2"] },
    ]);
    expect(changes[0]!.diff).not.toMatch(/head1|base1/);
  });

  it("shows a varying field only the head has as added, and Secret values stay redacted", () => {
    const masked = maskVariance([secret("YmFzZTE=")], [secret("aGVhZDE=", { token: "dG9rMQ==" })], learnVariance([secret("aGVhZDE=", { token: "dG9rMQ==" })], [secret("aGVhZDI=", { token: "dG9rMg==" })]));
    expect(masked.head[0]!.body.data).toEqual({ "admin-user": "YWRtaW4=", "admin-password": VARIES, token: "dG9rMQ==" });
    const changes = diffTarget("web", masked.base, masked.head, noStrip);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.diff).toContain('+  token: "<redacted: added, 4 bytes>"');
    expect(changes[0]!.diff).not.toMatch(/aGVhZDE|YmFzZTE|dG9r|differs on every render/);
  });

  it("changes nothing without variance", () => {
    const masked = maskVariance(base, head1, new Map());
    expect(masked.base).toEqual(base);
    expect(masked.head).toEqual(head1);
  });
});

describe("helm hooks", () => {
  it.each([
    ["test", "test", true],
    ["test-success", "test-success", true],
    [" test , test-failure ", "test,test-failure", true],
    ["pre-install,pre-upgrade", "pre-install,pre-upgrade", false],
    ["test,pre-install", "test,pre-install", false],
  ])("%j", (annotation, hook, test) => {
    const body = { metadata: { annotations: { "helm.sh/hook": annotation } } };
    expect(hookOf(body)).toBe(hook);
    expect(isTestHook(body)).toBe(test);
  });

  it("ordinary objects are no hook", () => {
    expect(hookOf({ metadata: { name: "x" } })).toBeUndefined();
    expect(isTestHook({ metadata: { annotations: { "helm.sh/hook": "" } } })).toBe(false);
  });
});
