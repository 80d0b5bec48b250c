/**
 * A Helm chart OCI registry on 127.0.0.1 for the credential tests: charts packaged with the
 * bundled helm, served through the distribution API (tags, manifests, blobs) behind Docker's
 * token flow. The registry wants `Bearer <token>`; its token realm (on the registry's own server,
 * or on another loopback server with `realmElsewhere`) hands the token out only for the right
 * Basic credentials (or to anyone when `basic` is absent); with `basicOnly` the registry asks for
 * the Basic credentials itself. Every request is recorded with the
 * Authorization header it carried.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startChartRepo } from "./chart-repo.js";

export interface Seen {
  server: "registry" | "realm";
  url: string;
  authorization?: string;
}

export interface OciRegistry {
  /** 127.0.0.1:<port> of the registry. */
  host: string;
  /** 127.0.0.1:<port> of the token realm (the registry's own unless `realmElsewhere`). */
  realmHost: string;
  seen: Seen[];
  /** The manifest digest of each version. */
  digests: Map<string, string>;
  /** Answer blob requests with a redirect to this URL base (another server) instead. */
  redirectBlobsTo?: string;
  close(): Promise<void>;
}

export interface RegistryOptions {
  /** The repository path below the host (`charts` → oci://host/charts/<chart>). */
  path?: string;
  /** The credentials the realm wants; absent: an anonymous token for anyone. */
  basic?: { username: string; password: string };
  /** The token the realm issues and the registry wants. */
  token: string;
  realmElsewhere?: boolean;
  /** No token flow: the registry itself asks for Basic credentials (a `registry:2` with htpasswd). */
  basicOnly?: boolean;
}

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export async function startOciRegistry(chartSrc: string, chart: string, versions: string[], options: RegistryOptions): Promise<OciRegistry> {
  const path = options.path ?? "charts";
  const packaged = await startChartRepo(chartSrc, versions);
  await packaged.close();
  const { blobs, manifests, digests } = chartArtifacts(packaged.dir, chart);
  const seen: Seen[] = [];
  const expectedBasic = options.basic ? `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString("base64")}` : undefined;
  const realm = (req: IncomingMessage, res: ServerResponse) => {
    if (expectedBasic && req.headers.authorization !== expectedBasic) return void res.writeHead(401, { "www-authenticate": 'Basic realm="token"' }).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: options.token }));
  };
  const registry: OciRegistry = { host: "", realmHost: "", seen, digests, close: async () => undefined };
  const repository = `${path}/${chart}`;
  const serveRegistry = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://registry");
    if (!options.realmElsewhere && url.pathname === "/token") return realm(req, res);
    if (options.basicOnly && req.headers.authorization !== expectedBasic) return void res.writeHead(401, { "www-authenticate": 'Basic realm="registry"' }).end();
    if (!options.basicOnly && req.headers.authorization !== `Bearer ${options.token}`) {
      return void res.writeHead(401, { "www-authenticate": `Bearer realm="http://${registry.realmHost}/token",service="${registry.host}",scope="repository:${repository}:pull"` }).end();
    }
    const prefix = `/v2/${repository}/`;
    if (!url.pathname.startsWith(prefix)) return void res.writeHead(404).end();
    const rest = url.pathname.slice(prefix.length);
    if (rest === "tags/list") return void res.writeHead(200).end(JSON.stringify({ name: repository, tags: versions }));
    if (rest.startsWith("manifests/")) {
      const manifest = manifests.get(rest.slice("manifests/".length));
      return void (manifest ? res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json" }).end(manifest) : res.writeHead(404).end());
    }
    if (rest.startsWith("blobs/")) {
      const digest = rest.slice("blobs/".length);
      if (registry.redirectBlobsTo) return void res.writeHead(307, { location: `${registry.redirectBlobsTo}/${digest}` }).end();
      const blob = blobs.get(digest);
      return void (blob ? res.writeHead(200).end(blob) : res.writeHead(404).end());
    }
    res.writeHead(404).end();
  };
  const main = await listen("registry", serveRegistry, seen);
  const other = options.realmElsewhere ? await listen("realm", realm, seen) : undefined;
  registry.host = main.host;
  registry.realmHost = other?.host ?? main.host;
  registry.close = async () => {
    await main.close();
    await other?.close();
  };
  return registry;
}

/** A loopback server that records each request with its Authorization header. */
export async function listen(name: Seen["server"], serve: (req: IncomingMessage, res: ServerResponse) => void, seen: Seen[]): Promise<{ host: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    seen.push({ server: name, url: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    serve(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Helm charts packaged in `dir` (`<chart>-<version>.tgz`) as a registry stores them: the chart
 * layer and config blobs, each version's manifest by tag and by digest, and the digests by version.
 */
export function chartArtifacts(dir: string, chart: string): { blobs: Map<string, Buffer>; manifests: Map<string, Buffer>; digests: Map<string, string> } {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Buffer>();
  const digests = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".tgz"))) {
    const version = new RegExp(`^${chart}-(.*)\\.tgz$`).exec(file)![1]!;
    const layer = readFileSync(join(dir, file));
    const config = Buffer.from(JSON.stringify({ name: chart, version, apiVersion: "v2" }));
    blobs.set(sha(layer), layer);
    blobs.set(sha(config), config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: "application/vnd.cncf.helm.config.v1+json", digest: sha(config), size: config.length },
        layers: [{ mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", digest: sha(layer), size: layer.length }],
      }),
    );
    manifests.set(version, manifest);
    manifests.set(sha(manifest), manifest);
    digests.set(version, sha(manifest));
  }
  return { blobs, manifests, digests };
}
