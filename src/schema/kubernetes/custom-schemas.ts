/**
 * Finds the schema of a custom resource, cheapest source first:
 * 1. CRDs rendered in this run (`request.crds`) or among the resources being validated;
 * 2. CRD files matching `schema.crds` globs in the tree being validated;
 * 3. the catalog folder `schema.localSchemas` in the base tree, laid out like kubeconform's
 *    CRDs-catalog: {group}/{kind}_{version}.json, kind lower-cased (either case accepted);
 * 4. only when all of that fails, any YAML file in the tree that defines a CRD (e.g. a chart's
 *    crds/ folder, which `helm template` does not render), through a per-tree index that parses
 *    only the files that may define the kind asked for (crd-index.ts);
 * 5. last, the built-in CRDs of the GitOps controllers (Flux, Argo CD; controller-crds.ts),
 *    unless `schema.builtinCrds` is off: anything the change or the repository defines for the
 *    same group, version and kind wins, so a repository pinned to an older release keeps its own.
 */
import picomatch from "picomatch";
import type { Resource } from "../../core/model/resource.js";
import type { Tree, ValidationRequest } from "../../core/ports.js";
import { nestsDeeperThan, tooDeepMessage } from "../../yaml/depth.js";
import { parseYamlStream } from "../../yaml/parse.js";
import { ControllerCrds, type BuiltinServed } from "./controller-crds.js";
import { isCrd, schemasOfCrd, type CustomSchema } from "./crd-entries.js";
import { CrdIndex } from "./crd-index.js";
import { kindKey } from "./types.js";

export interface CustomSchemaOptions {
  crdGlobs: readonly string[];
  localSchemaDir?: string;
  schemaTree?: Tree;
  /** Fall back to the GitOps controllers' built-in CRDs (config `schema.builtinCrds`; default true). */
  builtinCrds?: boolean;
  /** Where the built-in CRDs live; defaults to the package's schemas/controllers. For tests. */
  builtinCrdDir?: string;
}

export interface RequestSchemas {
  find(apiVersion: string, kind: string): Promise<CustomSchema | undefined>;
  /** For a kind found nowhere: the versions the built-in CRDs cover for its group and kind. */
  builtinServed(apiVersion: string, kind: string): Promise<BuiltinServed | undefined>;
}

type SchemaMap = Map<string, CustomSchema>;

const READ_CONCURRENCY = 16;

export class CustomSchemaFinder {
  private readonly globbed = new WeakMap<Tree, Promise<SchemaMap>>();
  private readonly indexes = new WeakMap<Tree, CrdIndex>();
  private readonly local = new Map<string, Promise<CustomSchema | undefined>>();
  private readonly matchesGlob: (path: string) => boolean;
  private readonly builtin?: ControllerCrds;

  constructor(private readonly options: CustomSchemaOptions) {
    this.matchesGlob = options.crdGlobs.length > 0 ? picomatch([...options.crdGlobs], { dot: true }) : () => false;
    if (options.builtinCrds !== false) this.builtin = new ControllerCrds(options.builtinCrdDir);
  }

  /** A lookup for one request; rendered CRDs are indexed on first use. */
  forRequest(request: ValidationRequest): RequestSchemas {
    let rendered: SchemaMap | undefined;
    return {
      find: async (apiVersion, kind) => {
        const key = kindKey(apiVersion, kind);
        rendered ??= renderedSchemas(request);
        const found =
          rendered.get(key) ??
          (await this.globSchemas(request.tree)).get(key) ??
          (await this.localSchema(apiVersion, kind)) ??
          (await this.index(request.tree).find(key, apiVersion.slice(0, apiVersion.indexOf("/")), kind)) ??
          (await this.builtin?.find(apiVersion, kind));
        return found;
      },
      builtinServed: async (apiVersion, kind) => this.builtin?.served(apiVersion, kind),
    };
  }

  private globSchemas(tree: Tree): Promise<SchemaMap> {
    let pending = this.globbed.get(tree);
    if (!pending) {
      const files = this.options.crdGlobs.length > 0 ? tree.files().filter((f) => this.matchesGlob(f)) : [];
      pending = schemasInFiles(tree, files);
      this.globbed.set(tree, pending);
    }
    return pending;
  }

  private index(tree: Tree): CrdIndex {
    let index = this.indexes.get(tree);
    if (!index) {
      index = new CrdIndex(tree);
      this.indexes.set(tree, index);
    }
    return index;
  }

  private localSchema(apiVersion: string, kind: string): Promise<CustomSchema | undefined> {
    const { localSchemaDir, schemaTree } = this.options;
    const slash = apiVersion.indexOf("/");
    if (localSchemaDir === undefined || !schemaTree || slash === -1) return Promise.resolve(undefined);
    const key = kindKey(apiVersion, kind);
    let pending = this.local.get(key);
    if (!pending) {
      pending = readLocalSchema(schemaTree, localSchemaDir, apiVersion, kind);
      this.local.set(key, pending);
    }
    return pending;
  }
}

function renderedSchemas(request: ValidationRequest): SchemaMap {
  const out: SchemaMap = new Map();
  const add = (r: Resource) => {
    if (!isCrd(r.body)) return;
    for (const entry of schemasOfCrd(r.body, r.source?.file ?? `a CRD rendered by ${request.target.id}`)) {
      if (!out.has(entry.key)) out.set(entry.key, entry);
    }
  };
  for (const r of request.crds) add(r);
  for (const r of request.resources) add(r);
  return out;
}

/** CRDs defined in these files; unreadable or unparsable files are skipped. */
async function schemasInFiles(tree: Tree, files: readonly string[]): Promise<SchemaMap> {
  const out: SchemaMap = new Map();
  for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
    const batch = files.slice(i, i + READ_CONCURRENCY);
    const texts = await Promise.all(batch.map((f) => tree.read(f).catch(() => undefined)));
    batch.forEach((file, j) => {
      const text = texts[j];
      if (text === undefined) return;
      for (const doc of parseYamlStream(text).docs) {
        if (!isCrd(doc.value)) continue;
        for (const entry of schemasOfCrd(doc.value, file)) if (!out.has(entry.key)) out.set(entry.key, entry);
      }
    });
  }
  return out;
}

async function readLocalSchema(tree: Tree, dir: string, apiVersion: string, kind: string): Promise<CustomSchema | undefined> {
  const slash = apiVersion.indexOf("/");
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const base = dir.replace(/^\.\/?/, "").replace(/\/+$/, "");
  const folder = base ? `${base}/${group}` : group;
  for (const name of new Set([kind.toLowerCase(), kind])) {
    const path = `${folder}/${name}_${version}.json`;
    if (!tree.hasFile(path)) continue;
    const text = await tree.read(path).catch(() => undefined);
    if (text === undefined) continue;
    const entry: CustomSchema = { key: kindKey(apiVersion, kind), apiVersion, kind, schema: undefined, preserveAll: false, origin: path };
    try {
      const schema: unknown = JSON.parse(text);
      if (nestsDeeperThan(schema)) entry.problem = tooDeepMessage();
      else entry.schema = schema;
    } catch (err) {
      entry.problem = `not valid JSON (${(err as Error).message})`;
    }
    return entry;
  }
  return undefined;
}
