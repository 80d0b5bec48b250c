/**
 * Whether an Application's `repoURL` is this repository. Argo CD compares normalised URLs
 * (scheme, user, `.git` and case of the host do not matter); Shipshape does the same against
 * the URLs the config lists (`gitops.repositoryUrls`), so the snapshot is read instead of
 * anything fetched. A repoURL of "." (or "./") also names this repository: a Shipshape
 * convenience for repositories that do not want to spell their own URL.
 */

/** `https://GitHub.com/org/repo.git`, `git@github.com:org/repo`, `ssh://git@github.com/org/repo/` → `github.com/org/repo`. */
export function normalizeRepoUrl(url: string): string {
  let text = url.trim();
  if (text.includes("://")) text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^/@]+@/, "");
  else {
    // scp-like syntax: [user@]host:path
    const scp = /^(?:[^/@]+@)?([^/:]+):(.*)$/.exec(text);
    if (scp) text = `${scp[1]}/${scp[2]}`;
  }
  text = text.replace(/\/+$/, "").replace(/\.git$/i, "").replace(/\/+$/, "");
  const slash = text.indexOf("/");
  const host = (slash === -1 ? text : text.slice(0, slash)).toLowerCase().replace(/:(443|80|22)$/, "");
  return slash === -1 ? host : `${host}${text.slice(slash)}`;
}

export function isLocalRepoUrl(repoURL: string): boolean {
  const text = repoURL.trim();
  return text === "." || text === "./";
}

/** A matcher for "this repository", from the config's URLs. */
export function thisRepository(repositoryUrls: readonly string[]): (repoURL: string) => boolean {
  const own = new Set(repositoryUrls.map(normalizeRepoUrl));
  return (repoURL) => isLocalRepoUrl(repoURL) || own.has(normalizeRepoUrl(repoURL));
}
