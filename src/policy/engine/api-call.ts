/**
 * Answers a Kyverno `apiCall` context entry (GET on a Kubernetes REST path) from the rendered
 * resources, for policies annotated `shipshape.dev/api-call: rendered-resources`:
 * a collection path returns `{apiVersion, kind: "<Kind>List", items}`, an object path the
 * object, and a missing object an error like the API server's 404.
 */
import type { Json } from "../model.js";
import { splitApiVersion } from "./kind-selector.js";
import { selectorMatches } from "./selector.js";

export class ApiCallNotFound extends Error {
  constructor(urlPath: string) {
    super(`the server could not find the requested resource (GET ${urlPath}): not among the rendered resources`);
    this.name = "ApiCallNotFound";
  }
}

export interface ResourceIndex {
  /** Resources by lower-case plural ("networkpolicies") and by lower-case kind. */
  byPlural: Map<string, Json[]>;
}

const IRREGULAR: Record<string, string> = {
  endpoints: "Endpoints",
  ingresses: "Ingress",
  networkpolicies: "NetworkPolicy",
  podsecuritypolicies: "PodSecurityPolicy",
  storageclasses: "StorageClass",
  ingressclasses: "IngressClass",
  priorityclasses: "PriorityClass",
  runtimeclasses: "RuntimeClass",
  resourcequotas: "ResourceQuota",
};

export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === "endpoints") return lower;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function indexResources(objects: readonly Json[]): ResourceIndex {
  const byPlural = new Map<string, Json[]>();
  for (const o of objects) {
    if (typeof o.kind !== "string") continue;
    const plural = pluralOf(o.kind);
    const list = byPlural.get(plural) ?? [];
    list.push(o);
    byPlural.set(plural, list);
  }
  return { byPlural };
}

interface ParsedPath {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  labelSelector?: string;
}

function parsePath(urlPath: string): ParsedPath | undefined {
  const [path = "", query = ""] = urlPath.split("?");
  const parts = path.split("/").filter((p) => p !== "");
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 2) return undefined;
  const labelSelector = new URLSearchParams(query).get("labelSelector") ?? undefined;
  return { group, version, plural: rest[0]!, ...(namespace !== undefined ? { namespace } : {}), ...(rest[1] ? { name: rest[1] } : {}), ...(labelSelector ? { labelSelector } : {}) };
}

function meta(o: Json): Json {
  return isObj(o.metadata) ? o.metadata : {};
}

function labelsOf(o: Json): Record<string, string> {
  const labels = meta(o).labels;
  return isObj(labels) ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) : {};
}

function selectorFromQuery(text: string): Json {
  const matchLabels: Json = {};
  const matchExpressions: Json[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const ne = part.split("!=");
    if (ne.length === 2) matchExpressions.push({ key: ne[0], operator: "NotIn", values: [ne[1]] });
    else if (part.includes("=")) {
      const [k, v] = part.split(/==?/);
      matchLabels[k!] = v;
    } else if (part.startsWith("!")) matchExpressions.push({ key: part.slice(1), operator: "DoesNotExist" });
    else matchExpressions.push({ key: part, operator: "Exists" });
  }
  return { matchLabels, matchExpressions };
}

/** The response body, or ApiCallNotFound; throws Error for paths we cannot interpret. */
export function answerApiCall(urlPath: string, index: ResourceIndex): unknown {
  const parsed = parsePath(urlPath);
  if (!parsed) throw new Error(`cannot answer apiCall ${urlPath} from rendered resources: not a Kubernetes REST path`);
  if (parsed.plural === "namespaces" && parsed.namespace === undefined && parsed.name) {
    const ns = (index.byPlural.get("namespaces") ?? []).find((o) => meta(o).name === parsed.name);
    if (!ns) throw new ApiCallNotFound(urlPath);
    return ns;
  }
  const candidates = (index.byPlural.get(parsed.plural) ?? []).filter((o) => {
    const { group } = splitApiVersion(String(o.apiVersion ?? ""));
    if (group !== parsed.group) return false;
    return parsed.namespace === undefined || (meta(o).namespace ?? "") === parsed.namespace;
  });
  if (parsed.name) {
    const found = candidates.find((o) => meta(o).name === parsed.name);
    if (!found) throw new ApiCallNotFound(urlPath);
    return found;
  }
  const items = parsed.labelSelector ? candidates.filter((o) => selectorMatches(selectorFromQuery(parsed.labelSelector!), labelsOf(o))) : candidates;
  const first = candidates[0];
  const kind = typeof first?.kind === "string" ? first.kind : (IRREGULAR[parsed.plural] ?? guessKind(parsed.plural));
  const apiVersion = parsed.group ? `${parsed.group}/${parsed.version}` : parsed.version;
  return { apiVersion, kind: `${kind}List`, metadata: {}, items };
}

function guessKind(plural: string): string {
  const singular = plural.endsWith("ies") ? `${plural.slice(0, -3)}y` : plural.endsWith("sses") ? plural.slice(0, -2) : plural.replace(/s$/, "");
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}
