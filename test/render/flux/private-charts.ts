/**
 * Private chart repositories for the credential tests: a chart repository on 127.0.0.1 (the
 * bundled helm's package and index) that answers only requests with the right Basic
 * credentials, recording the Authorization header of each; and the Flux fixture rendered
 * against it with the operator's credentials given to the renderer.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RenderOutcome } from "../../../src/core/ports.js";
import { parseChartCredentials, type ChartCredentials } from "../../../src/render/chart-credentials.js";
import { createFluxRenderer } from "../../../src/render/flux/renderer.js";
import { openDirectory } from "../../../src/repo/dir-source.js";
import { testScratchDir, testToolOptions } from "../../helpers/tool-options.js";
import { startChartRepo, type ChartRepo } from "./chart-repo.js";

export const FLUX_FIXTURE = resolve(import.meta.dirname, "../../../fixtures/gitops/flux");
export const PODINFO_CHART = join(FLUX_FIXTURE, "chart-src/podinfo");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const TARGET = { id: "flux:podinfo/podinfo", type: "flux" as const, path: "apps/base/podinfo" };

export interface PrivateRepo extends ChartRepo {
  /** Each request's path and the Authorization header it carried (none: undefined). */
  seen: { url: string; authorization?: string }[];
}

/** `basic` absent: a public repository (that records headers all the same). */
export async function startPrivateRepo(basic: { username: string; password: string } | undefined, options: { archiveBase?: (host: string) => string; redirectIndexTo?: () => string } = {}): Promise<PrivateRepo> {
  const seen: PrivateRepo["seen"] = [];
  const expected = basic ? `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString("base64")}` : undefined;
  const repo = await startChartRepo(PODINFO_CHART, ["6.7.0"], {
    ...(options.archiveBase ? { archiveBase: options.archiveBase } : {}),
    handler: (req, res) => {
      seen.push({ url: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      if (expected && req.headers.authorization !== expected) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="charts"' }).end();
        return true;
      }
      if (options.redirectIndexTo && req.url === "/charts/index.yaml") {
        res.writeHead(302, { location: options.redirectIndexTo() }).end();
        return true;
      }
      return false;
    },
  });
  return Object.assign(repo, { seen });
}

export function credentials(json: Record<string, unknown>): ChartCredentials {
  const got = parseChartCredentials(JSON.stringify(json), "test");
  if (!got.ok) throw new Error(got.error);
  return got.credentials;
}

/** The HelmRepository of the fixture's podinfo release, written by the test (its URL, secretRef, passCredentials). */
export function helmRepository(url: string, extra: { secretRef?: boolean; passCredentials?: boolean; oci?: boolean } = {}): string {
  return [
    "apiVersion: source.toolkit.fluxcd.io/v1",
    "kind: HelmRepository",
    "metadata:",
    "  name: podinfo",
    "  namespace: podinfo",
    "spec:",
    "  interval: 5m",
    `  url: ${url}`,
    ...(extra.oci ? ["  type: oci"] : []),
    ...(extra.secretRef === false ? [] : ["  secretRef:", "    name: podinfo-auth"]),
    ...(extra.passCredentials ? ["  passCredentials: true"] : []),
    "",
  ].join("\n");
}

export async function renderFluxRelease(repositoryYaml: string, allowedHosts: string[], creds?: ChartCredentials): Promise<RenderOutcome> {
  const dir = mkdtempSync(join(testScratchDir(), "repo-"));
  cpSync(join(FLUX_FIXTURE, "base"), dir, { recursive: true });
  writeFileSync(join(dir, "apps/base/podinfo/repository.yaml"), repositoryYaml);
  const tree = await openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
  const scratchDir = mkdtempSync(join(testScratchDir(), "scratch-"));
  const gitops = { repositoryUrls: [], allowedHosts, chartCacheDir: join(scratchDir, "cache"), ...(creds ? { credentials: creds } : {}) };
  return createFluxRenderer(testToolOptions({ scratchDir, gitops })).render(TARGET, tree, LIMITS);
}

export function problems(out: RenderOutcome): string[] {
  return out.status === "invalid" ? out.problems.map((p) => `${p.ruleId}: ${p.message}`) : [`rendered: ${out.status}`];
}
