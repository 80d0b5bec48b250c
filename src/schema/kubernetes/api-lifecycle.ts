/**
 * Whether a Kubernetes version serves an apiVersion/kind, and what to say when it does not or
 * soon will not. Two sources: the migration guide's table (src/schema/api-removals.ts), which
 * reaches back before the bundled versions and names replacements, and the bundles' history
 * (schemas/kubernetes/index.json), which knows every API of every bundled version.
 */
import { apiGroup } from "../../core/model/resource.js";
import type { Severity } from "../../core/model/finding.js";
import { API_REMOVALS, findApiRemoval, minorOf } from "../api-removals.js";
import { closest } from "./issue-text.js";
import { kindKey, splitKindKey, type ApiHistory } from "./types.js";
import { nextBundledVersion } from "./versions.js";

export interface ApiVerdict {
  ruleId: "api/removed" | "api/deprecated" | "api/unknown";
  severity: Severity;
  message: string;
}

interface HistoryIndex {
  /** "group|Kind" → apiVersions that ever served it. */
  byGroupKind: Map<string, string[]>;
  groups: Set<string>;
}

const indexes = new WeakMap<ApiHistory, HistoryIndex>();

/** For a kind the version serves: a warning when it is deprecated or gone in the next minor. */
export function deprecationVerdict(history: ApiHistory, apiVersion: string, kind: string, version: string): ApiVerdict | undefined {
  const removal = findApiRemoval(apiVersion, kind);
  let removedIn = removal && minorOf(removal.removedIn) > minorOf(version) ? removal.removedIn : undefined;
  if (!removedIn && history.apis[kindKey(apiVersion, kind)]?.[1] === version) removedIn = nextBundledVersion(version);
  if (!removedIn) return undefined;
  const deprecated = removal?.deprecatedIn !== undefined && minorOf(version) >= minorOf(removal.deprecatedIn);
  if (!deprecated && minorOf(removedIn) !== minorOf(version) + 1) return undefined;
  const replacement = replacementFor(history, apiVersion, kind, [version, removedIn], removal?.replacement);
  const advice = replacement ? `; use ${replacement} before upgrading` : removal?.note ? `; ${removal.note}` : "";
  return {
    ruleId: "api/deprecated",
    severity: "warning",
    message: `${apiVersion} ${kind} is deprecated and not served from Kubernetes ${removedIn}${advice}`,
  };
}

/**
 * For a kind the version does not serve: removed (and since when), not served yet, or unknown
 * in a built-in group. Undefined when the group is not a built-in one: a custom resource.
 */
export function unservedVerdict(
  history: ApiHistory,
  apiVersion: string,
  kind: string,
  version: string,
  kindsOfApiVersion: readonly string[],
): ApiVerdict | undefined {
  const notServed = `${apiVersion} ${kind} is not served by Kubernetes ${version}`;
  const removal = findApiRemoval(apiVersion, kind);
  if (removal && minorOf(removal.removedIn) <= minorOf(version)) {
    const replacement = replacementFor(history, apiVersion, kind, [version], removal.replacement);
    const advice = replacement ? `; use ${replacement}` : removal.note ? `; ${removal.note}` : "";
    return { ruleId: "api/removed", severity: "error", message: `${notServed}: removed in ${removal.removedIn}${advice}` };
  }
  const range = history.apis[kindKey(apiVersion, kind)];
  if (range && minorOf(range[1]) < minorOf(version)) {
    const removedIn = nextBundledVersion(range[1]) ?? version;
    const replacement = replacementFor(history, apiVersion, kind, [version]);
    return { ruleId: "api/removed", severity: "error", message: `${notServed}: removed in ${removedIn}${replacement ? `; use ${replacement}` : ""}` };
  }
  if (range && minorOf(range[0]) > minorOf(version)) {
    const replacement = replacementFor(history, apiVersion, kind, [version]);
    return { ruleId: "api/unknown", severity: "error", message: `${notServed}: first served in ${range[0]}${replacement ? `; use ${replacement}` : ""}` };
  }
  if (!indexOf(history).groups.has(apiGroup(apiVersion))) return undefined;
  if (kindsOfApiVersion.length > 0) {
    const guess = closest(kind, kindsOfApiVersion);
    const hint = guess ? `; did you mean ${guess}?` : "";
    return { ruleId: "api/unknown", severity: "error", message: `${apiVersion} has no kind ${kind} in Kubernetes ${version}${hint}` };
  }
  const replacement = replacementFor(history, apiVersion, kind, [version]);
  return { ruleId: "api/unknown", severity: "error", message: `${notServed}${replacement ? `; use ${replacement}` : ""}` };
}

/**
 * The apiVersion to move to: the table's, when the versions in question serve it, else the
 * most stable version of the same group and kind that they serve.
 */
function replacementFor(history: ApiHistory, apiVersion: string, kind: string, mustServe: string[], preferred?: string): string | undefined {
  const bundled = mustServe.filter((v) => history.versions.includes(v));
  const servesAll = (candidate: string) => bundled.every((v) => serves(history, candidate, kind, v));
  if (preferred && servesAll(preferred)) return preferred;
  const candidates = (indexOf(history).byGroupKind.get(`${apiGroup(apiVersion)}|${kind}`) ?? [])
    .filter((candidate) => candidate !== apiVersion && servesAll(candidate))
    .sort((a, b) => versionPriority(b) - versionPriority(a));
  return candidates[0] ?? preferred;
}

function serves(history: ApiHistory, apiVersion: string, kind: string, version: string): boolean {
  const range = history.apis[kindKey(apiVersion, kind)];
  if (!range) return false;
  const minor = minorOf(version);
  return minorOf(range[0]) <= minor && minor <= minorOf(range[1]);
}

/** Kubernetes' own ordering of API versions: GA over beta over alpha, newer over older. */
function versionPriority(apiVersion: string): number {
  const version = apiVersion.slice(apiVersion.indexOf("/") + 1);
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return 0;
  const major = Number(match[1]);
  const level = match[2] === undefined ? 3 : match[2] === "beta" ? 2 : 1;
  return level * 1_000_000 + major * 1_000 + Number(match[3] ?? 0);
}

function indexOf(history: ApiHistory): HistoryIndex {
  let index = indexes.get(history);
  if (index) return index;
  index = { byGroupKind: new Map(), groups: new Set() };
  for (const key of Object.keys(history.apis)) {
    const { apiVersion, kind } = splitKindKey(key);
    const group = apiGroup(apiVersion);
    index.groups.add(group);
    const id = `${group}|${kind}`;
    const list = index.byGroupKind.get(id);
    if (list) list.push(apiVersion);
    else index.byGroupKind.set(id, [apiVersion]);
  }
  // Groups no bundled version serves any more (extensions) are still built in.
  for (const removal of API_REMOVALS) index.groups.add(apiGroup(removal.apiVersion));
  indexes.set(history, index);
  return index;
}
