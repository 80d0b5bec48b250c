/**
 * The folders kustomize uses whatever the targets are, so that plain-manifest discovery leaves
 * them alone:
 * - the folder of every kustomization, reached by a target or not: a Component that nothing uses
 *   is no target, but its `$patch: delete` stubs are patches, not objects;
 * - the folders a kustomization takes patches, replacements, configurations, generator inputs and
 *   plugin configs from, at or below its own folder (`app/patches/`): files there are read by
 *   kustomize as patches, not applied, and a patch left unused beside them (kubebuilder's
 *   commented-out scaffolding) is no manifest either;
 * - a `patches/` folder directly in a kustomization's folder, used or not: kubebuilder scaffolds
 *   `config/crd/patches/` with patches the kustomization lists only in comments.
 * A folder above the kustomization (`../common/patch.yaml`) is not claimed: it may be someone's
 * manifests folder. Files of a claimed folder that a kustomization uses as resources are inputs of
 * its targets anyway; one that nothing uses is applied by nobody.
 */
import type { Tree } from "../../core/ports.js";
import { findKustomizationFile, isKustomizationFile, readKustomization } from "./kustomization-file.js";
import { PLUGIN_LISTS } from "./plugin-configs.js";
import { extractReferences, type Reference } from "./references.js";
import { dirOf, resolveRepoPath } from "../repo-path.js";

/**
 * Entries whose files kustomize reads as something other than resources. `crds` is left out: those
 * files are CustomResourceDefinitions that may well be applied elsewhere.
 */
const NOT_RESOURCES = new Set<string>(["patches", "patchesStrategicMerge", "patchesJson6902", "replacements", "configurations", "openapi", ...PLUGIN_LISTS]);
const isGeneratorInput = (field: string) => field.startsWith("configMapGenerator.") || field.startsWith("secretGenerator.");

export async function kustomizeClaims(tree: Tree): Promise<string[]> {
  const dirs = [...new Set(tree.files().filter(isKustomizationFile).map(dirOf))];
  const claimed = new Set(dirs);
  for (const dir of dirs) if (tree.hasDir(join(dir, "patches"))) claimed.add(join(dir, "patches"));
  for (const dir of dirs) {
    const file = findKustomizationFile(tree, dir);
    if (!file) continue;
    const parsed = await readKustomization(tree, file);
    if (!parsed.ok) continue;
    for (const ref of extractReferences(parsed.kustomization.value)) {
      const path = resolveRepoPath(dir, ref.value);
      if (path === undefined || !tree.hasFile(path)) continue;
      if (readsAsPatch(ref) && isAtOrBelow(dirOf(path), dir)) claimed.add(dirOf(path));
    }
  }
  return [...claimed].sort().map((d) => `${d}/*`);
}

function readsAsPatch(ref: Reference): boolean {
  return NOT_RESOURCES.has(ref.field) || isGeneratorInput(ref.field);
}

function join(dir: string, name: string): string {
  return dir === "." ? name : `${dir}/${name}`;
}

function isAtOrBelow(folder: string, dir: string): boolean {
  return dir === "." || folder === dir || folder.startsWith(`${dir}/`);
}
