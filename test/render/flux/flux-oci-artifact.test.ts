/**
 * A Flux Kustomization whose source is an OCIRepository: an artifact as `flux push artifact`
 * makes it (a gzipped tarball of manifests, entries at its root, layer media type
 * application/vnd.cncf.flux.content.v1.tar+gzip), pulled from a registry on 127.0.0.1 the test
 * starts (allowed hosts only), extracted safely into a scratch folder and built at the
 * Kustomization's path: tag, semver and digest references, layerSelector, a registry that is
 * not allowed (no request), and links out of the artifact (dropped). Buckets stay unavailable.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { create as createTar } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderOutcome } from "../../../src/core/ports.js";
import { createFluxRenderer } from "../../../src/render/flux/renderer.js";
import { dirTree } from "../../helpers/dir-tree.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../../helpers/tool-options.js";
import { startOciRegistry, type Layer } from "./oci-artifact-registry.js";

const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const FLUX_LAYER = "application/vnd.cncf.flux.content.v1.tar+gzip";
const TARGET = { id: "flux:flux-system/apps", type: "flux" as const, path: "clusters/prod" };

function configMap(name: string, data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${data}"\n`;
}

/** A tarball of `files` with entries at its root (`./apps/…`), as `flux push artifact` builds it. */
async function artifact(files: Record<string, string>, links: Record<string, string> = {}): Promise<Buffer> {
  const dir = mkdtempSync(join(testScratchDir(), "artifact-src-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const [path, target] of Object.entries(links)) symlinkSync(target, join(dir, path));
  const chunks: Buffer[] = [];
  for await (const chunk of createTar({ gzip: true, cwd: dir, portable: true }, ["."])) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

let registry: Awaited<ReturnType<typeof startOciRegistry>>;
beforeAll(async () => {
  const layer = async (version: string, links?: Record<string, string>): Promise<Layer> => ({
    mediaType: FLUX_LAYER,
    data: await artifact({ "apps/prod/kustomization.yaml": "resources:\n  - app.yaml\n", "apps/prod/app.yaml": configMap("app", `${version} \${cluster}`), "README.md": "not a manifest" }, links),
  });
  registry = await startOciRegistry("fleet/manifests", {
    "1.0.0": [await layer("one")],
    "1.1.0": [{ mediaType: "application/vnd.example.readme", data: Buffer.from("not a tarball") }, await layer("one-one")],
    latest: [await layer("latest", { "apps/prod/escape.yaml": "/etc/passwd" })],
  });
});
afterAll(async () => {
  await registry.close();
  removeTestScratchDir();
});

function repoWith(source: string, kustomizationExtra = ""): string {
  const dir = mkdtempSync(join(testScratchDir(), "repo-"));
  mkdirSync(join(dir, "clusters/prod"), { recursive: true });
  writeFileSync(
    join(dir, "clusters/prod/apps.yaml"),
    `${source}---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps/prod\n  sourceRef:\n    kind: OCIRepository\n    name: manifests\n  postBuild:\n    substitute:\n      cluster: prod\n${kustomizationExtra}`,
  );
  return dir;
}

const ociRepository = (ref: string, extra = "") =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: manifests\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://${registry.host}/fleet/manifests\n${ref ? `  ref:\n    ${ref}\n` : ""}${extra}`;

async function render(dir: string, allowed = [registry.host]): Promise<{ out: RenderOutcome; files: string[] }> {
  const scratchDir = mkdtempSync(join(testScratchDir(), "scratch-"));
  const r = createFluxRenderer(testToolOptions({ scratchDir, gitops: { repositoryUrls: [], allowedHosts: allowed } }));
  const tree = dirTree(dir);
  const inputs = await r.inputs(TARGET, tree);
  expect(inputs.blocking).toEqual([]);
  return { out: await r.render(TARGET, tree, LIMITS), files: [...inputs.files] };
}

const value = (out: RenderOutcome) => {
  if (out.status !== "ok") throw new Error(JSON.stringify(out));
  return out.resources.filter((r) => r.kind === "ConfigMap").map((r) => `${r.name}=${(r.body as any).data.value}`);
};

describe("Flux Kustomizations of an OCIRepository artifact", () => {
  it("pulls the tag, extracts the flux content layer and builds the path, with substitution", async () => {
    const { out, files } = await render(repoWith(ociRepository("tag: 1.0.0")));
    expect(value(out)).toEqual(["app=one prod"]);
    expect(files).toEqual(["clusters/prod/apps.yaml"]);
  });

  it("resolves a semver range to the highest tag and picks the layer layerSelector names", async () => {
    const { out } = await render(repoWith(ociRepository('semver: ">=1.0.0 <2.0.0"', `  layerSelector:\n    mediaType: ${FLUX_LAYER}\n    operation: copy\n`)));
    expect(value(out)).toEqual(["app=one-one prod"]);
  });

  it("pins a digest, and takes the first layer when no layerSelector is given (a layer that is no tarball is reported)", async () => {
    expect(value((await render(repoWith(ociRepository(`digest: ${registry.digests["1.0.0"]}`)))).out)).toEqual(["app=one prod"]);
    const { out } = await render(repoWith(ociRepository("tag: 1.1.0")));
    expect(out.status === "invalid" && out.problems.map((p) => p.ruleId)).toEqual(["gitops/source-unavailable"]);
  });

  it("takes `latest` without a ref, and drops a link that leaves the artifact", async () => {
    const { out } = await render(repoWith(ociRepository("")));
    expect(value(out)).toEqual(["app=latest prod"]);
    expect(out.status === "ok" && out.warnings.some((w) => w.message.includes("escape.yaml"))).toBe(true);
  });

  it("sends nothing to a registry that is not allowed: the Kustomization is source-unavailable, naming the host", async () => {
    const before = registry.requests.length;
    const { out } = await render(repoWith(ociRepository("tag: 1.0.0")), ["ghcr.io"]);
    expect(out.status).toBe("invalid");
    expect(out.status === "invalid" && out.problems[0]!.ruleId).toBe("gitops/source-unavailable");
    expect(out.status === "invalid" && out.problems[0]!.message).toContain(registry.host);
    expect(registry.requests.length).toBe(before);
  });

  it("reports a Bucket source as unavailable, saying why", async () => {
    const dir = repoWith("");
    writeFileSync(join(dir, "clusters/prod/apps.yaml"), `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./\n  sourceRef:\n    kind: Bucket\n    name: artifacts\n`);
    const r = createFluxRenderer(testToolOptions());
    const inputs = await r.inputs(TARGET, dirTree(dir));
    expect(inputs.blocking.map((p) => p.message)).toEqual([expect.stringContaining("is a bucket")]);
  });
});
