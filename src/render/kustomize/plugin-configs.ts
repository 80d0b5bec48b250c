/**
 * kustomize's builtin plugin configs, read as kustomize reads them. Entries of `generators:`,
 * `transformers:` and `validators:` are KRM objects (inline YAML, or files of them) such as
 * `apiVersion: builtin, kind: ConfigMapGenerator`, and their own fields name files (`files`,
 * `envs`, `path`, `paths`, …). kustomize's loader fetches an http(s) path before its load
 * restrictor looks at it, so every path a config names goes through the same checks as the
 * kustomization's own fields.
 *
 * How kustomize reads them (api/internal/plugins/loader, api/internal/builtins, v5):
 * - an entry is inline when `NewResMapFromBytes` accepts it: YAML documents that are objects with
 *   a `kind` and a `metadata.name` (or a kind ending in `List`); otherwise it is a path;
 * - `…List` objects with `items` are replaced by their items (recursively);
 * - a config is builtin when its apiVersion has no group and the version `builtin`; a kind
 *   outside the builtin list fails, and non-builtin plugins need --enable-alpha-plugins, which
 *   Shipshape never passes. Here both are refused with a finding rather than passed on;
 * - the builtins decode their config with sigs.k8s.io/yaml, that is Go's encoding/json: field
 *   names match case-insensitively, so every spelling of a field is read (the union: a path
 *   under any of them is checked), and `!!binary` scalars are strings.
 * Pure: no tree, no I/O.
 */
import type { MergeConflict } from "../../yaml/merge-keys.js";
import { isPlainObject, parseYamlStream } from "../../yaml/parse.js";
import { foldKey } from "./field-names.js";
import { goStrings } from "./go-values.js";
import { isDefinitelyRemote } from "./remote.js";

/** The kustomization fields whose entries are plugin configs (or paths to them). */
export const PLUGIN_LISTS = ["generators", "transformers", "validators"] as const;

/** A path a plugin config names, resolved by kustomize against the kustomization's folder. */
export interface PluginPath {
  /** The config field, as the finding names it (`files`, `replacements[0].path`). */
  field: string;
  value: string;
  /** Key path to the value inside the config object, for line numbers. */
  keyPath: (string | number)[];
}

/** One builtin plugin config. */
export interface PluginConfig {
  kind: string;
  config: Record<string, unknown>;
  /** Key path of the config inside its document (under a List's `items`). */
  keyPath: (string | number)[];
  paths: PluginPath[];
}

/** A config Shipshape refuses: not builtin, a kind it cannot read, Helm inflation, an odd shape. */
export interface PluginRefusal {
  ruleId: "render/kustomize-plugin" | "render/kustomize-helm";
  message: string;
  keyPath: (string | number)[];
}

export interface PluginRead {
  configs: PluginConfig[];
  refusals: PluginRefusal[];
}

type PathReader = (config: Record<string, unknown>) => PluginPath[];

const noPaths: PathReader = () => [];

/** GeneratorArgs with its inlined KvPairSources (`files` entries may be `key=path`). */
const generatorPaths: PathReader = (config) => [
  ...fieldStrings(config, "files").map((p) => ({ ...p, value: afterEquals(p.value) })),
  ...fieldStrings(config, "envs"),
  ...fieldStrings(config, "env"),
];

const patchPath: PathReader = (config) => fieldStrings(config, "path");

/** Each of `paths` is inline patch YAML when kustomize can read it as objects, else a file. */
const strategicMergePaths: PathReader = (config) => fieldStrings(config, "paths").filter((p) => !isInlineObjects(p.value));

const replacementPaths: PathReader = (config) =>
  fieldValues(config, "replacements").flatMap(({ key, value }) =>
    Array.isArray(value)
      ? value.flatMap((entry, i) =>
          isPlainObject(entry) ? fieldStrings(entry, "path").map((p) => ({ ...p, field: `${key}[${i}].${p.field}`, keyPath: [key, i, ...p.keyPath] })) : [],
        )
      : [],
  );

/**
 * kustomize's builtin plugins (api/internal/plugins/builtinhelpers/builtins.go), each with the
 * fields that name files it loads. HelmChartInflationGenerator is refused apart: it fetches
 * charts and needs --enable-helm.
 */
const BUILTIN_PLUGINS: Readonly<Record<string, PathReader>> = {
  AnnotationsTransformer: noPaths,
  ConfigMapGenerator: generatorPaths,
  IAMPolicyGenerator: noPaths,
  HashTransformer: noPaths,
  ImageTagTransformer: noPaths,
  LabelTransformer: noPaths,
  NamespaceTransformer: noPaths,
  PatchJson6902Transformer: patchPath,
  PatchStrategicMergeTransformer: strategicMergePaths,
  PatchTransformer: patchPath,
  PrefixSuffixTransformer: noPaths,
  PrefixTransformer: noPaths,
  SuffixTransformer: noPaths,
  ReplicaCountTransformer: noPaths,
  SecretGenerator: generatorPaths,
  ValueAddTransformer: noPaths,
  ReplacementTransformer: replacementPaths,
};

const HELM_PLUGIN = "HelmChartInflationGenerator";

/** The objects of an inline entry, and the `<<` merges whose meaning depends on the reader. */
export interface InlineEntry {
  objects: Record<string, unknown>[];
  mergeConflicts: MergeConflict[];
}

/**
 * An inline entry's objects, or undefined when kustomize would read the entry as a path.
 * A one-line entry that is a URL or a git reference is a path whatever else it parses as, so
 * the remote check sees it (`http://host/x?a: b` is also a one-key YAML mapping).
 */
export function inlineObjects(text: string): InlineEntry | undefined {
  if (!text.includes("\n") && isDefinitelyRemote(text.trim())) return undefined;
  const parsed = parseYamlStream(text);
  if (parsed.errors.length > 0 || parsed.docs.length === 0) return undefined;
  const objects: Record<string, unknown>[] = [];
  for (const doc of parsed.docs) {
    const value = goStrings(doc.value);
    if (!isKrmObject(value)) return undefined;
    objects.push(value);
  }
  return { objects, mergeConflicts: parsed.mergeConflicts };
}

export function isInlineObjects(text: string): boolean {
  return inlineObjects(text) !== undefined;
}

/** kyaml's GetValidatedMetadata: a kind, and a name unless it is a list. */
function isKrmObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value) || typeof value.kind !== "string" || value.kind === "") return false;
  if (value.kind.endsWith("List")) return true;
  return isPlainObject(value.metadata) && typeof value.metadata.name === "string" && value.metadata.name !== "";
}

/**
 * Reads the configs of one document (a whole inline entry's documents are read one by one):
 * lists are expanded, every config must be a builtin Shipshape knows, and each one's paths
 * are listed. `text` parse problems and merge conflicts are the caller's (it has the file).
 */
export function readPluginObject(value: unknown): PluginRead {
  const out: PluginRead = { configs: [], refusals: [] };
  collect(goStrings(value), [], out, 0);
  return out;
}

/** Lists inside lists are expanded too; this bounds a hostile nesting. */
const MAX_LIST_DEPTH = 8;

function collect(value: unknown, keyPath: (string | number)[], out: PluginRead, depth: number): void {
  const refuse = (message: string): void => {
    out.refusals.push({ ruleId: "render/kustomize-plugin", message, keyPath });
  };
  if (!isPlainObject(value)) return refuse("is not an object");
  const kind = typeof value.kind === "string" ? value.kind : "";
  if (kind.endsWith("List") && Object.hasOwn(value, "items")) {
    if (value.items === null) return;
    if (!Array.isArray(value.items)) return refuse(`is a ${kind} whose items are not a list`);
    if (depth >= MAX_LIST_DEPTH) return refuse(`nests lists more than ${MAX_LIST_DEPTH} deep`);
    value.items.forEach((item, i) => collect(item, [...keyPath, "items", i], out, depth + 1));
    return;
  }
  const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : "";
  const label = `${shown(apiVersion)}, kind ${shown(kind)}`;
  if (!isBuiltinApiVersion(apiVersion)) {
    return refuse(
      `configures the plugin ${label}, which is not a kustomize builtin (apiVersion: builtin); ` +
        "Shipshape runs kustomize without plugins. Use a builtin plugin or a kustomization field instead",
    );
  }
  if (kind === HELM_PLUGIN) {
    const message = `configures ${HELM_PLUGIN}, which is not supported: inflating charts fetches them from the network. Render the chart as a helm target instead`;
    out.refusals.push({ ruleId: "render/kustomize-helm", message, keyPath });
    return;
  }
  const reader = Object.hasOwn(BUILTIN_PLUGINS, kind) ? BUILTIN_PLUGINS[kind] : undefined;
  if (!reader) return refuse(`configures the builtin plugin kind ${shown(kind)}, which Shipshape does not know how to read; it is refused rather than passed to kustomize`);
  out.configs.push({ kind, config: value, keyPath, paths: reader(value) });
}

/** Repository text in a message: quoted, and short. */
function shown(text: string): string {
  if (text === "") return "(none)";
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** resid.ParseGroupVersion: the group is what comes before the first "/", if any. */
function isBuiltinApiVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  return group === "" && version === "builtin";
}

/** Every key of `obj` that Go's encoding/json matches to the field `name`, with its value. */
export function fieldValues(obj: Record<string, unknown>, name: string): { key: string; value: unknown }[] {
  const folded = foldKey(name);
  return Object.entries(obj)
    .filter(([key]) => foldKey(key) === folded)
    .map(([key, value]) => ({ key, value }));
}

/** The strings of a field that holds a string or a list of strings, under every spelling. */
export function fieldStrings(obj: Record<string, unknown>, name: string): PluginPath[] {
  const out: PluginPath[] = [];
  for (const { key, value } of fieldValues(obj, name)) {
    if (typeof value === "string") {
      if (value.trim() !== "") out.push({ field: key, value: value.trim(), keyPath: [key] });
      continue;
    }
    if (!Array.isArray(value)) continue;
    value.forEach((entry, i) => {
      if (typeof entry === "string" && entry.trim() !== "") out.push({ field: key, value: entry.trim(), keyPath: [key, i] });
    });
  }
  return out;
}

/** "key=path" names the key in the generated object; the file is after the "=". */
function afterEquals(value: string): string {
  const eq = value.indexOf("=");
  return eq === -1 ? value : value.slice(eq + 1);
}
