/**
 * Remote charts, into a content-addressed cache, in a step apart from the render; the render
 * then reads the local archive.
 * - HTTP(S) HelmRepositories are resolved and downloaded here in Node (bounded-fetch.ts): the
 *   index, the version (semver.ts, highest match) and the archive, every URL's host checked
 *   against the base side's gitops.allowedHosts — an index on an allowed host cannot send the
 *   download elsewhere — and the archive checked against the index's digest when it has one.
 * - OCI registries are pulled the same way, in Node, with the distribution API (oci-pull.ts): the
 *   manifest, a token, the chart layer, each host checked, each digest verified.
 * - Private hosts: the operator's credentials (opts.gitops.credentials, chart-credentials.ts),
 *   each sent only to the host[:port] it is keyed for; a 401 or 403 says which host refused.
 * helm never has the network: it renders the archive offline.
 * Archives are stored under their SHA-256; an exact version is not fetched again.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { RenderLimits } from "../../core/ports.js";
import { isValidChartName } from "../argv.js";
import type { ToolOptions } from "../tool-options.js";
import { isPlainObject } from "../../yaml/parse.js";
import { authorizationOf, credentialFor, hostKey, refusedWhy, type PullAuth } from "../chart-credentials.js";
import { checkAllowedHost } from "./allowed-hosts.js";
import { boundedGet } from "./bounded-fetch.js";
import { pullOciChart } from "./oci-pull.js";
import { highestMatch } from "./semver.js";

/** A chart archive larger than this is refused (helm's own limit for charts is 20 MiB). */
const MAX_ARCHIVE_BYTES = 20 * 1024 * 1024;
/** Large public indexes (bitnami's) are tens of MiB; more is no chart repository. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
const PULL_TIMEOUT_MS = 60_000;
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export interface ChartPullRequest {
  repoUrl: string;
  chart: string;
  /** A version or a semver constraint; none is the latest. */
  version?: string;
  /** OCI only: the manifest digest the pulled artifact must have (`sha256:…`). */
  digest?: string;
  /**
   * The source declares no authentication (a Flux source without `spec.secretRef`): the
   * operator's credentials are not sent, as the controller would send none. Only narrows.
   */
  anonymous?: boolean;
  /**
   * HTTP only: the application's `passCredentials` (Argo CD `helm.passCredentials`, Flux
   * `spec.passCredentials`). An index's download URL on another host is then sent that host's
   * own credentials, when the operator keyed some for it; never the repository host's. Off:
   * credentials go to the repository's host alone, as helm does by default.
   */
  passCredentials?: boolean;
}

export type ChartPull = { ok: true; archive: string; digest: string } | { ok: false; why: string; toolError?: boolean };

export async function pullChart(req: ChartPullRequest, opts: ToolOptions, limits: Pick<RenderLimits, "signal">): Promise<ChartPull> {
  const allowedHosts = opts.gitops?.allowedHosts ?? [];
  const host = checkAllowedHost(req.repoUrl, allowedHosts);
  if (!host.ok) return { ok: false, why: host.why };
  const cache = opts.gitops?.chartCacheDir ?? join(opts.scratchDir, "chart-cache");
  // Only an exact version (or a digest) names the same archive tomorrow; a range is resolved again each review.
  const exact = req.digest ?? (req.version !== undefined && EXACT_VERSION.test(req.version) ? req.version : undefined);
  const pointer = exact !== undefined ? pointerPath(cache, req, exact) : undefined;
  if (pointer) {
    const cached = await cachedArchive(cache, pointer);
    if (cached) return cached;
  }
  const auth: PullAuth = { ...(opts.gitops?.credentials ? { credentials: opts.gitops.credentials } : {}), ...(req.anonymous ? { anonymous: true } : {}) };
  if (host.url.protocol === "oci:") return pullOci(req, allowedHosts, limits, cache, pointer, auth);
  return downloadHttp(req, allowedHosts, limits, cache, pointer, auth);
}

/** The header for a request to `url`: the credential keyed for its host, when this request may carry one. */
function authorizationHeader(url: URL, auth: PullAuth): { authorization?: string } {
  const credential = auth.anonymous ? undefined : credentialFor(url, auth.credentials);
  return credential ? { authorization: authorizationOf(credential) } : {};
}

/** A 401/403 names the host that answered and whether credentials were refused or missing; anything else as it is. */
function explain(got: { why: string; status?: number; host?: string; authorized?: boolean }, url: URL, auth: PullAuth): string {
  if (got.status !== 401 && got.status !== 403) return got.why;
  const host = got.host ?? hostKey(url);
  const keyed = !auth.anonymous && auth.credentials?.has(host) === true;
  if (!got.authorized && keyed) {
    return `${host} requires credentials (HTTP ${got.status}); the operator's credentials for ${host} are not sent here (a redirect, or a download URL on another host than the repository's without passCredentials: true)`;
  }
  return refusedWhy(host, got.status, got.authorized === true, auth.anonymous === true);
}

/** The index, the highest matching version, its archive: every URL on the way checked. */
async function downloadHttp(req: ChartPullRequest, allowedHosts: readonly string[], limits: Pick<RenderLimits, "signal">, cache: string, pointer: string | undefined, auth: PullAuth): Promise<ChartPull> {
  const bounds = { timeoutMs: PULL_TIMEOUT_MS, ...(limits.signal ? { signal: limits.signal } : {}) };
  const base = req.repoUrl.endsWith("/") ? req.repoUrl : `${req.repoUrl}/`;
  const indexUrl = new URL("index.yaml", base);
  const index = await boundedGet(indexUrl.toString(), allowedHosts, { ...bounds, maxBytes: MAX_INDEX_BYTES, headers: authorizationHeader(indexUrl, auth) });
  if (!index.ok) return { ok: false, why: `the chart repository index is not available: ${explain(index, indexUrl, auth)}` };
  let parsed: unknown;
  try {
    parsed = parseYaml(index.body.toString("utf8"));
  } catch {
    return { ok: false, why: `the index.yaml of ${new URL(base).host} is not valid YAML` };
  }
  const entries = isPlainObject(parsed) && isPlainObject(parsed.entries) ? parsed.entries[req.chart] : undefined;
  if (!Array.isArray(entries)) return { ok: false, why: `chart ${req.chart} is not in the index of ${new URL(base).host}` };
  const byVersion = new Map<string, Record<string, unknown>>();
  for (const e of entries) if (isPlainObject(e) && typeof e.version === "string" && !byVersion.has(e.version)) byVersion.set(e.version, e);
  const constraint = req.version ?? "*";
  const version = highestMatch([...byVersion.keys()], constraint);
  if (version === undefined) return { ok: false, why: `no version of chart ${req.chart} matches ${JSON.stringify(constraint.slice(0, 80))}` };
  const entry = byVersion.get(version)!;
  const resolvedPointer = pointer ?? pointerPath(cache, req, version);
  const cached = await cachedArchive(cache, resolvedPointer);
  if (cached) return cached;
  const first = Array.isArray(entry.urls) ? entry.urls.find((u): u is string => typeof u === "string") : undefined;
  if (!first) return { ok: false, why: `chart ${req.chart} ${version} has no download URL in the index` };
  let archiveUrl: string;
  try {
    // helm resolves a relative URL against the repository's URL.
    archiveUrl = new URL(first, base).toString();
  } catch {
    return { ok: false, why: `chart ${req.chart} ${version}: its download URL is not a URL` };
  }
  const target = new URL(archiveUrl);
  // helm's default: credentials for the repository's scheme, host and port only; another host
  // only with passCredentials, and then only its own (see ChartPullRequest.passCredentials).
  const sameOrigin = target.protocol === indexUrl.protocol && target.host === indexUrl.host;
  const archiveAuth = sameOrigin || req.passCredentials === true ? authorizationHeader(target, auth) : {};
  const archive = await boundedGet(archiveUrl, allowedHosts, { ...bounds, maxBytes: MAX_ARCHIVE_BYTES, headers: archiveAuth });
  if (!archive.ok) return { ok: false, why: `chart ${req.chart} ${version} could not be downloaded: ${explain(archive, target, auth)}` };
  const digest = sha256(archive.body);
  // A digest of digits only reads as a YAML number: compared as written all the same.
  const wanted = typeof entry.digest === "string" || typeof entry.digest === "number" ? String(entry.digest) : "";
  if (wanted !== "" && wanted.replace(/^sha256:/, "").toLowerCase() !== digest) {
    return { ok: false, why: `chart ${req.chart} ${version}: the archive's SHA-256 is not the digest in the index` };
  }
  return store(cache, archive.body, digest, resolvedPointer);
}

async function pullOci(req: ChartPullRequest, allowedHosts: readonly string[], limits: Pick<RenderLimits, "signal">, cache: string, pointer: string | undefined, auth: PullAuth): Promise<ChartPull> {
  if (!isValidChartName(req.chart)) return { ok: false, why: `chart ${JSON.stringify(req.chart.slice(0, 80))} is not a valid chart name` };
  const bounds = { timeoutMs: PULL_TIMEOUT_MS, ...(limits.signal ? { signal: limits.signal } : {}) };
  const pulled = await pullOciChart(req, allowedHosts, bounds, MAX_ARCHIVE_BYTES, auth);
  if (!pulled.ok) return { ok: false, why: `chart ${req.chart} could not be pulled: ${pulled.why}` };
  return store(cache, pulled.data, sha256(pulled.data), pointer);
}

async function store(cache: string, data: Buffer, digest: string, pointer: string | undefined): Promise<ChartPull> {
  const archive = blobPath(cache, digest);
  await mkdir(join(cache, "sha256"), { recursive: true });
  // Written aside then renamed: a reader never sees half an archive under its digest.
  const partial = `${archive}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
  await writeFile(partial, data);
  await rename(partial, archive).catch(async () => {
    await copyFile(partial, archive);
    await rm(partial, { force: true });
  });
  if (pointer) {
    await mkdir(join(cache, "refs"), { recursive: true });
    await writeFile(pointer, digest);
  }
  return { ok: true, archive, digest };
}

function pointerPath(cache: string, req: ChartPullRequest, version: string): string {
  return join(cache, "refs", sha256(`${req.repoUrl}\n${req.chart}\n${version}`));
}

/** The cached archive a pointer names, when it is still there and still has that digest. */
async function cachedArchive(cache: string, pointer: string): Promise<ChartPull | undefined> {
  try {
    const digest = (await readFile(pointer, "utf8")).trim();
    if (!/^[0-9a-f]{64}$/.test(digest)) return undefined;
    const archive = blobPath(cache, digest);
    if (sha256(await readFile(archive)) !== digest) return undefined;
    return { ok: true, archive, digest };
  } catch {
    return undefined;
  }
}

function blobPath(cache: string, digest: string): string {
  return join(cache, "sha256", `${digest}.tgz`);
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
