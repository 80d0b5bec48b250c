import { describe, expect, it } from "vitest";
import { diffTarget } from "../../src/core/diff/diff-target.js";
import type { Resource } from "../../src/core/model/resource.js";

const keep = (b: Record<string, unknown>) => b;

function res(apiVersion: string, kind: string, name: string, rest: Record<string, unknown>): Resource {
  return { apiVersion, kind, namespace: "ns", name, body: { apiVersion, kind, metadata: { name, namespace: "ns" }, ...rest } };
}

function summary(before: Resource, after: Resource): string[] {
  const [change] = diffTarget("t", [before], [after], keep);
  return change!.summary;
}

describe("values that print alike", () => {
  it("show their types in the env, replicas and resources summaries", () => {
    const deployment = (value: unknown, replicas: unknown, cpu: unknown) =>
      res("apps/v1", "Deployment", "d", { spec: { replicas, template: { spec: { containers: [{ name: "c", image: "i:1", env: [{ name: "MAX_TOKENS", value }], resources: { requests: { cpu } } }] } } } });
    expect(summary(deployment(4096, 2, 1), deployment("4096", "2", "1"))).toEqual(['replicas: 2 → "2"', 'resources c: requests.cpu 1 → "1"', 'env c: MAX_TOKENS: 4096 → "4096"']);
  });
});

describe("the generic change summary", () => {
  it.each<[string, unknown, unknown, string]>([
    ["a scalar", { a: 1 }, { a: 2 }, "spec.a: 1 → 2"],
    ["a new field", {}, { a: "x" }, "spec.a: (none) → x"],
    ["a removed subtree names its fields", { policy: { automated: {}, retry: 1 } }, {}, "spec.policy: removed (automated, retry)"],
    ["a list item added", { tolerations: [{ key: "a" }] }, { tolerations: [{ key: "a" }, { key: "b" }] }, "spec.tolerations: +1"],
    ["list items changed in place", { list: [{ x: 1 }, { x: 2 }, { x: 3 }] }, { list: [{ x: 9 }, { x: 8 }, { x: 3 }] }, "spec.list: 2 items changed"],
    ["a reorder", { list: [1, 2] }, { list: [2, 1] }, "spec.list: order changed"],
    ["multi-line text by size", { script: "a\nb" }, { script: "a\nb\nc" }, "spec.script: changed (2 → 3 lines)"],
    ["named list items by name", { items: [{ name: "x", v: 1 }] }, { items: [{ name: "x", v: 2 }] }, "spec.items[x].v: 1 → 2"],
    ["a number quoted: the type shows", { a: 4096 }, { a: "4096" }, 'spec.a: 4096 → "4096"'],
  ])("%s", (_name, before, after, line) => {
    expect(summary(res("example.com/v1", "Thing", "t", { spec: before }), res("example.com/v1", "Thing", "t", { spec: after }))).toEqual([line]);
  });

  it("shortens long values, keeping both ends", () => {
    const long = `https://example.com/${"x".repeat(100)}/end`;
    const [line] = summary(res("example.com/v1", "Thing", "t", { spec: { url: "a" } }), res("example.com/v1", "Thing", "t", { spec: { url: long } }));
    expect(line).toMatch(/^spec\.url: a → https:\/\/example\.com\/x+…x+\/end$/);
    expect(Array.from(line!.slice("spec.url: a → ".length))).toHaveLength(60);
  });

  it("counts what it does not list", () => {
    const many = (v: number) => Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, v]));
    const lines = summary(res("example.com/v1", "Thing", "t", { spec: many(1) }), res("example.com/v1", "Thing", "t", { spec: many(2) }));
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toBe("…and 3 more changed fields (see the diff)");
  });

  it("never shows a Secret's values, only which keys changed", () => {
    const secret = (pw: string, note: string) => res("v1", "Secret", "db", { metadata: { name: "db", namespace: "ns", annotations: { note } }, data: { PASSWORD: Buffer.from(pw).toString("base64") } });
    const lines = summary(secret("hunter2-canary", "a"), secret("swordfish-canary", "b"));
    expect(lines).toEqual(["annotations: note: a → b", "data keys: ~PASSWORD"]);
    expect(lines.join("\n")).not.toMatch(/canary|aHVudGVy|c3dvcmRm/);
  });

  it("redacts credentials in args before describing them", () => {
    const pod = (pw: string) => res("v1", "Pod", "p", { spec: { containers: [{ name: "app", image: "i", args: ["--verbose", `--db-password=${pw}`] }] } });
    const [line] = summary(pod("first-canary"), pod("second-canary"));
    expect(line).toMatch(/^args app: "--db-password=<redacted: previous value, 12 bytes>" → "--db-password=<redacted: changed, 13 bytes>"$/);
  });

  it("adds the generic lines after the dedicated ones, for the fields they do not cover", () => {
    const deploy = (image: string, user?: number) =>
      res("apps/v1", "Deployment", "d", { spec: { template: { spec: { containers: [{ name: "app", image, ...(user ? { securityContext: { runAsUser: user } } : {}) }] } } } });
    expect(summary(deploy("a:1"), deploy("a:2", 1000))).toEqual(["image app: a:1 → a:2", "spec.template.spec.containers[app].securityContext: added (runAsUser)"]);
  });

  it("says what a CronJob's probes and scheduling changes are", () => {
    const cron = (probe: boolean, sa: string) =>
      res("batch/v1", "CronJob", "c", {
        spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: sa, containers: [{ name: "job", image: "i", ...(probe ? { startupProbe: { exec: { command: ["true"] } } } : {}) }] } } } } },
      });
    expect(summary(cron(true, "a"), cron(false, "b"))).toEqual(["probes job: startup removed", "serviceAccountName: a → b"]);
  });
});
