/**
 * The JSON document `{{ }}` variables are evaluated against: `request` (operation CREATE, the
 * object, its namespace...), `images`, caller variables and context entries. Layers are added
 * by copying only the path that changes, so resource bodies are never mutated or cloned.
 */
import type { Json } from "../model.js";
import { splitApiVersion } from "./kind-selector.js";
import { imagesOf } from "./images.js";
import { getField } from "../jmespath/values.js";

export { getField, hasField } from "../jmespath/values.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * `data` with `value` at the dotted `name` (`a.b.c`). The root is layered (a new object whose
 * prototype is the old root) instead of copied, so adding `element` per foreach element costs
 * the same however much data is already there; nested objects on the path are copied.
 */
export function withValue(data: Json, name: string, value: unknown): Json {
  const keys = name.split(".");
  const first = keys[0]!;
  if (keys.length === 1) return layer(data, { [first]: value });
  const set = (node: unknown, i: number): Json => {
    const base: Json = isObj(node) ? { ...node } : {};
    const key = keys[i]!;
    base[key] = i === keys.length - 1 ? value : set(base[key], i + 1);
    return base;
  };
  return layer(data, { [first]: set(getField(data, first), 1) });
}

export function withValues(data: Json, values: Record<string, unknown> | undefined): Json {
  if (!values) return data;
  const plain: Json = {};
  let out = data;
  for (const [k, v] of Object.entries(values)) {
    if (k.includes(".")) out = withValue(out, k, v);
    else plain[k] = v;
  }
  return Object.keys(plain).length > 0 ? layer(out, plain) : out;
}

function layer(parent: Json, entries: Json): Json {
  return Object.assign(Object.create(parent) as Json, entries);
}

export function requestData(object: Json, withImages: boolean): Json {
  const metadata = isObj(object.metadata) ? object.metadata : {};
  const kind = typeof object.kind === "string" ? object.kind : "";
  const { group, version } = splitApiVersion(typeof object.apiVersion === "string" ? object.apiVersion : "");
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
  const data: Json = {
    request: {
      operation: "CREATE",
      object,
      oldObject: null,
      namespace,
      name: typeof metadata.name === "string" ? metadata.name : "",
      kind: { group, version, kind },
      userInfo: { username: "", groups: [] },
      roles: [],
      clusterRoles: [],
      dryRun: false,
    },
    serviceAccountName: "",
    serviceAccountNamespace: "",
  };
  if (withImages) data.images = imagesOf(object);
  return data;
}
