/**
 * Plain manifests: YAML files with apiVersion and kind that belong to no kustomization,
 * chart or Compose project. One target per directory; rendering is parsing.
 */
import type { TargetSpec } from "../../core/model/target.js";
import { TreeReadError, type InputProblem, type InputSet, type Renderer, type RenderOutcome, type Tree } from "../../core/ports.js";
import type { Resource } from "../../core/model/resource.js";
import { MERGE_CONFLICT_RULE, yamlToResources, type ToResourcesResult } from "../to-resources.js";

const YAML_FILE = /\.ya?ml$/i;
/** Files that are YAML but never manifests, whatever they contain. */
const NOT_MANIFESTS = /(^|\/)(kustomization\.ya?ml|Kustomization|Chart\.ya?ml|values[^/]*\.ya?ml|\.shipshape\.ya?ml)$/;
/** A cheap look at the text before parsing: both keys at the start of a line. */
const LOOKS_LIKE_MANIFEST = /^\s*apiVersion\s*:/m;
const HAS_KIND = /^\s*kind\s*:/m;

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
  return {
    type: "manifests",
    discoverLast: true,

    async discover(tree, context) {
      const dirs = new Set<string>();
      for (const file of tree.files()) {
        if (!isCandidate(file) || context.isOwned(file) || dirs.has(dirOf(file))) continue;
        if (await looksLikeManifest(tree, file)) dirs.add(dirOf(file));
      }
      return [...dirs].sort().map((path): TargetSpec => ({ id: path, type: "manifests", path }));
    },

    async inputs(target, tree): Promise<InputSet> {
      const files = new Set<string>();
      for (const file of filesIn(tree, target.path)) {
        if (await looksLikeManifest(tree, file)) files.add(file);
      }
      return { files, blocking: [], warnings: [] };
    },

    async render(target, tree): Promise<RenderOutcome> {
      const resources: Resource[] = [];
      const warnings: InputProblem[] = [];
      const errors: InputProblem[] = [];
      for (const file of filesIn(tree, target.path)) {
        if (!(await looksLikeManifest(tree, file))) continue;
        const text = await tree.read(file).catch((err: unknown) => {
          if (err instanceof TreeReadError) errors.push(err.toProblem());
          return undefined;
        });
        if (text === undefined) continue;
        const parsed = await parse(tree, file, text);
        resources.push(...parsed.resources);
        for (const p of parsed.problems) (p.severity === "error" && p.ruleId !== MERGE_CONFLICT_RULE ? errors : warnings).push(p);
      }
      if (errors.length > 0) return { status: "invalid", problems: errors };
      return { status: "ok", resources, warnings };
    },

    async info() {
      return { name: "manifests (built-in)", version: null };
    },
  };
}

function isCandidate(file: string): boolean {
  return YAML_FILE.test(file) && !NOT_MANIFESTS.test(file) && !file.split("/").some((s) => s.startsWith(".") && s !== ".");
}

function dirOf(file: string): string {
  const i = file.lastIndexOf("/");
  return i === -1 ? "." : file.slice(0, i);
}

function filesIn(tree: Tree, dir: string): string[] {
  return tree.files().filter((f) => dirOf(f) === dir && isCandidate(f));
}

/**
 * Files too large to read, or not UTF-8, count as manifests so that rendering reports them
 * instead of skipping them.
 */
async function looksLikeManifest(tree: Tree, file: string): Promise<boolean> {
  const text = await tree.read(file).catch((err: unknown) => (err instanceof TreeReadError && (err.reason === "too-large" || err.reason === "invalid-utf8") ? undefined : ""));
  if (text === undefined) return true;
  return LOOKS_LIKE_MANIFEST.test(text) && HAS_KIND.test(text);
}
