/**
 * A chart repository on an allowed host cannot send the download elsewhere: the index's archive
 * URL, and every redirect, is checked against gitops.allowedHosts before any request is made;
 * the archive must have the index's digest and stay within the size bound; helm never fetches.
 * Two loopback servers: A (allowed) serves the index, B (not allowed) must see no request.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderOutcome } from "../../src/core/ports.js";
import { createFluxRenderer } from "../../src/render/flux/renderer.js";
import { openDirectory } from "../../src/repo/dir-source.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { startChartRepo, startServer, type ChartRepo } from "../render/flux/chart-repo.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/flux");
const CHART = join(FIXTURE, "chart-src/podinfo");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const TARGET = { id: "flux:podinfo/podinfo", type: "flux" as const, path: "apps/base/podinfo" };

let other: Awaited<ReturnType<typeof startServer>>;
const servers: ChartRepo[] = [];
beforeAll(async () => {
  // B: would serve anything; it must never be asked.
  other = await startServer((_req, res) => res.writeHead(200).end("not a chart"));
});
afterAll(async () => {
  await other.close();
  for (const s of servers) await s.close();
  removeTestScratchDir();
});

async function repoWith(options: Parameters<typeof startChartRepo>[2]) {
  const repo = await startChartRepo(CHART, ["6.7.0"], options);
  servers.push(repo);
  return repo;
}

async function render(repoUrl: string, allowedHosts: string[]): Promise<RenderOutcome> {
  const dir = mkdtempSync(join(testScratchDir(), "repo-"));
  cpSync(join(FIXTURE, "base"), dir, { recursive: true });
  const file = join(dir, "apps/base/podinfo/repository.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("https://stefanprodan.github.io/podinfo", repoUrl));
  const tree = await openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
  const scratchDir = mkdtempSync(join(testScratchDir(), "scratch-"));
  const r = createFluxRenderer(testToolOptions({ scratchDir, gitops: { repositoryUrls: [], allowedHosts, chartCacheDir: join(scratchDir, "cache") } }));
  return r.render(TARGET, tree, LIMITS);
}

function problems(out: RenderOutcome): string[] {
  return out.status === "invalid" ? out.problems.map((p) => `${p.ruleId}: ${p.message}`) : [`rendered: ${out.status}`];
}

describe("chart downloads stay on allowed hosts", () => {
  it("refuses an index entry whose archive URL is on a host that is not allowed, without contacting it", async () => {
    const a = await repoWith({ archiveBase: () => `http://${other.host}/charts` });
    const out = await render(a.url, [a.host]);
    expect(problems(out)).toEqual([expect.stringMatching(new RegExp(`^gitops/source-unavailable: .*host ${other.host} is not in gitops.allowedHosts`))]);
    expect(a.requests).toEqual(["/charts/index.yaml"]);
    expect(other.requests).toEqual([]);
  });

  it("refuses a redirect of the index or of the archive to a host that is not allowed", async () => {
    const redirect = (path: string) => (req: { url?: string }, res: { writeHead(s: number, h: Record<string, string>): { end(): void } }) => {
      if (req.url !== path) return false;
      res.writeHead(302, { location: `http://${other.host}${path}` }).end();
      return true;
    };
    const a = await repoWith({ handler: redirect("/charts/index.yaml") as never });
    expect(problems(await render(a.url, [a.host]))).toEqual([expect.stringContaining(`a redirect leads to http://${other.host}/charts/index.yaml: host ${other.host} is not in gitops.allowedHosts`)]);
    const b = await repoWith({ handler: redirect("/charts/podinfo-6.7.0.tgz") as never });
    expect(problems(await render(b.url, [b.host]))).toEqual([expect.stringContaining(`a redirect leads to http://${other.host}/charts/podinfo-6.7.0.tgz`)]);
    expect(other.requests).toEqual([]);
  });

  it("follows a redirect to an allowed host", async () => {
    const target = await repoWith({});
    const a = await repoWith({
      handler: ((req: { url?: string }, res: { writeHead(s: number, h: Record<string, string>): { end(): void } }) => {
        if (req.url !== "/charts/index.yaml") return false;
        res.writeHead(301, { location: `http://${target.host}/charts/index.yaml` }).end();
        return true;
      }) as never,
    });
    const out = await render(a.url, [a.host, target.host]);
    expect(out.status).toBe("ok");
    expect(target.requests).toEqual(["/charts/index.yaml", "/charts/podinfo-6.7.0.tgz"]);
  });

  it("refuses an archive whose SHA-256 is not the index's digest", async () => {
    const a = await repoWith({});
    const index = join(a.dir, "index.yaml");
    writeFileSync(index, readFileSync(index, "utf8").replace(/digest: [0-9a-f]{64}/, `digest: ${"f".repeat(64)}`));
    expect(problems(await render(a.url, [a.host]))).toEqual([expect.stringContaining("the archive's SHA-256 is not the digest in the index")]);
  });

  it("stops reading an archive larger than the bound (20 MiB) instead of buffering it", async () => {
    const a = await repoWith({
      handler: ((req: { url?: string }, res: { writeHead(s: number): unknown; write(b: Buffer): boolean; end(): void }) => {
        if (req.url !== "/charts/podinfo-6.7.0.tgz") return false;
        res.writeHead(200);
        const chunk = Buffer.alloc(1024 * 1024);
        for (let i = 0; i < 21; i++) res.write(chunk);
        res.end();
        return true;
      }) as never,
    });
    expect(problems(await render(a.url, [a.host]))).toEqual([expect.stringContaining(`larger than ${20 * 1024 * 1024} bytes`)]);
  });
});
