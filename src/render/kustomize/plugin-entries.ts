/**
 * The builtin plugin configs a kustomization configures through `generators:`,
 * `transformers:` and `validators:`: inline entries, files of KRM objects, and kustomization
 * folders whose resources are configs. Read from the tree here (plugin-configs.ts reads one
 * object); the input walk checks the paths they name, and known-secrets.ts collects what
 * SecretGenerator configs hold. An entry that names nothing readable (missing, remote,
 * outside) is left to the walk, which reports it as it reports any other path.
 */
import { TreeReadError, type Tree } from "../../core/ports.js";
import { lineOf, parseYamlStream, type YamlDoc, type YamlParseResult } from "../../yaml/parse.js";
import { at, resolveRepoPath } from "../repo-path.js";
import { findKustomizationFile, readKustomization, type ParsedKustomization } from "./kustomization-file.js";
import { inlineObjects, PLUGIN_LISTS, readPluginObject, type PluginConfig, type PluginRefusal } from "./plugin-configs.js";

/** A config and where it is written. */
export interface FoundPlugin {
  config: PluginConfig;
  /** The kustomization entry that leads to it (`generators[0]`). */
  entry: string;
  file: string;
  line?: number;
  /** The line of one of its paths, when the config is in a file of its own. */
  lineOfPath(keyPath: (string | number)[]): number | undefined;
}

export interface PluginProblem {
  ruleId: string;
  message: string;
  file: string;
  line?: number;
}

export interface PluginEntries {
  plugins: FoundPlugin[];
  problems: PluginProblem[];
}

/** Only these fields may be set by a kustomization folder used as a source of plugin configs. */
const CONFIG_FOLDER_FIELDS = new Set(["apiVersion", "kind", "metadata", "resources", "bases"]);
/** Folders of configs listing folders of configs: a bound on hostile nesting. */
const MAX_FOLDER_DEPTH = 8;

interface Reading {
  tree: Tree;
  out: PluginEntries;
  /** Folders already read as sources of configs (a cycle is the walk's to report). */
  folders: Set<string>;
}

export async function readPluginEntries(tree: Tree, k: ParsedKustomization, dir: string): Promise<PluginEntries> {
  const reading: Reading = { tree, out: { plugins: [], problems: [] }, folders: new Set() };
  for (const field of PLUGIN_LISTS) {
    const list = k.value[field];
    if (!Array.isArray(list)) continue;
    for (const [i, value] of list.entries()) {
      if (typeof value !== "string" || value.trim() === "") continue;
      const entry = `${field}[${i}]`;
      const line = k.doc ? lineOf(k.doc, [field, i], k.lineCounter) : undefined;
      const inline = inlineObjects(value);
      if (inline) {
        // kustomize reads inline configs with kyaml, which lets a key win over a later `<<`.
        const conflict = inline.mergeConflicts[0];
        if (conflict) reading.out.problems.push(unreadableProblem(k.file, line, entry, conflict.message));
        else for (const object of inline.objects) addObject(reading, object, { entry, file: k.file, line });
        continue;
      }
      const path = resolveRepoPath(dir, value.trim());
      if (path !== undefined) await readSource(reading, path, entry, 0);
    }
  }
  return reading.out;
}

interface Place {
  entry: string;
  file: string;
  line: number | undefined;
  doc?: YamlDoc;
  parsed?: YamlParseResult;
}

function addObject(reading: Reading, object: unknown, place: Place): void {
  const read = readPluginObject(object);
  const lineAt = (keyPath: (string | number)[]) => (place.doc && place.parsed ? lineOf(place.doc, keyPath, place.parsed.lineCounter) : undefined) ?? place.line;
  for (const config of read.configs) {
    reading.out.plugins.push({
      config,
      entry: place.entry,
      file: place.file,
      ...optionalLine(lineAt(config.keyPath)),
      lineOfPath: (keyPath) => lineAt([...config.keyPath, ...keyPath]),
    });
  }
  for (const refusal of read.refusals) reading.out.problems.push(refusalProblem(refusal, place, lineAt(refusal.keyPath)));
}

/** A file of configs, or a kustomization folder whose resources are configs. */
async function readSource(reading: Reading, path: string, entry: string, depth: number): Promise<void> {
  if (reading.tree.hasFile(path)) return readConfigFile(reading, path, entry);
  if (!reading.tree.hasDir(path) || reading.folders.has(path)) return;
  reading.folders.add(path);
  const file = findKustomizationFile(reading.tree, path);
  if (!file) return;
  const parsed = await readKustomization(reading.tree, file);
  // An unreadable kustomization is reported by the walk, which visits this folder too.
  if (!parsed.ok) return;
  const extra = Object.keys(parsed.kustomization.value).filter((key) => !CONFIG_FOLDER_FIELDS.has(key) && !isEmpty(parsed.kustomization.value[key]));
  if (extra.length > 0 || depth >= MAX_FOLDER_DEPTH) {
    const why = extra.length > 0 ? `sets ${extra.join(", ")}, which can change the configs it lists` : `nests folders of configs more than ${MAX_FOLDER_DEPTH} deep`;
    reading.out.problems.push({
      ruleId: "render/kustomize-plugin",
      message:
        `${file}: this kustomization is the ${entry} entry of another one, so what it builds configures kustomize plugins, and it ${why}. ` +
        "Shipshape reads plugin configs from a folder only when its kustomization just lists them in resources; list the config files directly instead.",
      file,
    });
    return;
  }
  for (const field of ["resources", "bases"] as const) {
    const list = parsed.kustomization.value[field];
    if (!Array.isArray(list)) continue;
    for (const value of list) {
      if (typeof value !== "string") continue;
      const next = resolveRepoPath(path, value.trim());
      if (next !== undefined) await readSource(reading, next, entry, depth + 1);
    }
  }
}

async function readConfigFile(reading: Reading, file: string, entry: string): Promise<void> {
  let text: string;
  try {
    text = await reading.tree.read(file);
  } catch (err) {
    if (!(err instanceof TreeReadError)) throw err;
    const problem = err.toProblem();
    reading.out.problems.push({ ruleId: problem.ruleId, message: problem.message, file, ...optionalLine(problem.line) });
    return;
  }
  const parsed = parseYamlStream(text);
  const unreadable = parsed.errors[0] ?? parsed.mergeConflicts[0];
  if (unreadable) {
    reading.out.problems.push(unreadableProblem(file, unreadable.line, entry, unreadable.message));
    return;
  }
  for (const doc of parsed.docs) addObject(reading, doc.value, { entry, file, line: doc.line, doc, parsed });
}

function unreadableProblem(file: string, line: number | undefined, entry: string, why: string): PluginProblem {
  return {
    ruleId: "render/kustomize-plugin",
    message: `${at(file, line)}: the ${entry} entry's plugin configs cannot be read as kustomize reads them: ${why}`,
    file,
    ...optionalLine(line),
  };
}

function refusalProblem(refusal: PluginRefusal, place: Place, line: number | undefined): PluginProblem {
  const where = place.doc ? `${at(place.file, line)}: the ${place.entry} entry's config` : `${at(place.file, line)}: the ${place.entry} entry`;
  return { ruleId: refusal.ruleId, message: `${where} ${refusal.message}.`, file: place.file, ...optionalLine(line) };
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

function optionalLine(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}
