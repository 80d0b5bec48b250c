/**
 * One HTTP GET of a chart repository's index or archive, done in Node so that every URL on the
 * way is checked: redirects are not followed by the client (`redirect: "manual"`) but one by one
 * here, each Location's host checked against gitops.allowedHosts like the first URL. No
 * cookies, bounded in size and time. An `authorization` header (the operator's credential or a
 * registry's token, for the first URL's host) goes to that host[:port] only, never over plain
 * http off the loopback interface, and is dropped on a redirect to any other host. A response larger than the bound is cut off
 * and refused, never buffered whole.
 */
import { checkAllowedHost } from "./allowed-hosts.js";

export interface FetchBounds {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Request headers (an OCI registry's Accept and bearer token); the token is not sent on to another host. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * `challenge`: a 401's WWW-Authenticate, for the OCI token dance; `host`: the host[:port] that
 * answered with `status` (a redirect's, maybe), and `authorized`: whether that request carried
 * the authorization header, so that a refusal names the right host and cause.
 */
export type Fetched = { ok: true; body: Buffer; url: URL } | { ok: false; why: string; status?: number; challenge?: string; host?: string; authorized?: boolean };

const MAX_REDIRECTS = 5;

export async function boundedGet(rawUrl: string, allowedHosts: readonly string[], bounds: FetchBounds): Promise<Fetched> {
  const signals = [AbortSignal.timeout(bounds.timeoutMs), ...(bounds.signal ? [bounds.signal] : [])];
  const signal = AbortSignal.any(signals);
  let current = rawUrl;
  const firstHost = checkAllowedHost(rawUrl, allowedHosts);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const host = checkAllowedHost(current, allowedHosts);
    if (!host.ok) return { ok: false, why: hop === 0 ? host.why : `a redirect leads to ${redact(current)}: ${host.why}` };
    if (host.url.protocol === "oci:") return { ok: false, why: "oci:// is not fetched over HTTP" };
    // A registry's token is for the registry: a redirect to a blob store elsewhere goes without it.
    const sameHost = firstHost.ok && firstHost.url.host === host.url.host;
    const { authorization, ...others } = bounds.headers ?? {};
    if (host.url.protocol === "http:" && authorization && sameHost && !isLoopback(host.url.hostname)) return { ok: false, why: `${redact(current)}: credentials are never sent over plain HTTP (use https)` };
    let response: Response;
    try {
      const headers = { accept: "*/*", "user-agent": "shipshape-chart-pull", ...others, ...(authorization && sameHost ? { authorization } : {}) };
      response = await fetch(host.url, { redirect: "manual", signal, credentials: "omit", headers });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = signal.aborted ? `no answer within ${bounds.timeoutMs / 1000} s` : (e.cause?.code ?? e.message);
      return { ok: false, why: `${redact(current)}: ${why}` };
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get("location");
      if (!location) return { ok: false, why: `${redact(current)}: redirect without a Location` };
      current = new URL(location, host.url).toString();
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      const challenge = response.headers.get("www-authenticate") ?? undefined;
      const answered = host.url.port === "" ? host.url.hostname : `${host.url.hostname}:${host.url.port}`;
      return { ok: false, why: `${redact(current)}: HTTP ${response.status}`, status: response.status, ...(challenge ? { challenge } : {}), host: answered, authorized: Boolean(authorization && sameHost) };
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > bounds.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, why: `${redact(current)}: larger than ${bounds.maxBytes} bytes` };
    }
    const body = await readCapped(response, bounds.maxBytes, signal);
    if (!body.ok) return { ok: false, why: `${redact(current)}: ${body.why}` };
    return { ok: true, body: body.data, url: host.url };
  }
  return { ok: false, why: `${redact(rawUrl)}: more than ${MAX_REDIRECTS} redirects` };
}

async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<{ ok: true; data: Buffer } | { ok: false; why: string }> {
  if (!response.body) return { ok: true, data: Buffer.alloc(0) };
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, why: `larger than ${maxBytes} bytes` };
      }
      chunks.push(Buffer.from(value));
    }
  } catch (err) {
    return { ok: false, why: signal.aborted ? "the download took too long" : (err as Error).message };
  }
  return { ok: true, data: Buffer.concat(chunks) };
}

/** The URL without its query (tokens live there), at most 120 characters. */
function redact(url: string): string {
  return url.replace(/[?#].*$/, "").slice(0, 120);
}

/** 127.0.0.0/8, ::1 and localhost: where plain HTTP is the norm (a registry on the machine), as Docker treats them. */
export function isLoopback(hostname: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === "[::1]" || hostname === "localhost";
}
