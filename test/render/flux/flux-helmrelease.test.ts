/**
 * HelmReleases from a HelmRepository, against a chart repository the test serves on 127.0.0.1:
 * the chart is packaged with the bundled helm (`helm package`, `helm repo index`), the fixture's
 * HelmRepository URL is rewritten to the server. No test needs the internet.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFluxRenderer } from "../../../src/render/flux/renderer.js";
import { openDirectory } from "../../../src/repo/dir-source.js";
import { removeTestScratchDir, testScratchDir, testToolOptions, TOOLS_DIR } from "../../helpers/tool-options.js";

const FIXTURE = resolve(import.meta.dirname, "../../../fixtures/gitops/flux");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const HELM = join(TOOLS_DIR, "helm");
const TARGET = { id: "flux:podinfo/podinfo", type: "flux" as const, path: "apps/base/podinfo" };

let server: Server;
let host: string;
const requests: string[] = [];

beforeAll(async () => {
  const charts = mkdtempSync(join(testScratchDir(), "chart-repo-"));
  const env = { HOME: charts, HELM_CACHE_HOME: join(charts, ".c"), HELM_CONFIG_HOME: join(charts, ".f"), HELM_DATA_HOME: join(charts, ".d"), PATH: "" };
  for (const version of ["6.7.0", "7.0.0"]) {
    execFileSync(HELM, ["package", `--version=${version}`, `--destination=${charts}`, "--", join(FIXTURE, "chart-src/podinfo")], { env });
  }
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const name = (req.url ?? "").replace(/^\/charts\//, "");
    if (!/^[a-z0-9.-]+\.(tgz|yaml)$/.test(name) || !readdirSync(charts).includes(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(readFileSync(join(charts, name)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  execFileSync(HELM, ["repo", "index", `--url=http://${host}/charts`, "--", charts], { env });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  removeTestScratchDir();
});

/** The fixture side with its HelmRepository pointing at the loopback chart repository. */
async function snapshot(side: "base" | "head", url = `http://${host}/charts`) {
  const dir = mkdtempSync(join(testScratchDir(), `repo-${side}-`));
  cpSync(join(FIXTURE, side), dir, { recursive: true });
  const file = join(dir, "apps/base/podinfo/repository.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("https://stefanprodan.github.io/podinfo", url));
  return openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
}

function renderer(allowedHosts: string[]) {
  const scratchDir = mkdtempSync(join(testScratchDir(), "scratch-"));
  mkdirSync(scratchDir, { recursive: true });
  return createFluxRenderer(testToolOptions({ scratchDir, gitops: { repositoryUrls: [], allowedHosts, chartCacheDir: join(scratchDir, "cache") } }));
}

describe("Flux HelmRelease from an HTTP HelmRepository", () => {
  it("is discovered as flux:<namespace>/<name> with its release file, repository and values sources as inputs", async () => {
    const tree = await snapshot("base");
    const r = renderer([host]);
    const ids = (await r.discover(tree, { isOwned: () => false })).map((t) => t.id);
    expect(ids).toContain("flux:podinfo/podinfo");
    const inputs = await r.inputs(TARGET, tree);
    expect([...inputs.files].sort()).toEqual(["apps/base/podinfo/release.yaml", "apps/base/podinfo/repository.yaml", "apps/base/podinfo/values.yaml"]);
  });

  it("pulls the chart from an allowed host and renders it with valuesFrom, values, releaseName and postRenderers", async () => {
    const out = await renderer([host]).render(TARGET, await snapshot("base"), LIMITS);
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    expect(out.resources.map((r) => `${r.kind}/${r.namespace}/${r.name}`)).toEqual(["Deployment/podinfo/podinfo"]);
    const body = out.resources[0]!.body as any;
    // valuesFrom's replicaCount 5 is overridden by spec.values' 2; targetPath sets ui.message.
    expect(body.spec.replicas).toBe(2);
    expect(body.spec.template.spec.containers[0].env).toEqual([{ name: "PODINFO_UI_MESSAGE", value: "hello from valuesFrom" }]);
    expect(body.metadata.annotations).toEqual({ "example.com/post-rendered": "true" });
    expect(requests.some((u) => u.endsWith("podinfo-6.7.0.tgz"))).toBe(true);
  });

  it("renders the head's chart version (7.0.0)", async () => {
    const out = await renderer([host]).render(TARGET, await snapshot("head"), LIMITS);
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    expect((out.resources[0]!.body as any).spec.replicas).toBe(3);
    expect(requests.some((u) => u.endsWith("podinfo-7.0.0.tgz"))).toBe(true);
  });

  it("pulls nothing from a host gitops.allowedHosts does not list: gitops/source-unavailable, not a crash", async () => {
    const before = requests.length;
    const out = await renderer(["charts.example.com"]).render(TARGET, await snapshot("base"), LIMITS);
    expect(out.status).toBe("invalid");
    if (out.status !== "invalid") return;
    expect(out.problems.map((p) => p.ruleId)).toEqual(["gitops/source-unavailable"]);
    expect(out.problems[0]!.message).toContain(`host ${host} is not in gitops.allowedHosts`);
    expect(requests.length).toBe(before);
  });

  it("reports an allowed but unreachable repository as gitops/source-unavailable", async () => {
    const out = await renderer(["127.0.0.1:9"]).render(TARGET, await snapshot("base", "http://127.0.0.1:9/charts"), LIMITS);
    expect(out.status).toBe("invalid");
    if (out.status !== "invalid") return;
    expect(out.problems.map((p) => p.ruleId)).toEqual(["gitops/source-unavailable"]);
    expect(out.problems[0]!.message).toContain("the chart repository index is not available: http://127.0.0.1:9/charts/index.yaml");
  });

  it("serves an exact version from the content-addressed cache without pulling again", async () => {
    const r = renderer([host]);
    const tree = await snapshot("base");
    expect((await r.render(TARGET, tree, LIMITS)).status).toBe("ok");
    const pulls = requests.length;
    expect((await r.render(TARGET, tree, LIMITS)).status).toBe("ok");
    expect(requests.length).toBe(pulls);
  });
});
