/**
 * A chart repository on 127.0.0.1 for the Flux tests: charts packaged with the bundled helm
 * (`helm package`, `helm repo index`), served by a server the test starts. `archiveBase` makes
 * the index point the downloads elsewhere (another server), as a hostile index would.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { testScratchDir, TOOLS_DIR } from "../../helpers/tool-options.js";

export const HELM = join(TOOLS_DIR, "helm");

export interface ChartRepo {
  host: string;
  url: string;
  requests: string[];
  dir: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A server that records every request; `handler` may answer first (a redirect, a large body). */
export async function startServer(serve: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ host: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    serve(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * `helm package` stamps the archive with the time, so two packagings a second apart differ and
 * an index pointing its downloads at another test server would fail its digest check only when
 * the clock ticked between them. Each chart version is packaged once per test file and copied.
 */
const packaged = new Map<string, string>();
function packageOnce(chartSrc: string, version: string, env: NodeJS.ProcessEnv): string {
  const key = `${chartSrc}\0${version}`;
  const known = packaged.get(key);
  if (known && existsSync(known)) return known;
  const out = mkdtempSync(join(testScratchDir(), "chart-package-"));
  execFileSync(HELM, ["package", `--version=${version}`, `--destination=${out}`, "--", chartSrc], { env });
  const archive = join(out, readdirSync(out).find((f) => f.endsWith(".tgz")) ?? "");
  packaged.set(key, archive);
  return archive;
}

export async function startChartRepo(chartSrc: string, versions: string[], options: { archiveBase?: (host: string) => string; handler?: Handler } = {}): Promise<ChartRepo> {
  const dir = mkdtempSync(join(testScratchDir(), "chart-repo-"));
  const env = { HOME: dir, HELM_CACHE_HOME: join(dir, ".c"), HELM_CONFIG_HOME: join(dir, ".f"), HELM_DATA_HOME: join(dir, ".d"), PATH: "" };
  for (const version of versions) {
    const archive = packageOnce(chartSrc, version, env);
    copyFileSync(archive, join(dir, archive.slice(archive.lastIndexOf("/") + 1)));
  }
  const server = await startServer((req, res) => {
    if (options.handler?.(req, res)) return;
    const name = (req.url ?? "").replace(/^\/charts\//, "");
    if (!/^[a-z0-9.-]+\.(tgz|yaml)$/.test(name) || !readdirSync(dir).includes(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(readFileSync(join(dir, name)));
  });
  const base = options.archiveBase?.(server.host) ?? `http://${server.host}/charts`;
  execFileSync(HELM, ["repo", "index", `--url=${base}`, "--", dir], { env });
  return { ...server, url: `http://${server.host}/charts`, dir };
}
