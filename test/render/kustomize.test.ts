import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TargetSpec } from "../../src/core/model/target.js";
import { createKustomizeRenderer } from "../../src/render/kustomize/renderer.js";
import { openDirectory } from "../../src/repo/dir-source.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../helpers/tool-options.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/render/kustomize");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };

function target(path: string): TargetSpec {
  return { id: path, type: "kustomize", path };
}

const renderer = createKustomizeRenderer(testToolOptions());

/**
 * Renders rewrite the target's kustomization where the tree is materialised (to ask for
 * origin annotations), so they get a private root like the CLI's, never the fixtures.
 */
async function snapshot(dir: string) {
  return openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
}
const noOwnership = { isOwned: () => false };
afterAll(removeTestScratchDir);

describe("kustomize discovery", () => {
  it("finds overlays but not the bases and components they use", async () => {
    const targets = await renderer.discover(dirTree(`${FIXTURES}/basic`), noOwnership);
    expect(targets.map((t) => t.id)).toEqual(["overlays/prod", "overlays/staging"]);
    expect(targets[0]).toEqual({ id: "overlays/prod", type: "kustomize", path: "overlays/prod" });
  });

  it("terminates on a reference cycle, keeping one target that reports it", async () => {
    const tree = dirTree(`${FIXTURES}/cycle`);
    const targets = await renderer.discover(tree, noOwnership);
    expect(targets.map((t) => t.id)).toEqual(["a"]);
    const inputs = await renderer.inputs(targets[0]!, tree);
    expect(inputs.blocking.map((p) => [p.ruleId, p.file])).toEqual([["render/kustomize-cycle", "b/kustomization.yaml"]]);
  });
});

describe("kustomize inputs", () => {
  it("include resources, patches, components and generator files transitively", async () => {
    const inputs = await renderer.inputs(target("overlays/prod"), dirTree(`${FIXTURES}/basic`));
    expect(inputs.blocking).toEqual([]);
    expect([...inputs.files].sort()).toEqual([
      "base/app.properties",
      "base/config/settings.json",
      "base/deployment.yaml",
      "base/kustomization.yaml",
      "base/service.yaml",
      "components/monitoring/annotations.yaml",
      "components/monitoring/kustomization.yaml",
      "overlays/prod/kustomization.yaml",
      "overlays/prod/prod.env",
      "overlays/prod/replicas.yaml",
    ]);
  });

  it("leave out files of other overlays", async () => {
    const inputs = await renderer.inputs(target("overlays/staging"), dirTree(`${FIXTURES}/basic`));
    expect(inputs.files.has("overlays/staging/image.json")).toBe(true);
    expect(inputs.files.has("overlays/prod/replicas.yaml")).toBe(false);
    expect(inputs.files.has("components/monitoring/kustomization.yaml")).toBe(false);
  });

  it("block remote bases with file and line", async () => {
    const inputs = await renderer.inputs(target("app"), dirTree(`${FIXTURES}/remote`));
    expect(inputs.blocking.map((p) => [p.ruleId, p.file, p.line])).toEqual([
      ["render/remote-base", "app/kustomization.yaml", 5],
      ["render/remote-base", "app/kustomization.yaml", 6],
    ]);
    expect(inputs.blocking[0]!.message).toContain("app/kustomization.yaml:5");
    expect(inputs.blocking[0]!.message).toContain("github.com/example/platform//deploy/base?ref=v1.2.0");
    expect(inputs.blocking[0]!.message).toMatch(/does not fetch remote bases.*Vendor it/s);
    expect(inputs.files.has("app/deployment.yaml")).toBe(true);
  });

  it("block a missing file, naming the kustomization and line", async () => {
    const inputs = await renderer.inputs(target("app"), dirTree(`${FIXTURES}/missing`));
    expect(inputs.blocking).toHaveLength(1);
    expect(inputs.blocking[0]).toMatchObject({ ruleId: "render/missing-file", severity: "error", file: "app/kustomization.yaml", line: 5 });
    expect(inputs.blocking[0]!.message).toBe('app/kustomization.yaml:5: resources entry "service.yaml" refers to app/service.yaml, which does not exist');
  });

  it("block paths leaving the repository and helm inflation", async () => {
    const tree = dirTree(`${FIXTURES}/unsafe`);
    const escape = await renderer.inputs(target("escape"), tree);
    expect(escape.blocking.map((p) => [p.ruleId, p.line])).toEqual([["render/outside-repo", 2]]);
    const helm = await renderer.inputs(target("helm"), tree);
    expect(helm.blocking.map((p) => [p.ruleId, p.line])).toEqual([["render/kustomize-helm", 3]]);
    expect(helm.blocking[0]!.message).toContain("--enable-helm");
  });

  it("terminate on a cycle and still list both sides", async () => {
    const inputs = await renderer.inputs(target("a"), dirTree(`${FIXTURES}/cycle`));
    expect([...inputs.files].sort()).toEqual(["a/cm.yaml", "a/kustomization.yaml", "b/kustomization.yaml"]);
  });
});

describe("kustomize render", () => {
  it("renders an overlay with generated, hash-suffixed ConfigMaps", async () => {
    const outcome = await renderer.render(target("overlays/prod"), await snapshot(`${FIXTURES}/basic`), LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    const ids = outcome.resources.map((r) => `${r.kind} ${r.namespace}/${r.name}`).sort();
    expect(ids).toHaveLength(4);
    expect(ids).toContain("Deployment prod/api");
    expect(ids).toContain("Service prod/api");
    const configMaps = outcome.resources.filter((r) => r.kind === "ConfigMap").map((r) => r.name);
    expect(configMaps.every((n) => /^api-(config|env)-[a-z0-9]{10}$/.test(n))).toBe(true);
    const deployment = outcome.resources.find((r) => r.kind === "Deployment")!.body as {
      spec: { replicas: number; template: { spec: { containers: { image: string }[]; volumes: { configMap: { name: string } }[] } } };
    };
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0]!.image).toBe("example/api:1.4.2");
    expect(configMaps).toContain(deployment.spec.template.spec.volumes[0]!.configMap.name);
  });

  it("refuses a remote base without running kustomize", async () => {
    // A binary that does not exist: running it would be a tool-error, not this.
    const offline = createKustomizeRenderer(testToolOptions({ binaries: { kustomize: { path: "/nonexistent/kustomize", source: "--kustomize" } } }));
    const outcome = await offline.render(target("app"), await snapshot(`${FIXTURES}/remote`), LIMITS);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems.map((p) => p.ruleId)).toEqual(["render/remote-base", "render/remote-base"]);
  });

  it("reports kustomize's own error as invalid", async () => {
    const tree = await snapshot(`${FIXTURES}/broken`);
    const outcome = await renderer.render(target("app"), tree, LIMITS);
    expect(outcome.status).toBe("invalid");
    if (outcome.status !== "invalid") return;
    expect(outcome.problems).toHaveLength(1);
    const [p] = outcome.problems;
    expect(p).toMatchObject({ ruleId: "render/failed", severity: "error", file: "app/kustomization.yaml" });
    expect(p!.message).toContain("no-such-deployment");
    expect(p!.message).not.toContain(tree.root);
  });

  it("reports an output cap breach", async () => {
    const outcome = await renderer.render(target("overlays/prod"), await snapshot(`${FIXTURES}/basic`), { timeoutMs: 30_000, maxOutputBytes: 100 });
    expect(outcome).toEqual({
      status: "invalid",
      problems: [
        {
          ruleId: "render/output-too-large",
          severity: "error",
          message: "kubectl kustomize produced more than 100 bytes of output",
          file: "overlays/prod/kustomization.yaml",
        },
      ],
    });
  });

  it("is a tool-error when no binary can be found", async () => {
    const none = createKustomizeRenderer(testToolOptions({ toolsDir: "/nonexistent" }));
    const outcome = await none.render(target("overlays/prod"), await snapshot(`${FIXTURES}/basic`), LIMITS);
    expect(outcome.status).toBe("tool-error");
    if (outcome.status !== "tool-error") return;
    expect(outcome.message).toMatch(/neither kustomize nor kubectl found.*--kustomize or --kubectl/s);
    await expect(none.info()).rejects.toThrow(/neither kustomize nor kubectl found/);
  });

  it("reports kubectl's embedded kustomize version", async () => {
    const info = await renderer.info();
    expect(info.name).toBe("kubectl kustomize");
    expect(info.version).toMatch(/^v5\.\d+\.\d+/);
    expect(info.path).toMatch(/tools\/bin\/kubectl$/);
  });
});

describe("kustomize limits", () => {
  it("reports a render that runs past the time limit", async () => {
    const slow = join(testScratchDir(), "slow-kustomize");
    writeFileSync(slow, '#!/bin/sh\nif [ "$1" = version ]; then echo v5.9.9; exit 0; fi\nexec /bin/sleep 20\n');
    chmodSync(slow, 0o755);
    const slowRenderer = createKustomizeRenderer(testToolOptions({ binaries: { kustomize: { path: slow, source: "--kustomize" } } }));
    const outcome = await slowRenderer.render(target("overlays/prod"), await snapshot(`${FIXTURES}/basic`), { timeoutMs: 200, maxOutputBytes: 1000 });
    expect(outcome).toEqual({
      status: "invalid",
      problems: [{ ruleId: "render/timeout", severity: "error", message: "kustomize did not finish within 200 ms", file: "overlays/prod/kustomization.yaml" }],
    });
  });
});
