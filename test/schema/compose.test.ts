import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Resource } from "../../src/core/model/resource.js";
import type { TargetSpec } from "../../src/core/model/target.js";
import type { Tree, ValidationRequest } from "../../src/core/ports.js";
import { renderCompose } from "../../src/render/compose/renderer.js";
import { createComposeValidator, validateCompose } from "../../src/schema/compose/index.js";
import { showValue } from "../../src/schema/compose/show-value.js";
import { dirTree } from "../helpers/dir-tree.js";

const ROOT = resolve(import.meta.dirname, "../..");
const LIMITS = { timeoutMs: 10_000, maxOutputBytes: 10 * 1024 * 1024 };

function composeTarget(path: string): TargetSpec {
  return { id: path, type: "compose", path };
}

async function render(tree: Tree, path: string): Promise<Resource[]> {
  const outcome = await renderCompose(composeTarget(path), tree, LIMITS);
  if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
  expect(outcome.warnings.filter((w) => w.ruleId !== "compose/variable-unset")).toEqual([]);
  return outcome.resources;
}

function request(tree: Tree, path: string, resources: readonly Resource[]): ValidationRequest {
  return { side: "head", tree, target: composeTarget(path), kubernetesVersion: "1.31", resources, crds: [] };
}

async function issuesOf(dir: string, path: string) {
  const tree = dirTree(resolve(ROOT, dir));
  const resources = await render(tree, path);
  return validateCompose(request(tree, path, resources));
}

describe("compose validation of clean projects", () => {
  it.each([
    ["fixtures/demo/base", "compose/shop"],
    ["fixtures/demo/head", "compose/shop"],
    ["fixtures/render/compose", "basic"],
    ["fixtures/render/compose", "extends"],
    ["fixtures/render/compose", "secret-safety"],
    ["fixtures/schema/compose", "valid"],
  ])("%s %s has no issues", async (dir, path) => {
    expect(await issuesOf(dir, path)).toEqual([]);
  });
});

describe("compose validation of invalid entries", () => {
  const path = "invalid";
  const load = async () => {
    const tree = dirTree(resolve(ROOT, "fixtures/schema/compose"));
    const resources = await render(tree, path);
    return { resources, issues: await validateCompose(request(tree, path, resources)) };
  };
  const brief = (i: { ruleId: string; path: string; file?: string; line?: number; resource: Resource }) =>
    [i.resource.kind, i.resource.name, i.ruleId, i.path, `${i.file}:${i.line}`];

  it("reports each problem once, with the file and line of the offending key", async () => {
    const { issues } = await load();
    expect(issues.map(brief).sort()).toEqual(
      [
        ["Network", "front", "schema/unknown-field", "drivr", "invalid/compose.yaml:16"],
        ["Service", "web", "schema/enum", "volumes[0].type", "invalid/compose.yaml:10"],
        ["Service", "web", "schema/required", "ulimits.nofile", "invalid/compose.yaml:13"],
        ["Service", "web", "schema/type", "environment.DB_PASSWORD", "invalid/compose.yaml:7"],
        ["Service", "web", "schema/type", "restart", "invalid/compose.yaml:5"],
        // Set only by the override file: the issue points there.
        ["Service", "web", "schema/type", "stop_signal", "invalid/compose.override.yaml:6"],
        ["Service", "web", "schema/unknown-field", "imagee", "invalid/compose.yaml:4"],
      ].sort(),
    );
    expect(issues.every((i) => i.severity === "error")).toBe(true);
  });

  it("names the path, the expectation and the value in messages", async () => {
    const { issues } = await load();
    const message = (p: string) => issues.find((i) => i.path === p)!.message;
    expect(message("imagee")).toBe('imagee: unknown field in a Compose service (did you mean "image"?); got "nginx:1.28"');
    expect(message("restart")).toBe("restart: expected string, got 5");
    expect(message("volumes[0].type")).toBe(
      'volumes[0].type: expected one of "bind", "volume", "tmpfs", "cluster", "npipe", "image"; got "bnd"',
    );
    expect(message("ulimits.nofile")).toBe('ulimits.nofile: required field "hard" is missing; got {"soft":1024}');
    expect(message("drivr")).toBe('drivr: unknown field in a Compose network (did you mean "driver"?); got "overlay"');
  });

  it("never prints the value of a credential-like environment entry", async () => {
    const { issues } = await load();
    const issue = issues.find((i) => i.path === "environment.DB_PASSWORD")!;
    expect(issue.message).toBe("environment.DB_PASSWORD: expected string, number, boolean or null, got <redacted>");
    expect(JSON.stringify(issues.map((i) => i.message))).not.toContain("hunter2");
  });

  it("makes unknown fields warnings when not strict", async () => {
    const { resources } = await load();
    const tree = dirTree(resolve(ROOT, "fixtures/schema/compose"));
    const issues = await createComposeValidator({ strict: false }).validate(request(tree, path, resources));
    expect(issues.filter((i) => i.ruleId === "schema/unknown-field").map((i) => i.severity)).toEqual(["warning", "warning"]);
    expect(issues.filter((i) => i.ruleId !== "schema/unknown-field").every((i) => i.severity === "error")).toBe(true);
  });

  it("leaves every resource that is not a Compose entry alone", async () => {
    const tree = dirTree(resolve(ROOT, "fixtures/schema/compose"));
    const deployment: Resource = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "",
      name: "x",
      body: { apiVersion: "apps/v1", kind: "Deployment", imagee: 1 },
    };
    expect(await validateCompose(request(tree, path, [deployment]))).toEqual([]);
  });

  it("falls back to the entry's source when no file spells out the field", async () => {
    const service: Resource = {
      apiVersion: "compose/v1",
      kind: "Service",
      namespace: "",
      name: "made-up",
      body: { image: 5 },
      source: { file: "compose.yaml", line: 3 },
    };
    const tree = dirTree(resolve(ROOT, "fixtures/schema/compose"));
    const [issue] = await validateCompose(request(tree, path, [service]));
    expect(issue).toMatchObject({ ruleId: "schema/type", path: "image", file: "compose.yaml", line: 3 });
  });
});

describe("values in messages", () => {
  it("are JSON, cut at 80 characters", () => {
    expect(showValue("x".repeat(200), ["image"])).toHaveLength(80);
    expect(showValue("x".repeat(200), ["image"]).endsWith("…")).toBe(true);
    expect(showValue({ a: [1, true] }, ["labels"])).toBe('{"a":[1,true]}');
  });

  it("hide credentials inside larger values and list items", () => {
    expect(showValue({ API_TOKEN: "t0k", LEVEL: "info" }, ["environment"])).toBe('{"API_TOKEN":"<redacted>","LEVEL":"info"}');
    expect(showValue(["DB_PASSWORD=hunter2", "LEVEL=info"], ["build", "args"])).toBe('["DB_PASSWORD=<redacted>","LEVEL=info"]');
    expect(showValue("hunter2", ["environment", "PRIVATE_KEY"])).toBe("<redacted>");
    expect(showValue({ secrets: [{ source: "db" }] }, [])).toBe('{"secrets":[{"source":"db"}]}');
  });
});
