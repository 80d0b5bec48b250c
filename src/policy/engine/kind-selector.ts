/**
 * Kind selectors of `match.resources.kinds`: `Kind`, `version/Kind`, `group/version/Kind`,
 * `Kind/subresource`, `version/Kind/subresource`, `group/version/Kind/subresource`, with
 * wildcards in any part (kubeutils.ParseKindSelector).
 */
import { wildcardMatch } from "../values/wildcard.js";

export interface KindSelector {
  group: string;
  version: string;
  kind: string;
  subresource: string;
}

const cache = new Map<string, KindSelector>();

function startsUpper(s: string): boolean {
  const c = s[0] ?? "";
  return c !== c.toLowerCase();
}

export function parseKindSelector(text: string): KindSelector {
  let hit = cache.get(text);
  if (hit) return hit;
  const parts = text.split("/");
  if (parts.length === 1) hit = { group: "*", version: "*", kind: parts[0]!, subresource: "" };
  else if (parts.length === 2) {
    if (parts[0] === "*" && parts[1] === "*") hit = { group: "*", version: "*", kind: "*", subresource: "*" };
    else if (startsUpper(parts[0]!)) hit = { group: "*", version: "*", kind: parts[0]!, subresource: parts[1]! };
    else hit = { group: "*", version: parts[0]!, kind: parts[1]!, subresource: "" };
  } else if (parts.length === 3) {
    if (startsUpper(parts[1]!)) hit = { group: "*", version: parts[0]!, kind: parts[1]!, subresource: parts[2]! };
    else hit = { group: parts[0]!, version: parts[1]!, kind: parts[2]!, subresource: "" };
  } else hit = { group: parts[0]!, version: parts[1]!, kind: parts[2]!, subresource: parts.slice(3).join("/") };
  cache.set(text, hit);
  return hit;
}

/** apiVersion "apps/v1" → group "apps", version "v1"; "v1" → core group "". */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf("/");
  return i === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Offline resources are never subresources, so a selector naming one only matches with `*`. */
export function kindMatches(selectors: readonly string[], apiVersion: string, kind: string): boolean {
  const { group, version } = splitApiVersion(apiVersion);
  return selectors.some((s) => {
    const sel = parseKindSelector(s);
    return (
      wildcardMatch(sel.group, group) &&
      wildcardMatch(sel.version, version) &&
      wildcardMatch(sel.kind, kind) &&
      (sel.subresource === "" || wildcardMatch(sel.subresource, ""))
    );
  });
}
