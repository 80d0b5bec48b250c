import { describe, expect, it } from "vitest";
import { makeFinding, type Finding } from "../../src/core/model/finding.js";
import type { Resource } from "../../src/core/model/resource.js";
import { applyWaivers, expiredWaivers, type WaiverRule } from "../../src/core/waivers.js";

const deployment = (name: string, annotations?: Record<string, string>): Resource => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace: "shop",
  name,
  body: { metadata: { name, namespace: "shop", ...(annotations ? { annotations } : {}) } },
  source: { file: `apps/${name}.yaml`, line: 3 },
});

const finding = (policyRule: string, name: string, target = "apps"): Finding =>
  makeFinding({
    source: "policy",
    ruleId: `policy/${policyRule}`,
    severity: "error",
    message: "violates",
    target,
    resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name },
  });

const rule = (over: Partial<WaiverRule>): WaiverRule => ({ policy: "require-probes", reason: "batch worker", where: ".github/shipshape.yml:12", ...over });
const ctx = (rules: WaiverRule[]) => ({ rules, today: "2026-11-23", configFile: ".github/shipshape.yml" });

describe("waivers", () => {
  it.each([
    ["a policy name covers all its rules", rule({}), "require-probes/check-liveness", "worker", true],
    ["policy/rule covers only that rule", rule({ policy: "require-probes/check-readiness" }), "require-probes/check-liveness", "worker", false],
    ["resource globs narrow it", rule({ resource: { kind: "Deployment", name: "work*" } }), "require-probes/check-liveness", "worker", true],
    ["a non-matching resource is not waived", rule({ resource: { name: "api" } }), "require-probes/check-liveness", "worker", false],
    ["a target glob narrows it", rule({ target: "infra/**" }), "require-probes/check-liveness", "worker", false],
    ["an expired waiver no longer applies", rule({ expires: "2026-11-22" }), "require-probes/check-liveness", "worker", false],
    ["a waiver expiring today still applies", rule({ expires: "2026-11-23" }), "require-probes/check-liveness", "worker", true],
  ])("%s", (_name, r, policyRule, name, waived) => {
    const [f] = applyWaivers([finding(policyRule, name)], new Map([["apps", [deployment(name)]]]), ctx([r]));
    expect(Boolean(f!.waived)).toBe(waived);
    if (waived) expect(f!.waived).toMatchObject({ reason: "batch worker", source: "config", where: ".github/shipshape.yml:12" });
  });

  it("honours the annotations on the resource, saying where they are", () => {
    const resources = new Map([["apps", [deployment("worker", { "shipshape.dev/waive": "disallow-latest-tag, require-probes", "shipshape.dev/waive-reason": "vendor image" })]]]);
    const [a, b] = applyWaivers([finding("require-probes/check-liveness", "worker"), finding("require-labels/check", "worker")], resources, ctx([]));
    expect(a!.waived).toEqual({ reason: "vendor image", source: "annotation", where: "apps/worker.yaml:3" });
    expect(b!.waived).toBeUndefined();
  });

  it("leaves schema and render findings alone", () => {
    const f = { ...finding("require-probes/x", "worker"), source: "schema" as const, ruleId: "schema/type" };
    expect(applyWaivers([f], new Map(), ctx([rule({ policy: "*" })]))[0]!.waived).toBeUndefined();
  });

  it("turns an expired waiver into a finding of its own", () => {
    const [f] = expiredWaivers(ctx([rule({ expires: "2026-01-31" }), rule({ expires: "2027-01-01" })]));
    expect(expiredWaivers(ctx([rule({ expires: "2027-01-01" })]))).toEqual([]);
    expect(f).toMatchObject({ ruleId: "config/waiver-expired", severity: "warning", file: ".github/shipshape.yml", line: 12 });
    expect(f!.message).toContain("expired on 2026-01-31");
  });
});
