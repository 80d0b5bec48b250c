/**
 * `gitops.allowedHosts` of the base side's config: `host` (on the scheme's default port) or
 * `host:port`. A URL a pull request writes is pulled only when its host is listed there; the
 * pull request cannot add a host, because the config is read from the base side.
 */
export type HostCheck = { ok: true; url: URL } | { ok: false; why: string };

const SCHEMES = new Set(["http:", "https:", "oci:"]);

export function checkAllowedHost(rawUrl: string, allowedHosts: readonly string[]): HostCheck {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, why: `${JSON.stringify(rawUrl.slice(0, 80))} is not a URL` };
  }
  if (!SCHEMES.has(url.protocol)) return { ok: false, why: `${url.protocol} URLs are not pulled (http, https and oci only)` };
  if (url.username !== "" || url.password !== "") return { ok: false, why: "the URL holds credentials; they come from the operator, never the repository" };
  const host = url.hostname.toLowerCase();
  const withPort = url.port === "" ? host : `${host}:${url.port}`;
  const allowed = allowedHosts.map((h) => h.trim().toLowerCase());
  if (allowed.includes(withPort)) return { ok: true, url };
  return { ok: false, why: `host ${withPort} is not in gitops.allowedHosts of the base branch's config` };
}
