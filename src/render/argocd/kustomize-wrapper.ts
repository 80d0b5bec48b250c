/**
 * Argo CD's kustomize options for a source folder that has no kustomization of its own (the
 * options name the tool): Shipshape writes a kustomization in the scratch folder that has the
 * source folder as its only resource and the options as its fields. A folder with a
 * kustomization is edited instead, as Argo CD does (kustomize-edit.ts). Also the image
 * override syntax both read.
 */
import type { KustomizeOptions } from "./application.js";

export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Argo CD's image override syntax, `[old_image_name=]<image_name>:<image_tag>` or `@<digest>`, as kustomize's `edit set image` reads it. */
export function parseImageOverride(text: string): KustomizeImage | undefined {
  const eq = text.indexOf("=");
  const original = eq === -1 ? undefined : text.slice(0, eq);
  const rest = eq === -1 ? text : text.slice(eq + 1);
  if (rest === "" || original === "") return undefined;
  let image = rest;
  let newTag: string | undefined;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    image = rest.slice(0, at);
    digest = rest.slice(at + 1);
  } else {
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
      image = rest.slice(0, colon);
      newTag = rest.slice(colon + 1);
    }
  }
  const name = original ?? image;
  return {
    name,
    ...(original !== undefined && image !== original ? { newName: image } : {}),
    ...(newTag !== undefined ? { newTag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/**
 * The wrapping kustomization: `resources` is the relative way from the wrapper's folder to the
 * source folder (and `components` to its components); patches are inline text already read.
 */
export function wrapperKustomization(source: string, components: readonly string[], options: KustomizeOptions, patches: readonly unknown[]): Record<string, unknown> {
  const k: Record<string, unknown> = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [source],
  };
  if (components.length > 0) k.components = [...components];
  if (options.namePrefix) k.namePrefix = options.namePrefix;
  if (options.nameSuffix) k.nameSuffix = options.nameSuffix;
  if (options.namespace) k.namespace = options.namespace;
  if (options.commonLabels && Object.keys(options.commonLabels).length > 0) k.commonLabels = options.commonLabels;
  if (options.commonAnnotations && Object.keys(options.commonAnnotations).length > 0) k.commonAnnotations = options.commonAnnotations;
  const images = (options.images ?? []).map(parseImageOverride).filter((i): i is KustomizeImage => i !== undefined);
  if (images.length > 0) k.images = images;
  if (options.replicas && options.replicas.length > 0) k.replicas = options.replicas.map((r) => ({ name: r.name, count: Number(r.count) }));
  if (patches.length > 0) k.patches = [...patches];
  return k;
}
