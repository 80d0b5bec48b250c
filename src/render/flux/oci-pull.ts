/**
 * A Helm chart from an OCI registry, pulled in Node with the distribution API, so that every
 * request's host is checked like an HTTP repository's (bounded-fetch.ts): the manifest (by tag, by
 * a tag resolved from a semver range, or by digest), the token endpoint a 401 names, and the
 * chart layer's blob, whose redirect to a blob store must be allowed too. With the operator's
 * credentials (chart-credentials.ts): a token keyed for the registry is sent to it as Bearer; a
 * user and password keyed for it answer a Basic challenge, or go to a token realm on the
 * registry's own host; the token the realm returns goes to the registry only.
 * The manifest is checked against a pinned digest and the layer against its own digest:
 * content-addressed end to end. https, except on the loopback interface (as Docker does).
 */
import { createHash } from "node:crypto";
import { authorizationOf, credentialFor, hostKey, refusedWhy, type PullAuth } from "../chart-credentials.js";
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

/** `auth`: the operator's credentials (chart-credentials.ts); absent, or `anonymous`, pulls anonymously. */
export async function pullOciChart(req: OciChartRequest, allowedHosts: readonly string[], bounds: Bounds, maxBytes: number, auth: PullAuth = {}): Promise<{ ok: true; data: Buffer } | { ok: false; why: string }> {
  const url = new URL(req.repoUrl);
  const scheme = isLoopback(url.hostname) ? "http" : "https";
  const repository = `${url.pathname.replace(/^\/+|\/+$/g, "")}/${req.chart}`.replace(/^\//, "");
  const api = `${scheme}://${url.host}/v2/${repository}`;
  const registry = hostKey(new URL(api));
  const own = auth.anonymous ? undefined : credentialFor(new URL(api), auth.credentials);
  // A token is sent as it is; a user and password only when the registry asks (Basic, or its token realm).
  let authorization = own?.kind === "token" ? authorizationOf(own) : undefined;
  let sentCredentials = authorization !== undefined;
  let realmHost: string | undefined;
  let authorized = false;
  const refused = (f: Fetched): Fetched => {
    // A blob store a redirect led to is not the registry: its refusal is reported as it is.
    if (f.ok || (f.status !== 401 && f.status !== 403) || (f.host !== undefined && f.host !== registry)) return f;
    if (!sentCredentials && own && realmHost !== undefined && realmHost !== registry) {
      return { ...f, why: `${registry} requires credentials (HTTP ${f.status}); its token service is on ${realmHost}, which is sent only credentials keyed for ${realmHost} itself` };
    }
    return { ...f, why: refusedWhy(registry, f.status, sentCredentials, auth.anonymous === true) };
  };
  /** One GET; on a 401, the credentials its challenge asks for (Basic, or a token from its realm), then once more. */
  const get = async (path: string, accept: string, max: number): Promise<Fetched> => {
    const attempt = () => boundedGet(`${api}${path}`, allowedHosts, { ...bounds, maxBytes: max, headers: { accept, ...(authorization ? { authorization } : {}) } });
    const first = await attempt();
    if (first.ok || first.status !== 401 || authorized || !first.challenge) return refused(first);
    authorized = true;
    if (/^Basic(\s|$)/i.test(first.challenge)) {
      if (own?.kind !== "basic") return refused(first);
      authorization = authorizationOf(own);
      sentCredentials = true;
      return refused(await attempt());
    }
    const got = await fetchToken(first.challenge, repository, allowedHosts, bounds, auth);
    if (!got.ok) return got;
    realmHost = got.realmHost;
    sentCredentials ||= got.sentCredentials;
    authorization = `Bearer ${got.token}`;
    return refused(await attempt());
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

/**
 * `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:x:pull"` → a pull
 * token (Docker's token flow). The realm is sent the credentials keyed for the realm's own
 * host[:port] and nothing else: on the registry's host those are the registry's; a realm
 * elsewhere (auth.docker.io for registry-1.docker.io) gets credentials only when the operator
 * keyed some for it. Anonymous otherwise.
 */
async function fetchToken(challenge: string, repository: string, allowedHosts: readonly string[], bounds: Bounds, auth: PullAuth): Promise<{ ok: true; token: string; realmHost: string; sentCredentials: boolean } | { ok: false; why: string }> {
  if (!/^Bearer\s/i.test(challenge)) return { ok: false, why: "the registry asks for an authentication scheme other than Basic or Bearer" };
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
  const realmHost = hostKey(tokenUrl);
  const credential = auth.anonymous ? undefined : credentialFor(tokenUrl, auth.credentials);
  const headers = { accept: "application/json", ...(credential ? { authorization: authorizationOf(credential) } : {}) };
  const got = await boundedGet(tokenUrl.toString(), allowedHosts, { ...bounds, maxBytes: 1024 * 1024, headers });
  if (!got.ok) {
    if (got.status === 401 || got.status === 403) return { ok: false, why: `the registry's token service: ${refusedWhy(realmHost, got.status, credential !== undefined, auth.anonymous === true)}` };
    return { ok: false, why: `no token from the registry's token service: ${got.why}` };
  }
  const body = parseJson(got.body);
  const token = typeof body?.token === "string" ? body.token : typeof body?.access_token === "string" ? body.access_token : undefined;
  return token ? { ok: true, token, realmHost, sentCredentials: credential !== undefined } : { ok: false, why: "the registry's token answer holds no token" };
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
