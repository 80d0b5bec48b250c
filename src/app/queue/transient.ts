/**
 * Which failures are worth another attempt: GitHub's own trouble (5xx, 429, a rate limit) and
 * the network's. A 4xx or a bug in Shipshape fails the same way every time: no retry.
 */
import { httpStatus } from "../../github/api.js";

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND", "EPIPE", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);

export function isTransient(err: unknown): boolean {
  const status = httpStatus(err);
  const message = String((err as Error | undefined)?.message ?? "");
  if (status !== undefined) return status >= 500 || status === 429 || (status === 403 && /rate limit/i.test(message));
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return /\b(fetch failed|socket hang up|other side closed)\b/i.test(message);
}
