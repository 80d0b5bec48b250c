/** The pod (metadata and spec) of a Pod or of a pod controller's template. */
import type { Json } from "../model.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export interface PodTemplate {
  metadata: Json;
  spec: Json;
  /** Dotted path of the pod template inside the resource ("" for a Pod). */
  prefix: string;
}

function at(obj: Json, path: string[]): Json | undefined {
  let cur: unknown = obj;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return isObj(cur) ? cur : undefined;
}

export function podTemplateOf(object: Json): PodTemplate | undefined {
  if (object.kind === "Pod") {
    const spec = at(object, ["spec"]);
    return spec ? { metadata: at(object, ["metadata"]) ?? {}, spec, prefix: "" } : undefined;
  }
  const base = object.kind === "CronJob" ? ["spec", "jobTemplate", "spec", "template"] : ["spec", "template"];
  const spec = at(object, [...base, "spec"]);
  return spec ? { metadata: at(object, [...base, "metadata"]) ?? {}, spec, prefix: base.join(".") } : undefined;
}
