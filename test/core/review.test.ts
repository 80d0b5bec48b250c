import { describe, expect, it } from "vitest";
import { review, type ReviewOptions } from "../../src/core/pipeline/review.js";
import type { PolicyEvaluator, PolicyIssue, PolicyRequest, Renderer, RenderOutcome, SchemaIssue, Tree, ValidationRequest, Validator } from "../../src/core/ports.js";
import type { TargetSpec, TargetType } from "../../src/core/model/target.js";
import { createManifestsRenderer } from "../../src/render/manifests/renderer.js";
import { memoryTree } from "../helpers/memory-tree.js";

const options: ReviewOptions = {
  explicitTargets: [],
  discovery: true,
  ignore: [],
  limits: { timeoutMs: 1000, maxOutputBytes: 1 << 20 },
  concurrency: 2,
  ignoreFields: [],
};

/**
 * A fake "kustomize" renderer: every directory with a `fake.yaml` is a target, its inputs are
 * the files of that directory, and rendering parses them as manifests. Calls are counted.
 */
function fakeRenderer(calls: string[], behaviour: (spec: TargetSpec, tree: Tree) => RenderOutcome | undefined = () => undefined): Renderer {
  const manifests = createManifestsRenderer();
  return {
    type: "kustomize" as TargetType,
    async discover(tree) {
      return tree
        .files()
        .filter((f) => f.endsWith("/fake.yaml"))
        .map((f) => f.slice(0, -"/fake.yaml".length))
        .map((path) => ({ id: path, type: "kustomize" as const, path }));
    },
    async inputs(target, tree) {
      const files = new Set(tree.files().filter((f) => f.startsWith(`${target.path}/`)));
      const blocking = (await tree.read(`${target.path}/fake.yaml`)).includes("remote")
        ? [{ ruleId: "render/remote-base", severity: "error" as const, message: "remote base" }]
        : [];
      return { files, blocking, warnings: [] };
    },
    async render(target, tree, limits) {
      calls.push(`${tree.ref}:${target.id}`);
      return behaviour(target, tree) ?? manifests.render({ ...target, type: "manifests" }, tree, limits);
    },
    async info() {
      return { name: "fake", version: "1.0" };
    },
    owns: (t) => [t.path],
  };
}

const cm = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: "${value}"\n`;

async function run(
  base: Record<string, string>,
  head: Record<string, string>,
  renderer: Renderer,
  opts: Partial<ReviewOptions> = {},
  validator?: Validator,
  policy?: PolicyEvaluator,
) {
  return review(memoryTree("base", base), memoryTree("head", head), { ...options, ...opts }, {
    renderers: new Map([
      ["kustomize", renderer],
      ["manifests", createManifestsRenderer()],
    ]),
    ...(validator ? { validator } : {}),
    ...(policy ? { policy } : {}),
    now: () => 0,
  });
}

/** Flags every ConfigMap whose data.v is "bad" at path data.v, and records what it was asked. */
function fakeValidator(requests: ValidationRequest[]): Validator {
  return {
    defaultKubernetesVersion: "1.36",
    async validate(request) {
      requests.push(request);
      return request.resources
        .filter((r) => (r.body.data as { v?: string } | undefined)?.v === "bad")
        .map((r): SchemaIssue => ({ ruleId: "schema/enum", severity: "error", message: `data.v: "bad" is not allowed`, resource: r, path: "data.v" }));
    },
  };
}

describe("review pipeline", () => {
  it("renders only affected targets and lists the others as unchanged", async () => {
    const calls: string[] = [];
    const base = { "a/fake.yaml": cm("a", "1"), "b/fake.yaml": cm("b", "1") };
    const head = { "a/fake.yaml": cm("a", "2"), "b/fake.yaml": cm("b", "1") };
    const { report, toolErrors } = await run(base, head, fakeRenderer(calls));
    expect(toolErrors).toEqual([]);
    expect(calls.sort()).toEqual(["base:a", "head:a"]);
    expect(report.targets.map((t) => [t.id, t.affected, t.status])).toEqual([
      ["a", true, "rendered"],
      ["b", false, "unchanged"],
    ]);
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ target: "a", action: "modified", kind: "ConfigMap", namespace: "default", name: "a" });
  });

  it("treats added and removed targets as everything added or removed", async () => {
    const { report } = await run({ "old/fake.yaml": cm("x", "1") }, { "new/fake.yaml": cm("y", "1") }, fakeRenderer([]));
    expect(report.changes.map((c) => [c.target, c.action, c.name])).toEqual([
      ["new", "added", "y"],
      ["old", "removed", "x"],
    ]);
  });

  it("renders identical inputs once (same options, same content)", async () => {
    const calls: string[] = [];
    // Two explicit targets with the same path and options but different names: one render per side.
    const spec = (name: string): TargetSpec => ({ id: `a#${name}`, name, type: "kustomize", path: "a", explicit: true });
    await run({ "a/fake.yaml": cm("a", "1") }, { "a/fake.yaml": cm("a", "2") }, fakeRenderer(calls), { explicitTargets: [spec("one"), spec("two")] });
    expect(calls.sort()).toEqual(["base:a#one", "head:a#one"]);
  });

  it("keeps a render failure a finding, and a tool failure a tool error", async () => {
    const behaviour = (spec: TargetSpec, tree: Tree): RenderOutcome | undefined => {
      if (tree.ref !== "head") return undefined;
      if (spec.path === "bad") return { status: "invalid", problems: [{ ruleId: "render/failed", severity: "error", message: "template error", file: "bad/fake.yaml" }] };
      if (spec.path === "tool") return { status: "tool-error", message: "helm not found" };
      return undefined;
    };
    const base = { "bad/fake.yaml": cm("a", "1"), "tool/fake.yaml": cm("b", "1"), "ok/fake.yaml": cm("c", "1") };
    const head = { "bad/fake.yaml": cm("a", "2"), "tool/fake.yaml": cm("b", "2"), "ok/fake.yaml": cm("c", "2") };
    const { report, toolErrors } = await run(base, head, fakeRenderer([], behaviour));
    expect(toolErrors).toEqual(["tool: helm not found"]);
    const status = Object.fromEntries(report.targets.map((t) => [t.id, t.status]));
    expect(status).toEqual({ bad: "failed", ok: "rendered", tool: "failed" });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: "render/failed", target: "bad", introduced: true, file: "bad/fake.yaml" });
    expect(report.changes.map((c) => c.target)).toEqual(["ok"]);
  });

  it("skips blocked targets with a finding that is pre-existing when the base had it too", async () => {
    const calls: string[] = [];
    const { report } = await run({ "r/fake.yaml": "remote\n" + cm("a", "1") }, { "r/fake.yaml": "remote\n" + cm("a", "2") }, fakeRenderer(calls));
    expect(calls).toEqual([]);
    expect(report.targets[0]).toMatchObject({ status: "skipped", error: "remote base" });
    expect(report.findings[0]).toMatchObject({ ruleId: "render/remote-base", introduced: false });
  });

  it("finds plain manifest directories that no other target owns", async () => {
    const files = { "k/fake.yaml": cm("k", "1"), "k/extra.yaml": cm("e", "1"), "raw/cm.yaml": cm("r", "1"), "docs/notes.yaml": "title: x\n" };
    const { report } = await run(files, { ...files, "raw/cm.yaml": cm("r", "2") }, fakeRenderer([]));
    expect(report.targets.map((t) => [t.id, t.type, t.affected])).toEqual([
      ["k", "kustomize", false],
      ["raw", "manifests", true],
    ]);
  });

  it("ignores targets matching ignore globs", async () => {
    const files = { "a/fake.yaml": cm("a", "1"), "sandbox/x/fake.yaml": cm("s", "1") };
    const { report } = await run(files, files, fakeRenderer([]), { ignore: ["sandbox/**"] });
    expect(report.targets.map((t) => t.id)).toEqual(["a"]);
  });

  it("reports a configured target whose folder exists on neither side", async () => {
    const files = { "a/fake.yaml": cm("a", "1") };
    const ghost: TargetSpec = { id: "charts/gone", type: "kustomize", path: "charts/gone", explicit: true };
    const { report } = await run(files, files, fakeRenderer([]), { explicitTargets: [ghost] });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ source: "config", ruleId: "config/target-missing", severity: "error", target: "charts/gone", introduced: true });
  });

  it("validates both sides, marking only what the change brings as introduced", async () => {
    const requests: ValidationRequest[] = [];
    const cmv = (name: string, v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: ${v}\n`;
    const base = { "a/fake.yaml": cmv("old", "bad") + "---\n" + cmv("fine", "ok") };
    const head = { "a/fake.yaml": cmv("old", "bad") + "---\n" + cmv("fine", "bad") };
    const { report } = await run(base, head, fakeRenderer([]), {}, fakeValidator(requests));
    expect(requests.map((r) => [r.side, r.kubernetesVersion, r.resources.length]).sort()).toEqual([
      ["base", "1.36", 2],
      ["head", "1.36", 2],
    ]);
    expect(report.findings.map((f) => [f.resource?.name, f.path, f.source, f.introduced, f.file, f.line])).toEqual([
      ["old", "data.v", "schema", false, "a/fake.yaml", 1],
      ["fine", "data.v", "schema", true, "a/fake.yaml", 8],
    ]);
  });

  it("hands every side's rendered CRDs to the validator of every target", async () => {
    const requests: ValidationRequest[] = [];
    const crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n";
    const base = { "crds/fake.yaml": crd, "app/fake.yaml": cm("a", "1") };
    const head = { "crds/fake.yaml": crd + "spec: {}\n", "app/fake.yaml": cm("a", "2") };
    await run(base, head, fakeRenderer([]), { kubernetesVersion: "1.30" }, fakeValidator(requests));
    const app = requests.filter((r) => r.target.id === "app");
    expect(app.map((r) => [r.side, r.kubernetesVersion, r.crds.map((c) => c.name)])).toEqual(
      expect.arrayContaining([
        ["base", "1.30", ["widgets.example.com"]],
        ["head", "1.30", ["widgets.example.com"]],
      ]),
    );
  });

  it("runs policies on both sides with every rendered resource, reports skips, calls out policy edits and applies waivers", async () => {
    const requests: PolicyRequest[] = [];
    const policy: PolicyEvaluator = {
      async evaluate(request) {
        requests.push(request);
        return request.resources.flatMap((r): PolicyIssue[] => [
          ...((r.body.data as { k?: string } | undefined)?.k === "2"
            ? [{ policy: "no-two", rule: "check", status: "fail" as const, severity: "error" as const, message: "k must not be 2", resource: r, path: "data.k" }]
            : []),
          { policy: "needs-cluster", rule: "lookup", status: "skip" as const, severity: "info" as const, message: "apiCall context needs a cluster", resource: r },
        ]);
      },
    };
    const base = { "a/fake.yaml": cm("a", "1"), "b/fake.yaml": cm("b", "1"), "policies/p.yaml": "v1" };
    const head = { "a/fake.yaml": cm("a", "2"), "b/fake.yaml": cm("b", "2"), "policies/p.yaml": "v2" };
    const waivers = {
      rules: [{ policy: "no-two", resource: { name: "b" }, reason: "legacy", where: ".github/shipshape.yml:4" }],
      today: "2026-11-23",
      configFile: ".github/shipshape.yml",
    };
    const { report } = await run(base, head, fakeRenderer([]), { policyPaths: ["policies/**"], waivers }, undefined, policy);
    expect(requests.map((r) => [r.side, r.target.id, r.allResources.length]).sort()).toEqual([
      ["base", "a", 2],
      ["base", "b", 2],
      ["head", "a", 2],
      ["head", "b", 2],
    ]);
    const rows = report.findings.map((f) => [f.ruleId, f.target, f.severity, f.introduced, f.waived?.reason ?? null]);
    expect(rows).toEqual([
      ["policy/no-two/check", "a", "error", true, null],
      ["policy/no-two/check", "b", "error", true, "legacy"],
      ["policy/policies-changed", ".", "warning", true, null],
      ["policy/needs-cluster/lookup", "a", "info", false, null],
      ["policy/needs-cluster/lookup", "b", "info", false, null],
    ]);
    expect(report.findings.find((f) => f.ruleId === "policy/needs-cluster/lookup")!.message).toBe("not evaluated: apiCall context needs a cluster");
  });
});
