import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Resource } from "../../src/core/model/resource.js";
import type { TargetSpec } from "../../src/core/model/target.js";
import { requestOriginAnnotations } from "../../src/render/kustomize/origin-request.js";
import { supportsOriginAnnotations } from "../../src/render/kustomize/origin-rewrite.js";
import { ORIGIN_ANNOTATION } from "../../src/render/kustomize/origin-sources.js";
import { createKustomizeRenderer } from "../../src/render/kustomize/renderer.js";
import { yamlToResources } from "../../src/render/to-resources.js";
import { openDirectory } from "../../src/repo/dir-source.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testScratchDir, testToolOptions, TOOLS_DIR } from "../helpers/tool-options.js";

const ROOT = resolve(import.meta.dirname, "../..");
const FIXTURES = resolve(ROOT, "fixtures/render/source-map/kustomize");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const renderer = createKustomizeRenderer(testToolOptions());
afterAll(removeTestScratchDir);

function target(path: string): TargetSpec {
  return { id: path, type: "kustomize", path };
}

/** A tree materialised into a private folder, as the CLI opens --base and --head. */
async function snapshot(dir: string) {
  return openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
}

async function render(dir: string, path: string): Promise<{ resources: Resource[]; root: string }> {
  const tree = await snapshot(dir);
  const outcome = await renderer.render(target(path), tree, LIMITS);
  if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
  return { resources: outcome.resources, root: tree.root };
}

/** What kubectl kustomize prints for the user's own files, untouched. */
function plainBuild(dir: string, path: string): Resource[] {
  const stdout = execFileSync(join(TOOLS_DIR, "kubectl"), ["kustomize", path], { cwd: dir, encoding: "utf8" });
  return yamlToResources(stdout).resources;
}

const key = (r: Resource) => `${r.kind} ${r.name}`;

describe("kustomize origins", () => {
  it("point resources at the file and document they were read from, in bases, overlays and components", async () => {
    const { resources } = await render(FIXTURES, "overlays/prod");
    const sources = Object.fromEntries(resources.filter((r) => r.kind !== "ConfigMap").map((r) => [key(r), r.source]));
    expect(sources).toEqual({
      "Deployment prod-web": { file: "base/deployment.yaml", line: 2 },
      "Service prod-web": { file: "base/services.yaml", line: 1 },
      "Service prod-web-admin": { file: "base/services.yaml", line: 10 },
      "PodDisruptionBudget prod-web": { file: "overlays/prod/pdb.yaml", line: 3 },
      "ServiceAccount prod-web": { file: "components/extra/account.yaml", line: 1 },
    });
  });

  it("point generated ConfigMaps at their generator entry in the kustomization that configured them", async () => {
    const { resources } = await render(FIXTURES, "overlays/prod");
    const configMaps = resources.filter((r) => r.kind === "ConfigMap").map((r) => [r.name.replace(/-[a-z0-9]{10}$/, ""), r.source]);
    expect(configMaps.sort()).toEqual([
      ["prod-prod-settings", { file: "overlays/prod/kustomization.yaml", line: 11 }],
      ["prod-web-config", { file: "base/kustomization.yaml", line: 11 }],
      ["prod-web-env", { file: "base/kustomization.yaml", line: 8 }],
    ]);
  });

  it("leave no trace in the rendered objects: they equal a build of the user's files", async () => {
    const { resources } = await render(FIXTURES, "overlays/prod");
    expect(JSON.stringify(resources.map((r) => r.body))).not.toContain(ORIGIN_ANNOTATION);
    const plain = plainBuild(FIXTURES, "overlays/prod");
    expect(resources.map((r) => [key(r), r.body])).toEqual(plain.map((r) => [key(r), r.body]));
    const deployment = resources.find((r) => r.kind === "Deployment")!.body as { metadata: Record<string, unknown> };
    expect(deployment.metadata.annotations).toEqual({ "example.com/owner": "team-web" });
    const service = resources.find((r) => r.kind === "Service")!.body as { metadata: Record<string, unknown> };
    expect(service.metadata).not.toHaveProperty("annotations");
  });

  it("rewrite only the private copy, never the user's kustomization", async () => {
    const file = join(FIXTURES, "overlays/prod/kustomization.yaml");
    const before = readFileSync(file, "utf8");
    const { root } = await render(FIXTURES, "overlays/prod");
    expect(readFileSync(file, "utf8")).toBe(before);
    const copy = readFileSync(join(root, "overlays/prod/kustomization.yaml"), "utf8");
    expect(copy).toBe(`${before}buildMetadata: [originAnnotations]\n`);
    expect(readFileSync(join(root, "base/kustomization.yaml"), "utf8")).toBe(readFileSync(join(FIXTURES, "base/kustomization.yaml"), "utf8"));
  });

  it("render the same from a tree whose copy was already rewritten (idempotent, concurrent renders)", async () => {
    const tree = await snapshot(FIXTURES);
    const [a, b] = await Promise.all([renderer.render(target("overlays/prod"), tree, LIMITS), renderer.render(target("overlays/prod"), tree, LIMITS)]);
    const again = await renderer.render(target("overlays/prod"), tree, LIMITS);
    if (a.status !== "ok" || b.status !== "ok" || again.status !== "ok") throw new Error("render failed");
    const view = (rs: Resource[]) => rs.map((r) => [key(r), r.source, r.body]);
    expect(view(b.resources)).toEqual(view(a.resources));
    expect(view(again.resources)).toEqual(view(a.resources));
    expect(readFileSync(join(tree.root, "overlays/prod/kustomization.yaml"), "utf8").match(/originAnnotations/g)).toHaveLength(1);
  });

  it("keep the annotation when the user's kustomization asks for it", async () => {
    const { resources } = await render(FIXTURES, "requested");
    expect(resources).toHaveLength(1);
    expect(resources[0]!.source).toEqual({ file: "requested/cm.yaml", line: 1 });
    expect((resources[0]!.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations[ORIGIN_ANNOTATION]).toBe("path: cm.yaml\n");
  });

  it("write nothing and still render when the kustomization is not on disk where expected", async () => {
    const empty = mkdtempSync(join(testScratchDir(), "empty-"));
    const outcome = await renderer.render(target("overlays/prod"), { ...dirTree(FIXTURES), root: empty }, LIMITS);
    // kustomize finds nothing there and says so; the rewrite failed quietly and left no file.
    expect(outcome.status).toBe("invalid");
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe("the demo's generated ConfigMaps", () => {
  it.each([
    ["base", "api-config-8f449m57m2"],
    ["head", "api-config-ghfh9mk6m8"],
  ])("keep their hash on the %s side and point at the base's generator", async (side, name) => {
    const { resources } = await render(resolve(ROOT, "fixtures/demo", side), "apps/api/overlays/prod");
    const configMap = resources.find((r) => r.kind === "ConfigMap")!;
    expect(configMap.name).toBe(name);
    expect(configMap.source).toEqual({ file: "apps/api/base/kustomization.yaml", line: 11 });
    expect(resources.find((r) => r.kind === "Deployment")!.source).toEqual({ file: "apps/api/base/deployment.yaml", line: 1 });
  });
});

describe("asking for origin annotations in a kustomization's text", () => {
  const added = (text: string) => {
    const r = requestOriginAnnotations(text);
    if (r.status !== "added") throw new Error(`not added: ${r.status}`);
    return r.text;
  };

  it("appends a line, so every line of the user's file keeps its number and spelling", () => {
    const text = "# comment\nresources:\n  - a.yaml\nreplicas:\n  - name: x\n    count: 0755\n";
    expect(added(text)).toBe(`${text}buildMetadata: [originAnnotations]\n`);
    expect(added("resources: [a.yaml]")).toBe("resources: [a.yaml]\nbuildMetadata: [originAnnotations]\n");
  });

  it("inserts at the start when the mapping is indented or in flow style", () => {
    expect(added("  resources:\n    - a.yaml\n")).toBe("  buildMetadata: [originAnnotations]\n  resources:\n    - a.yaml\n");
    expect(added("{resources: [a.yaml]}\n")).toBe("{buildMetadata: [originAnnotations], resources: [a.yaml]}\n");
  });

  it("extends an existing buildMetadata list", () => {
    expect(added("buildMetadata: [managedByLabel]\nresources: [a.yaml]\n")).toBe(
      "buildMetadata: [originAnnotations, managedByLabel]\nresources: [a.yaml]\n",
    );
    expect(added("buildMetadata:\n  - managedByLabel\n")).toBe("buildMetadata:\n  - originAnnotations\n  - managedByLabel\n");
    expect(added("buildMetadata: []\n")).toBe("buildMetadata: [originAnnotations]\n");
  });

  it("leaves alone what it cannot rewrite safely, and says when the user asked already", () => {
    expect(requestOriginAnnotations("buildMetadata: [originAnnotations]\n").status).toBe("present");
    expect(requestOriginAnnotations("").status).toBe("unsupported");
    expect(requestOriginAnnotations("a: 1\n---\nb: 2\n").status).toBe("unsupported");
    expect(requestOriginAnnotations("buildMetadata: managedByLabel\n").status).toBe("unsupported");
    expect(requestOriginAnnotations("- a\n").status).toBe("unsupported");
  });

  it("only for kustomize versions that know buildMetadata", () => {
    expect(supportsOriginAnnotations("v5.5.0")).toBe(true);
    expect(supportsOriginAnnotations("kustomize/v5.0.1")).toBe(true);
    expect(supportsOriginAnnotations("v4.5.7")).toBe(false);
    expect(supportsOriginAnnotations("v3.8.0")).toBe(false);
    expect(supportsOriginAnnotations(null)).toBe(false);
  });
});
