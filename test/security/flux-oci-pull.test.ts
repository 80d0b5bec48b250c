/**
 * OCI charts are pulled in Node through the distribution API against a registry on 127.0.0.1
 * that the test runs (a chart packaged with the bundled helm, its manifest and layer as a
 * registry serves them, an anonymous Bearer token as ghcr.io hands out): tag, semver range and
 * digest references; a blob redirected to a host that is not allowed is refused and that host
 * gets no request; a manifest or layer that does not match its digest is refused.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderOutcome } from "../../src/core/ports.js";
import { createFluxRenderer } from "../../src/render/flux/renderer.js";
import { openDirectory } from "../../src/repo/dir-source.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { startChartRepo, startServer } from "../render/flux/chart-repo.js";
import { chartArtifacts } from "../render/flux/oci-registry.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/flux");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const TARGET = { id: "flux:podinfo/podinfo", type: "flux" as const, path: "apps/base/podinfo" };
const sha = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

type Server = Awaited<ReturnType<typeof startServer>>;
let registry: Server;
let other: Server;
const blobs = new Map<string, Buffer>();
const manifests = new Map<string, Buffer>();
let redirectBlobs = false;
let corruptLayer = false;

beforeAll(async () => {
  other = await startServer((_req, res) => res.writeHead(200).end("not a chart"));
  const charts = await startChartRepo(join(FIXTURE, "chart-src/podinfo"), ["6.7.0", "7.0.0"]);
  await charts.close();
  const packaged = chartArtifacts(charts.dir, "podinfo");
  for (const [k, v] of packaged.blobs) blobs.set(k, v);
  for (const [k, v] of packaged.manifests) manifests.set(k, v);
  registry = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://registry");
    if (url.pathname === "/token") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: "anonymous-pull-token" }));
    if (req.headers.authorization !== "Bearer anonymous-pull-token") {
      return void res.writeHead(401, { "www-authenticate": `Bearer realm="http://${registry.host}/token",service="${registry.host}",scope="repository:charts/podinfo:pull"` }).end();
    }
    const m = /^\/v2\/charts\/podinfo\/(tags\/list|manifests\/(.+)|blobs\/(.+))$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    if (m[1] === "tags/list") return void res.writeHead(200).end(JSON.stringify({ name: "charts/podinfo", tags: ["6.7.0", "7.0.0", "latest"] }));
    if (m[2] !== undefined) {
      const manifest = manifests.get(m[2]);
      return void (manifest ? res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json" }).end(manifest) : res.writeHead(404).end());
    }
    if (redirectBlobs) return void res.writeHead(307, { location: `http://${other.host}/blobs/${m[3]}` }).end();
    const blob = blobs.get(m[3]!);
    if (!blob) return void res.writeHead(404).end();
    res.writeHead(200).end(corruptLayer ? Buffer.concat([blob, Buffer.from("x")]) : blob);
  });
});
afterAll(async () => {
  await registry.close();
  await other.close();
  removeTestScratchDir();
});

const release = (ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 10m
  url: oci://${registry.host}/charts/podinfo
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    ${ref}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: podinfo
`;

async function render(ref: string, allowedHosts = [registry.host]): Promise<RenderOutcome> {
  const dir = mkdtempSync(join(testScratchDir(), "repo-"));
  cpSync(join(FIXTURE, "base"), dir, { recursive: true });
  writeFileSync(join(dir, "apps/base/podinfo/release.yaml"), release(ref));
  const tree = await openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
  const scratchDir = mkdtempSync(join(testScratchDir(), "scratch-"));
  return createFluxRenderer(testToolOptions({ scratchDir, gitops: { repositoryUrls: [], allowedHosts, chartCacheDir: join(scratchDir, "cache") } })).render(TARGET, tree, LIMITS);
}

const tag = (out: RenderOutcome) => {
  if (out.status !== "ok") throw new Error(JSON.stringify(out));
  return (out.resources[0]!.body as any).spec.template.spec.containers[0].image as string;
};
const why = (out: RenderOutcome) => (out.status === "invalid" ? out.problems.map((p) => `${p.ruleId}: ${p.message}`) : [`rendered: ${out.status}`]);

describe("OCI chart pulls", () => {
  it("pull by tag, by semver range (highest tag) and by digest, with an anonymous token", async () => {
    const before = registry.requests.length;
    // The chart's own default image tag is its appVersion 6.7.0 whatever the chart version: compare requests instead.
    expect(tag(await render('tag: "7.0.0"'))).toContain("podinfo:");
    expect(registry.requests.slice(before)).toContain("/v2/charts/podinfo/manifests/7.0.0");
    expect(registry.requests).toContain("/token?service=" + encodeURIComponent(registry.host) + "&scope=repository%3Acharts%2Fpodinfo%3Apull");
    const ranged = registry.requests.length;
    expect((await render('semver: "6.x"')).status).toBe("ok");
    expect(registry.requests.slice(ranged)).toContain("/v2/charts/podinfo/manifests/6.7.0");
    const digest = sha(manifests.get("6.7.0")!);
    expect((await render(`digest: "${digest}"`)).status).toBe("ok");
    expect(registry.requests).toContain(`/v2/charts/podinfo/manifests/${digest}`);
  });

  it("refuses a blob redirected to a host that is not allowed, without contacting it", async () => {
    redirectBlobs = true;
    try {
      expect(why(await render('tag: "7.0.0"'))).toEqual([expect.stringContaining(`a redirect leads to http://${other.host}/blobs/`)]);
      expect(other.requests).toEqual([]);
    } finally {
      redirectBlobs = false;
    }
  });

  it("refuses a manifest that is not the pinned digest and a layer that is not its digest", async () => {
    expect(why(await render(`digest: "sha256:${"0".repeat(64)}"`))).toEqual([expect.stringContaining("the chart's manifest is not available")]);
    corruptLayer = true;
    try {
      expect(why(await render('tag: "6.7.0"'))).toEqual([expect.stringContaining("the chart layer of")]);
    } finally {
      corruptLayer = false;
    }
  });

  it("contacts nothing on a host gitops.allowedHosts does not list", async () => {
    const before = registry.requests.length;
    expect(why(await render('tag: "7.0.0"', ["charts.example.com"]))).toEqual([expect.stringContaining(`host ${registry.host} is not in gitops.allowedHosts`)]);
    expect(registry.requests.length).toBe(before);
  });
});
