/**
 * Plain manifests: the files `kubectl apply -f <folder>` reads (see manifest-files.ts) that
 * belong to no kustomization, chart or Compose project. One target per folder; rendering is
 * parsing, as kubectl parses.
 */
import type { TargetSpec } from "../../core/model/target.js";
import { TreeReadError, type InputProblem, type InputSet, type Renderer, type RenderOutcome, type Tree } from "../../core/ports.js";
import type { Resource } from "../../core/model/resource.js";
import { READABLE_ERROR_RULES, yamlToResources, type ToResourcesResult } from "../to-resources.js";
import { dirOf, holdsObjects, isCandidate, isInChart, mayHoldObjects } from "./manifest-files.js";
import { patchDirective, patchDocumentProblem } from "./patch-documents.js";
import { holdsJinja, isRoleTemplatesFolder, roleTemplatesProblem } from "./ansible-templates.js";

export function createManifestsRenderer(): Renderer {
  // Parsed files by path and content digest: the base and head of a folder share most
  // files, and sharing the parsed objects also lets the diff see them as identical at once.
  // Resources are never mutated downstream (diff and validation copy what they change).
  const parsedFiles = new Map<string, ToResourcesResult>();
  const parse = async (tree: Tree, file: string, text: string): Promise<ToResourcesResult> => {
    const key = `${file}\u0000${await tree.digest(file)}`;
    let parsed = parsedFiles.get(key);
    if (!parsed) {
      parsed = yamlToResources(text, file);
      parsedFiles.set(key, parsed);
    }
    return parsed;
  };

  /**
   * Whether kubectl would find a Kubernetes object in the file, decided on its documents as
   * kubectl reads them. `inTarget`: the folder is already a manifests target, so kubectl reads
   * this file anyway and one it cannot read must be reported.
   */
  const isManifest = async (tree: Tree, file: string, inTarget: boolean): Promise<boolean> => {
    const text = await tree.read(file).catch((err: unknown) => (err instanceof TreeReadError && (err.reason === "too-large" || err.reason === "invalid-utf8") ? undefined : ""));
    // Too large or not UTF-8: a YAML file counts so that rendering reports it instead of skipping it.
    if (text === undefined) return inTarget || !file.toLowerCase().endsWith(".json");
    if (!mayHoldObjects(text)) return false;
    return holdsObjects(await parse(tree, file, text), text, inTarget);
  };

  const mayBeManifest = async (tree: Tree, file: string): Promise<boolean> => {
    const text = await tree.read(file).catch(() => undefined);
    return text === undefined || mayHoldObjects(text);
  };

  return {
    type: "manifests",
    discoverLast: true,

    async discover(tree, context) {
      const dirs = new Set<string>();
      for (const file of tree.files()) {
        if (dirs.has(dirOf(file)) || !isCandidate(tree, file) || isInChart(tree, file) || context.isOwned(file)) continue;
        if (await isManifest(tree, file, false)) dirs.add(dirOf(file));
      }
      return [...dirs].sort().map((path): TargetSpec => ({ id: path, type: "manifests", path }));
    },

    // Inputs only decide whether the folder is affected (and which changed files it reviews):
    // a file that may hold objects counts without being parsed. Parsing every file of an
    // untouched folder (20 MB of CRDs) cost seconds per review; `render` decides exactly.
    async inputs(target, tree): Promise<InputSet> {
      const files = new Set<string>();
      for (const file of filesIn(tree, target.path)) {
        if (await mayBeManifest(tree, file)) files.add(file);
      }
      return { files, blocking: [], warnings: [] };
    },

    async render(target, tree): Promise<RenderOutcome> {
      const resources: Resource[] = [];
      const warnings: InputProblem[] = [];
      const errors: InputProblem[] = [];
      const jinja: string[] = [];
      for (const file of filesIn(tree, target.path)) {
        if (!(await isManifest(tree, file, true))) continue;
        const text = await tree.read(file).catch((err: unknown) => {
          if (err instanceof TreeReadError) errors.push(err.toProblem());
          return undefined;
        });
        if (text === undefined) continue;
        const parsed = await parse(tree, file, text);
        if (holdsJinja(text) && parsed.problems.some((p) => p.severity === "error")) jinja.push(file);
        for (const r of parsed.resources) {
          // An error, but kept among the warnings: the rest of the folder still renders.
          if (patchDirective(r) !== undefined) warnings.push(patchDocumentProblem(r));
          else resources.push(r);
        }
        for (const p of parsed.problems) (p.severity === "error" && !READABLE_ERROR_RULES.has(p.ruleId) ? errors : warnings).push(p);
      }
      // Jinja in an Ansible role's templates: not reviewed, said with a warning (ansible-templates.ts).
      if (errors.length > 0 && isRoleTemplatesFolder(target.path) && errors.every((e) => e.file !== undefined && jinja.includes(e.file))) {
        return { status: "invalid", problems: [roleTemplatesProblem(target.path, jinja)] };
      }
      if (errors.length > 0) return { status: "invalid", problems: errors };
      return { status: "ok", resources, warnings };
    },

    async info() {
      return { name: "manifests (built-in)", version: null };
    },
  };
}

function filesIn(tree: Tree, dir: string): string[] {
  return tree.files().filter((f) => dirOf(f) === dir && isCandidate(tree, f));
}
