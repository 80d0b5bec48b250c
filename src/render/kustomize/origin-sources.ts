/**
 * Reading kustomize's `config.kubernetes.io/origin` annotations into `Resource.source`. The
 * annotation is YAML: `path:` names the file a resource was read from and
 * `configuredIn:`/`configuredBy:` the kustomization and generator that produced it, both
 * relative to the directory kustomize built; `repo:`/`ref:` mark remote content, which
 * Shipshape never builds. The annotation is removed afterwards unless the user asked for it,
 * so it never reaches diffs, hashes or reports.
 */
import type { Resource, SourceLocation } from "../../core/model/resource.js";
import type { Tree } from "../../core/ports.js";
import { isPlainObject, lineOf, parseYamlMapping, parseYamlStream, type YamlParseResult } from "../../yaml/parse.js";
import { resolveRepoPath } from "../repo-path.js";

export const ORIGIN_ANNOTATION = "config.kubernetes.io/origin";

interface Origin {
  path?: string;
  repo?: string;
  configuredIn?: string;
  configuredBy?: { kind?: unknown };
}

/** The kustomization fields of the builtin generators, by the kind kustomize reports. */
const GENERATOR_FIELDS: Readonly<Record<string, string>> = {
  ConfigMapGenerator: "configMapGenerator",
  SecretGenerator: "secretGenerator",
};

/**
 * Gives each resource built in `targetDir` the repository file (and line, best effort) it
 * came from, and strips the annotation from the bodies when `strip` is set.
 */
export async function applyOrigins(resources: Resource[], targetDir: string, tree: Tree, strip: boolean): Promise<Resource[]> {
  const parse = parseOnce(tree);
  return Promise.all(
    resources.map(async (r) => {
      const origin = takeOrigin(r.body, strip);
      const found = origin ? await locate(r, origin, targetDir, tree, parse) : undefined;
      return found ? withSource(r, found) : r;
    }),
  );
}

/**
 * The same for a build of a kustomization Shipshape wrote outside the tree (a GitOps
 * application's wrapper): kustomize reports paths relative to the wrapper, and `toRepo` maps
 * each to the repository file it is (undefined: not one, no location). Annotations are removed.
 */
export async function applyWrapperOrigins(resources: Resource[], tree: Tree, toRepo: (path: string) => string | undefined): Promise<Resource[]> {
  const parse = parseOnce(tree);
  const mapped = (path: unknown): string | undefined => (typeof path === "string" ? toRepo(path) : undefined);
  return Promise.all(
    resources.map(async (r) => {
      const origin = takeOrigin(r.body, true);
      if (!origin || typeof origin.repo === "string") return r;
      const path = mapped(origin.path);
      const configuredIn = mapped(origin.configuredIn);
      // Unmapped paths (the wrapper itself, a scratch copy) give no location rather than a wrong one.
      const local: Origin = { ...(path ? { path } : {}), ...(configuredIn ? { configuredIn } : {}), ...(origin.configuredBy ? { configuredBy: origin.configuredBy } : {}) };
      if (origin.path !== undefined && !path) return r;
      if (origin.path === undefined && !configuredIn) return r;
      const found = await locate(r, local, ".", tree, parse);
      return found ? withSource(r, found) : r;
    }),
  );
}

/** Each file of the tree read and parsed at most once per build, however many objects come from it. */
function parseOnce(tree: Tree): (file: string) => Promise<YamlParseResult | undefined> {
  const files = new Map<string, Promise<YamlParseResult | undefined>>();
  return (file) => {
    let p = files.get(file);
    if (!p) {
      p = tree.read(file).then(parseYamlStream, () => undefined);
      files.set(file, p);
    }
    return p;
  };
}

type Located = SourceLocation & { locate?: Resource["locate"] };

function withSource(r: Resource, { locate, ...source }: Located): Resource {
  return { ...r, source, ...(locate ? { locate } : {}) };
}

function takeOrigin(body: Record<string, unknown>, strip: boolean): Origin | undefined {
  const metadata = body.metadata;
  if (!isPlainObject(metadata) || !isPlainObject(metadata.annotations)) return undefined;
  const annotations = metadata.annotations;
  const text = annotations[ORIGIN_ANNOTATION];
  if (strip) {
    delete annotations[ORIGIN_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
  }
  if (typeof text !== "string") return undefined;
  return parseYamlMapping(text).value as Origin | undefined;
}

async function locate(
  r: Resource,
  origin: Origin,
  targetDir: string,
  tree: Tree,
  parse: (file: string) => Promise<YamlParseResult | undefined>,
): Promise<Located | undefined> {
  if (typeof origin.repo === "string") return undefined;
  if (typeof origin.path === "string") {
    const file = resolveRepoPath(targetDir, origin.path);
    if (!file || !tree.hasFile(file)) return undefined;
    const parsed = await parse(file);
    const doc = parsed && documentOf(parsed, r);
    return { file, line: doc?.line ?? 1, ...(doc && parsed ? { locate: fieldLocator(doc, parsed) } : {}) };
  }
  if (typeof origin.configuredIn === "string") {
    const file = resolveRepoPath(targetDir, origin.configuredIn);
    if (!file || !tree.hasFile(file)) return undefined;
    const parsed = await parse(file);
    const kind = origin.configuredBy?.kind;
    const field = typeof kind === "string" ? GENERATOR_FIELDS[kind] : undefined;
    return { file, line: (parsed && field && generatorLine(parsed, field, r.name)) || 1 };
  }
  return undefined;
}

/**
 * The document a resource was read from: same kind and name, or a name the build extended
 * (namePrefix, nameSuffix), or the only document of that kind.
 */
function documentOf(parsed: YamlParseResult, r: Resource): YamlParseResult["docs"][number] | undefined {
  const sameKind = parsed.docs.filter((d) => isPlainObject(d.value) && d.value.kind === r.kind);
  const named = sameKind
    .map((d) => ({ d, name: nameOf(d.value) }))
    .filter((x): x is { d: (typeof sameKind)[number]; name: string } => x.name !== undefined && r.name.includes(x.name))
    .sort((a, b) => Number(b.name === r.name) - Number(a.name === r.name) || b.name.length - a.name.length);
  return named[0]?.d ?? (sameKind.length === 1 ? sameKind[0] : undefined) ?? (parsed.docs.length === 1 ? parsed.docs[0] : undefined);
}

/**
 * The line of a field in the file the object was read from, where that file writes it (a field
 * a patch added is not there: the caller falls back to the enclosing field, then the object).
 */
function fieldLocator(doc: YamlParseResult["docs"][number], parsed: YamlParseResult): (path: readonly (string | number)[]) => number | undefined {
  return (path) => (path.length === 0 ? doc.line : lineOf(doc, [...path], parsed.lineCounter));
}

/** The generator entry whose name the generated name is built from (`api-config` → `api-config-8f449m57m2`). */
function generatorLine(parsed: YamlParseResult, field: string, generatedName: string): number | undefined {
  const doc = parsed.docs[0];
  if (!doc || !isPlainObject(doc.value)) return undefined;
  const entries = doc.value[field];
  if (!Array.isArray(entries)) return undefined;
  let best: { index: number; length: number } | undefined;
  entries.forEach((entry, index) => {
    const name = isPlainObject(entry) && typeof entry.name === "string" ? entry.name : undefined;
    if (name && generatedName.includes(name) && (!best || name.length > best.length)) best = { index, length: name.length };
  });
  return best ? lineOf(doc, [field, best.index], parsed.lineCounter) : lineOf(doc, [field], parsed.lineCounter);
}

function nameOf(value: unknown): string | undefined {
  const metadata = isPlainObject(value) ? value.metadata : undefined;
  return isPlainObject(metadata) && typeof metadata.name === "string" ? metadata.name : undefined;
}
