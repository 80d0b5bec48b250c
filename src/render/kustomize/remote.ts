/**
 * Telling remote kustomize references (git repos, URLs) from local paths. Kustomize tries
 * a local path first and falls back to fetching, so host-like paths only count as remote
 * when nothing local exists; scheme URLs, scp-style git and go-getter query strings are
 * remote whatever the tree holds.
 */

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const GETTER_FORCED = /^[a-z0-9]+::/;
const GETTER_QUERY = /[?&](ref|version|submodules|timeout)=/;
const SCP_GIT = /^[\w.-]+@[\w.-]+:/;
/** "github.com/org/repo", "example.org:8080/x": a first segment that looks like a host. */
const HOST_FIRST = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(:\d+)?\//;

export function isDefinitelyRemote(ref: string): boolean {
  return SCHEME.test(ref) || GETTER_FORCED.test(ref) || GETTER_QUERY.test(ref) || SCP_GIT.test(ref);
}

/** Remote unless it exists locally: callers check the tree first. */
export function looksRemote(ref: string): boolean {
  if (isDefinitelyRemote(ref)) return true;
  // "host/repo//subdir" is go-getter's way of naming a folder inside a repository.
  return HOST_FIRST.test(ref) || /[^/.]\/\/[^/]/.test(ref);
}
