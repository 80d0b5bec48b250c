/**
 * An OCI registry on 127.0.0.1 for the tests: one repository, artifacts by tag, each a manifest
 * of layers (any media type) served by the distribution API (tags list, manifests by tag or
 * digest, blobs by digest), anonymous. Records every request.
 */
import { createHash } from "node:crypto";
import { startServer } from "./chart-repo.js";

export const sha256 = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export interface Layer {
  mediaType: string;
  data: Buffer;
}

export async function startOciRegistry(repository: string, artifacts: Record<string, Layer[]>) {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Buffer>();
  const digests: Record<string, string> = {};
  const config = Buffer.from("{}");
  blobs.set(sha256(config), config);
  for (const [tag, layers] of Object.entries(artifacts)) {
    for (const l of layers) blobs.set(sha256(l.data), l.data);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        artifactType: "application/vnd.cncf.flux.config.v1+json",
        config: { mediaType: "application/vnd.cncf.flux.config.v1+json", digest: sha256(config), size: config.length },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: sha256(l.data), size: l.data.length })),
      }),
    );
    manifests.set(tag, manifest);
    manifests.set(sha256(manifest), manifest);
    digests[tag] = sha256(manifest);
  }
  const server = await startServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://registry").pathname;
    const prefix = `/v2/${repository}/`;
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    const rest = path.slice(prefix.length);
    if (rest === "tags/list") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: repository, tags: Object.keys(artifacts) }));
    const manifest = rest.startsWith("manifests/") ? manifests.get(rest.slice("manifests/".length)) : undefined;
    if (manifest) return void res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json" }).end(manifest);
    const blob = rest.startsWith("blobs/") ? blobs.get(rest.slice("blobs/".length)) : undefined;
    if (blob) return void res.writeHead(200).end(blob);
    res.writeHead(404).end();
  });
  return { ...server, digests };
}
