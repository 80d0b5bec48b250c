/**
 * Kyverno's CEL libraries that read the cluster, answered offline from cluster data a `kyverno
 * test` Context file gives (model.ts ClusterData), and its pure user library:
 *
 * - `resource.Get(apiVersion, resource, namespace, name)`: the object (an error when missing,
 *   as the API server's 404); `resource.List(apiVersion, resource, namespace)`: a list object
 *   with `items` ('' namespace: every namespace);
 * - `image.GetMetadata(ref)`: the image's metadata (`config`, `manifest`...);
 * - `parseServiceAccount(username)`: `{Namespace, Name}` of `system:serviceaccount:<ns>:<name>`;
 * - `time.now()`: the current time (a timestamp).
 *
 * Rules that call the cluster functions without cluster data are reported as unsupported by
 * their evaluators (`needsClusterData`); `resource.Post`, `http.*` and `globalContext.Get` are
 * never answered offline (`CLUSTER_ONLY_FUNCTIONS`).
 */
import { celFunc, CelScalar, type CelFunc } from "@bufbuild/cel";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { pluralOf } from "../engine/api-call.js";
import type { ClusterData, Json } from "../model.js";
import { charge } from "./budget.js";
import { toCelInput } from "./values.js";

const { DYN, STRING } = CelScalar;

/** Functions answered from cluster data when it is given. */
export const CLUSTER_DATA_FUNCTIONS = new Set(["resource.Get", "resource.List", "image.GetMetadata"]);

/** Functions that need a live cluster or network, with why. */
export const CLUSTER_ONLY_FUNCTIONS: Record<string, string> = {
  "resource.Post": "the expression uses resource.Post (creates objects in the cluster); not evaluated offline",
  "http.Get": "the expression uses http.Get (network calls); not evaluated offline",
  "http.Post": "the expression uses http.Post (network calls); not evaluated offline",
  "globalContext.Get": "the expression uses globalContext.Get (Kyverno's global context in the cluster); not evaluated offline",
};

let current: ClusterData | undefined;

/** Runs `fn` with the cluster data the library functions read. */
export function withClusterData<T>(data: ClusterData | undefined, fn: () => T): T {
  const outer = current;
  current = data;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

function data(fn: string): ClusterData {
  if (!current) throw new Error(`${fn} needs a cluster: no cluster data was given`);
  return current;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function selects(object: Json, apiVersion: string, resource: string, namespace: string): boolean {
  const meta = isObj(object.metadata) ? object.metadata : {};
  return object.apiVersion === apiVersion && pluralOf(String(object.kind ?? "")) === resource.toLowerCase() && (namespace === "" || (meta.namespace ?? "") === namespace);
}

function nameOf(object: Json): string {
  return isObj(object.metadata) ? String(object.metadata.name ?? "") : "";
}

/** `docker.io/library/busybox:latest` and `busybox` name the same image. */
function normalizeImage(ref: string): string {
  let name = ref;
  if (!/[:@]/.test(name.split("/").pop() ?? "")) name += ":latest";
  const first = name.split("/")[0]!;
  if (!name.includes("/") || !/[.:]|^localhost$/.test(first)) name = `docker.io/${name}`;
  if (/^docker\.io\/[^/]+$/.test(name.replace(/[:@].*$/, ""))) name = name.replace(/^docker\.io\//, "docker.io/library/");
  return name;
}

export const kyvernoFuncs: CelFunc[] = [
  celFunc("resource.Get", [STRING, STRING, STRING, STRING], DYN, (apiVersion, resource, namespace, name) => {
    const found = data("resource.Get").resources.find((o) => selects(o, apiVersion, resource, namespace) && nameOf(o) === name);
    if (!found) throw new Error(`resource.Get: ${resource} "${namespace ? `${namespace}/` : ""}${name}" not found`);
    return toCelInput(found, { keepNulls: true });
  }),
  celFunc("resource.List", [STRING, STRING, STRING], DYN, (apiVersion, resource, namespace) => {
    const items = data("resource.List").resources.filter((o) => selects(o, apiVersion, resource, namespace));
    charge(1 + items.length);
    const kind = items.length > 0 ? `${String(items[0]!.kind)}List` : "List";
    return toCelInput({ apiVersion, kind, metadata: {}, items }, { keepNulls: true });
  }),
  celFunc("image.GetMetadata", [STRING], DYN, (ref) => {
    const images = data("image.GetMetadata").images;
    const found = images.get(ref) ?? images.get(normalizeImage(ref)) ?? [...images].find(([k]) => normalizeImage(k) === normalizeImage(ref))?.[1];
    if (!found) throw new Error(`image.GetMetadata: no metadata for image ${ref}`);
    return toCelInput(found, { keepNulls: true });
  }),
  celFunc("time.now", [], DYN, () => timestampFromMs(Date.now())),
  celFunc("parseServiceAccount", [STRING], DYN, (username) => {
    const parts = username.split(":");
    const ok = parts.length === 4 && parts[0] === "system" && parts[1] === "serviceaccount";
    return toCelInput({ Namespace: ok ? parts[2] : "", Name: ok ? parts[3] : "" });
  }),
];

/** Image metadata by reference from a Context file's `images` list (`{image, config, manifest...}`). */
export function imagesOf(list: unknown): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const entry of Array.isArray(list) ? list : []) {
    if (!isObj(entry) || typeof entry.image !== "string") continue;
    const { image, ...metadata } = entry;
    out.set(image as string, metadata);
  }
  return out;
}
