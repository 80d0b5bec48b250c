/**
 * A Helm chart from an OCI registry, pulled in Node with the distribution API, so that every
 * request's host is checked like an HTTP repository's (bounded-fetch.ts): the manifest (by tag, by
 * a tag resolved from a semver range, or by digest), the token endpoint a 401 names (anonymous;
 * no credentials), and the chart layer's blob, whose redirect to a blob store must be allowed too.
 * The manifest is checked against a pinned digest and the layer against its own digest:
 * content-addressed end to end. https, except on the loopback interface (as Docker does).
 */
import { createHash } from "node:crypto";
import { boundedGet, isLoopback, type FetchBounds, type Fetched } from "./bounded-fetch.js";
import { highestMatch } from "./semver.js";

const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
const EXACT_TAG = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface OciChartRequest {
  /** `oci://host[:port]/path` (the chart's repository is path/chart). */
  repoUrl: string;
  chart: string;
  version?: string;
  digest?: string;
  /** A tag as written (Flux's `ref.tag`, `latest` by default), not resolved as a version. */
  tag?: string;
  /** Another artifact than a chart (a Flux OCIRepository's): the first layer of this media type, or the first layer when none is given. */
  layer?: { mediaType?: string };
}

type Bounds = Omit<FetchBounds, "maxBytes" | "headers">;

export async function pullOciChart(req: OciChartRequest, allowedHosts: readonly string[], bounds: Bounds, maxBytes: number): Promise<{ ok: true; data: Buffer } | { ok: false; why: string }> {
  const url = new URL(req.repoUrl);
  const scheme = isLoopback(url.hostname) ? "http" : "https";
  const repository = `${url.pathname.replace(/^\/+|\/+$/g, "")}/${req.chart}`.replace(/^\//, "");
  const api = `${scheme}://${url.host}/v2/${repository}`;
  let token: string | undefined;
  /** One GET; on a 401 with a Bearer challenge, an anonymous token from its realm (an allowed host), then once more. */
  const get = async (path: string, accept: string, max: number): Promise<Fetched> => {
    const attempt = () => boundedGet(`${api}${path}`, allowedHosts, { ...bounds, maxBytes: max, headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    const first = await attempt();
    if (first.ok || first.status !== 401 || token !== undefined || !first.challenge) return first;
    const got = await fetchToken(first.challenge, repository, allowedHosts, bounds);
    if (!got.ok) return got;
    token = got.token;
    return attempt();
  };
  let reference = req.digest;
  if (reference !== undefined && !DIGEST.test(reference)) return { ok: false, why: `digest ${JSON.stringify(reference.slice(0, 80))} is not sha256:<64 hex>` };
  if (reference === undefined && req.tag !== undefined) {
    // The distribution spec's tag grammar: nothing else reaches the URL path.
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(req.tag)) return { ok: false, why: `tag ${JSON.stringify(req.tag.slice(0, 80))} is not a valid OCI tag` };
    reference = req.tag;
  }
  if (reference === undefined && req.version !== undefined && EXACT_TAG.test(req.version)) reference = req.version.replace(/\+/g, "_");
  if (reference === undefined) {
    const tags = await get("/tags/list?n=10000", "application/json", 8 * 1024 * 1024);
    if (!tags.ok) return { ok: false, why: `the registry's tag list is not available: ${tags.why}` };
    const list = parseJson(tags.body)?.tags;
    // Helm writes `+` in versions as `_` in tags.
    const versions = Array.isArray(list) ? list.filter((t): t is string => typeof t === "string").map((t) => t.replace(/_/g, "+")) : [];
    const best = highestMatch(versions, req.version ?? "*");
    if (best === undefined) return { ok: false, why: `no tag of ${url.host}/${repository} matches ${JSON.stringify((req.version ?? "*").slice(0, 80))}` };
    reference = best.replace(/\+/g, "_");
  }
  const manifest = await get(`/manifests/${reference}`, MANIFEST_TYPES, 4 * 1024 * 1024);
  if (!manifest.ok) return { ok: false, why: `the chart's manifest is not available: ${manifest.why}` };
  if (req.digest !== undefined && `sha256:${sha256(manifest.body)}` !== req.digest) return { ok: false, why: `the manifest of ${url.host}/${repository} does not have digest ${req.digest}` };
  const layers = parseJson(manifest.body)?.layers;
  const wantedType = req.layer ? req.layer.mediaType : HELM_CHART_LAYER;
  const layer = Array.isArray(layers) ? layers.find((l) => l !== null && typeof l === "object" && (wantedType === undefined || (l as Record<string, unknown>).mediaType === wantedType)) as Record<string, unknown> | undefined : undefined;
  const layerDigest = typeof layer?.digest === "string" && DIGEST.test(layer.digest) ? layer.digest : undefined;
  if (!layerDigest) return { ok: false, why: `${url.host}/${repository}:${reference} holds no ${req.layer ? `layer${wantedType ? ` of media type ${wantedType}` : ""}` : "Helm chart layer"}` };
  const blob = await get(`/blobs/${layerDigest}`, "*/*", maxBytes);
  if (!blob.ok) return { ok: false, why: `the chart layer could not be downloaded: ${blob.why}` };
  if (`sha256:${sha256(blob.body)}` !== layerDigest) return { ok: false, why: `the chart layer of ${url.host}/${repository} does not have its digest` };
  return { ok: true, data: blob.body };
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:x:pull"` → an anonymous pull token. */
async function fetchToken(challenge: string, repository: string, allowedHosts: readonly string[], bounds: Bounds): Promise<{ ok: true; token: string } | { ok: false; why: string }> {
  if (!/^Bearer\s/i.test(challenge)) return { ok: false, why: "the registry asks for credentials; only public charts are pulled" };
  const params = new Map([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
  const realm = params.get("realm");
  if (!realm) return { ok: false, why: "the registry's challenge names no token realm" };
  let tokenUrl: URL;
  try {
    tokenUrl = new URL(realm);
  } catch {
    return { ok: false, why: "the registry's token realm is not a URL" };
  }
  if (params.has("service")) tokenUrl.searchParams.set("service", params.get("service")!);
  tokenUrl.searchParams.set("scope", params.get("scope") ?? `repository:${repository}:pull`);
  const got = await boundedGet(tokenUrl.toString(), allowedHosts, { ...bounds, maxBytes: 1024 * 1024, headers: { accept: "application/json" } });
  if (!got.ok) return { ok: false, why: `no anonymous token from the registry: ${got.why}` };
  const body = parseJson(got.body);
  const token = typeof body?.token === "string" ? body.token : typeof body?.access_token === "string" ? body.access_token : undefined;
  return token ? { ok: true, token } : { ok: false, why: "the registry's token answer holds no token" };
}

function parseJson(data: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(data.toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
