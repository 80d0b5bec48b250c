/**
 * One HTTP GET of a chart repository's index or archive, done in Node so that every URL on the
 * way is checked: redirects are not followed by the client (`redirect: "manual"`) but one by one
 * here, each Location's host checked against gitops.allowedHosts like the first URL. No
 * credentials, no cookies, bounded in size and time. A response larger than the bound is cut off
 * and refused, never buffered whole.
 */
import { checkAllowedHost } from "./allowed-hosts.js";

export interface FetchBounds {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type Fetched = { ok: true; body: Buffer; url: URL } | { ok: false; why: string };

const MAX_REDIRECTS = 5;

export async function boundedGet(rawUrl: string, allowedHosts: readonly string[], bounds: FetchBounds): Promise<Fetched> {
  const signals = [AbortSignal.timeout(bounds.timeoutMs), ...(bounds.signal ? [bounds.signal] : [])];
  const signal = AbortSignal.any(signals);
  let current = rawUrl;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const host = checkAllowedHost(current, allowedHosts);
    if (!host.ok) return { ok: false, why: hop === 0 ? host.why : `a redirect leads to ${redact(current)}: ${host.why}` };
    if (host.url.protocol === "oci:") return { ok: false, why: "oci:// is not fetched over HTTP" };
    let response: Response;
    try {
      response = await fetch(host.url, { redirect: "manual", signal, credentials: "omit", headers: { accept: "*/*", "user-agent": "shipshape-chart-pull" } });
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
      return { ok: false, why: `${redact(current)}: HTTP ${response.status}` };
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
