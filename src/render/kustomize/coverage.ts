/**
 * What coverage asks of kustomize: the parts of a target that may build alone (its bases and
 * overlays, Components left out: a Component cannot build on its own), and why a changed file
 * that no target reads still belongs to a kustomization (an unused Component, a stray file
 * in a kustomization's folder).
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { InputSet, Tree, UnreadContext } from "../../core/ports.js";
import { dirOf } from "../repo-path.js";
import { findKustomizationFile, isKustomizationFile, readKustomization } from "./kustomization-file.js";

/** Files kustomize reads as configuration; other files in its folders (docs, scripts) are not infrastructure. */
const KUSTOMIZE_FILE = /(\.(ya?ml|json)|(^|\/)Kustomization)$/;

export async function kustomizeParts(target: TargetSpec, tree: Tree, inputs: InputSet): Promise<TargetSpec[]> {
  const dirs = [...inputs.files].filter(isKustomizationFile).map(dirOf).filter((d) => d !== target.path);
  const kinds = await Promise.all(dirs.map((d) => kindOf(tree, d)));
  return dirs.filter((_, i) => kinds[i] === "Kustomization").map((dir) => ({ id: dir, type: "kustomize", path: dir }));
}

export async function explainUnreadKustomize(path: string, tree: Tree, context: UnreadContext): Promise<string | undefined> {
  if (!KUSTOMIZE_FILE.test(path) || path.split("/").some((part) => part.startsWith("."))) return undefined;
  for (let dir = dirOf(path); ; dir = dirOf(dir)) {
    const file = findKustomizationFile(tree, dir);
    if (file) return describe(path, dir, file, await kindOf(tree, dir), context);
    if (dir === ".") return undefined;
  }
}

function describe(path: string, dir: string, file: string, kind: string | undefined, context: UnreadContext): string {
  const used = context.isInput(file) || context.isTarget(dir, "kustomize");
  if (kind === "Component") {
    const what = path === file ? `it is the kustomization file of Component ${dir}` : `it is in kustomize Component ${dir}`;
    return used ? `${what}, which does not use it` : `${what}, which no target uses`;
  }
  if (path === file) return `it is the kustomization file of ${dir}, which no target builds`;
  return used ? `it is in the folder of kustomization ${dir}, which does not use it` : `it is in kustomization ${dir}, which no target builds`;
}

/** "Component", "Kustomization", or undefined when the file does not parse (it stays a target then). */
async function kindOf(tree: Tree, dir: string): Promise<string | undefined> {
  const file = findKustomizationFile(tree, dir);
  if (!file) return undefined;
  const parsed = await readKustomization(tree, file);
  if (!parsed.ok) return undefined;
  return parsed.kustomization.value.kind === "Component" ? "Component" : "Kustomization";
}
