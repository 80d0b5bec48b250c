/**
 * Argo CD applies an Application's kustomize options by running `kustomize edit` in the
 * source folder before `kustomize build`: `set nameprefix`, `set namesuffix`, `set image`,
 * `set replicas`, `add label --force`, `add annotation --force`, `set namespace`, then patches
 * appended and `add component`. Each edits the folder's own kustomization, so a prefix,
 * suffix or namespace *replaces* the folder's, an image or replica entry of the same name is
 * updated, a label of the same key overwritten. This is the same edit done on a parsed copy
 * of the kustomization, which the renderer writes into a scratch copy of the folder's files
 * (the repository's files are never edited).
 */
import type { KustomizeOptions } from "./application.js";
import { parseImageOverride, type KustomizeImage } from "./kustomize-wrapper.js";

type Kustomization = Record<string, unknown>;

/** `kustomization` as `kustomize edit` leaves it after Argo CD's commands for `options`; `patches` are already inline. */
export function editKustomization(kustomization: Kustomization, options: KustomizeOptions, patches: readonly unknown[]): Kustomization {
  const k: Kustomization = { ...kustomization };
  if (options.namePrefix) k.namePrefix = options.namePrefix;
  if (options.nameSuffix) k.nameSuffix = options.nameSuffix;
  const images = (options.images ?? []).map(parseImageOverride).filter((i): i is KustomizeImage => i !== undefined);
  if (images.length > 0) k.images = setImages(list(k.images), images);
  if (options.replicas && options.replicas.length > 0) k.replicas = setReplicas(list(k.replicas), options.replicas);
  if (options.commonLabels && Object.keys(options.commonLabels).length > 0) k.commonLabels = { ...map(k.commonLabels), ...options.commonLabels };
  if (options.commonAnnotations && Object.keys(options.commonAnnotations).length > 0) k.commonAnnotations = { ...map(k.commonAnnotations), ...options.commonAnnotations };
  if (options.namespace) k.namespace = options.namespace;
  if (patches.length > 0) k.patches = [...list(k.patches), ...patches];
  const components = options.components ?? [];
  if (components.length > 0) {
    const existing = list(k.components);
    k.components = [...existing, ...components.filter((c) => !existing.includes(c))];
  }
  return k;
}

/** `kustomize edit set image`: an entry of the same name takes the new name, tag or digest (a tag drops the digest and back). */
function setImages(existing: unknown[], images: readonly KustomizeImage[]): unknown[] {
  const out = existing.map((e) => (map(e) ? { ...map(e) } : e)) as unknown[];
  for (const image of images) {
    const found = out.find((e) => map(e)?.name === image.name) as Record<string, unknown> | undefined;
    if (!found) {
      out.push({ ...image });
      continue;
    }
    if (image.newName) found.newName = image.newName;
    if (image.newTag) {
      found.newTag = image.newTag;
      delete found.digest;
    }
    if (image.digest) {
      found.digest = image.digest;
      delete found.newTag;
    }
  }
  return out;
}

/** `kustomize edit set replicas`: an entry of the same name takes the new count. */
function setReplicas(existing: unknown[], replicas: readonly { name: string; count: number | string }[]): unknown[] {
  const out = existing.map((e) => (map(e) ? { ...map(e) } : e)) as unknown[];
  for (const r of replicas) {
    const count = Number(r.count);
    const found = out.find((e) => map(e)?.name === r.name) as Record<string, unknown> | undefined;
    if (found) found.count = count;
    else out.push({ name: r.name, count });
  }
  return out;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function map(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
