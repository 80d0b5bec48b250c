/**
 * The `images` variable Kyverno adds for Pods and pod controllers:
 * `images.containers.<name>.{registry,path,name,tag,digest,reference,referenceWithTag}`
 * (also initContainers and ephemeralContainers).
 */
import type { Json } from "../model.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export interface ImageInfo {
  registry: string;
  path: string;
  name: string;
  tag: string;
  digest: string;
  reference: string;
  referenceWithTag: string;
}

export function parseImage(image: string): ImageInfo {
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = "";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash === -1 ? "" : rest.slice(0, slash);
  let registry = "docker.io";
  let path = rest;
  if (first && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    path = rest.slice(slash + 1);
  }
  if (!tag && !digest) tag = "latest";
  const name = path.slice(path.lastIndexOf("/") + 1);
  const reference = `${registry}/${path}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
  return { registry, path, name, tag, digest, reference, referenceWithTag: `${registry}/${path}:${tag}` };
}

function podSpec(object: Json): Json | undefined {
  const spec = isObj(object.spec) ? object.spec : undefined;
  if (!spec) return undefined;
  if (object.kind === "Pod") return spec;
  if (object.kind === "CronJob") {
    const jt = isObj(spec.jobTemplate) ? spec.jobTemplate : undefined;
    const js = jt && isObj(jt.spec) ? jt.spec : undefined;
    const tpl = js && isObj(js.template) ? js.template : undefined;
    return tpl && isObj(tpl.spec) ? tpl.spec : undefined;
  }
  const tpl = isObj(spec.template) ? spec.template : undefined;
  return tpl && isObj(tpl.spec) ? tpl.spec : undefined;
}

export function imagesOf(object: Json): Json {
  const spec = podSpec(object);
  if (!spec) return {};
  const out: Json = {};
  for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    const byName: Json = {};
    for (const c of list) {
      if (isObj(c) && typeof c.name === "string" && typeof c.image === "string") byName[c.name] = parseImage(c.image);
    }
    out[field] = byName;
  }
  return out;
}
