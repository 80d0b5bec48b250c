/**
 * Argo CD Applications in the repository's YAML files, wherever they are (outside charts,
 * whose templates are not YAML yet). Each Application becomes one target, `argocd:<ns>/<name>`,
 * whose path is the folder it renders when its source is this repository, else the folder of
 * the file that defines it (it then renders as "not reviewed").
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { Resource } from "../../core/model/resource.js";
import type { InputProblem, Tree } from "../../core/ports.js";
import { isInChart } from "../manifests/manifest-files.js";
import { dirOf, resolveRepoPath } from "../repo-path.js";
import { yamlToResources } from "../to-resources.js";
import { applicationTargetId, isApplication, readApplication, type Application, type ApplicationSource } from "./application.js";
import { APPLICATIONSET_SUFFIX, expandApplicationSet, isApplicationSet } from "./appset/applicationset.js";

const YAML_FILE = /\.(ya?ml|json)$/i;
/** Both words must be in a file that defines an Application; most files are skipped unparsed. */
const MAY_HOLD = (text: string) => text.includes("argoproj.io") && text.includes("Application");
const MAY_HOLD_SET = (text: string) => text.includes("argoproj.io") && text.includes("ApplicationSet");

export interface FoundApplication {
  app?: Application;
  problems: InputProblem[];
  /**
   * An ApplicationSet (its own entry, before the Applications it generates): the Application
   * objects it generates, what it read, and why some or all could not be generated.
   */
  appset?: { name: string; namespace: string; line?: number; bodies: Record<string, unknown>[]; problems: InputProblem[]; read: string[] };
  /** Files besides the defining one that this entry was made from (a git files generator's files). */
  read?: string[];
}

/** Every Application of one file, in order; `index` counts Application objects only. */
export function applicationsIn(text: string, file: string): FoundApplication[] {
  if (!MAY_HOLD(text)) return [];
  const parsed = yamlToResources(text, file);
  const out: FoundApplication[] = [];
  for (const r of parsed.resources) {
    if (!isApplication(r)) continue;
    out.push(readApplication(r, file, out.length));
  }
  return out;
}

/**
 * The Applications of one file of the tree: those written in it (in order), then those its
 * ApplicationSets generate, each ApplicationSet in turn. An ApplicationSet that cannot be
 * evaluated is one entry without an Application. Cached per tree: generators may read files.
 */
export function applicationsOfFile(tree: Tree, file: string, isLocal: (repoURL: string) => boolean): Promise<FoundApplication[]> {
  let perTree = cache.get(tree);
  if (!perTree) cache.set(tree, (perTree = new WeakMap()));
  let perMatcher = perTree.get(isLocal);
  if (!perMatcher) perTree.set(isLocal, (perMatcher = new Map()));
  let found = perMatcher.get(file);
  if (!found) perMatcher.set(file, (found = readFileApplications(tree, file, isLocal)));
  return found;
}

const cache = new WeakMap<Tree, WeakMap<object, Map<string, Promise<FoundApplication[]>>>>();

async function readFileApplications(tree: Tree, file: string, isLocal: (repoURL: string) => boolean): Promise<FoundApplication[]> {
  const text = await tree.read(file).catch(() => "");
  const out = applicationsIn(text, file);
  if (!MAY_HOLD_SET(text)) return out;
  for (const r of yamlToResources(text, file).resources) {
    if (!isApplicationSet(r)) continue;
    const generated = await expandApplicationSet(r, file, out.length, tree, isLocal);
    const read = generated.read.filter((f) => f !== file);
    const files = [...new Set([...read, ...generated.apps.flatMap((a) => a.generatedFrom ?? [])])];
    const appset = { name: generated.name, namespace: generated.namespace, ...(r.source?.line !== undefined ? { line: r.source.line } : {}), bodies: generated.bodies, problems: generated.problems, read: files };
    out.push({ problems: generated.apps.length === 0 ? generated.problems : [], appset, read });
    for (const app of generated.apps) out.push({ app: { ...app, index: out.length }, problems: [], read: [...read, ...(app.generatedFrom ?? [])] });
  }
  return out;
}

export async function discoverApplications(tree: Tree, isLocal: (repoURL: string) => boolean): Promise<TargetSpec[]> {
  const byId = new Map<string, TargetSpec>();
  for (const file of tree.files()) {
    if (!YAML_FILE.test(file) || isInChart(tree, file)) continue;
    for (const [index, found] of (await applicationsOfFile(tree, file, isLocal)).entries()) {
      const spec = found.app ? applicationTarget(found.app, isLocal) : found.appset ? applicationSetTarget(found.appset, file, index) : undefined;
      // Two Applications of one name in one namespace cannot both exist: the first file wins.
      if (spec && !byId.has(spec.id)) byId.set(spec.id, spec);
    }
  }
  return [...byId.values()];
}

/**
 * Applications and ApplicationSets in another target's rendered output (app-of-apps): targets
 * that carry the object as that side rendered it. Objects without a namespace get the
 * parent's, as applying them would.
 */
export async function applicationsInRendered(resources: readonly Resource[], parent: TargetSpec, tree: Tree, isLocal: (repoURL: string) => boolean): Promise<TargetSpec[]> {
  // An ApplicationSet target renders the Applications it generates: they are targets already.
  if (parent.id.endsWith(APPLICATIONSET_SUFFIX)) return [];
  const depth = (parent.renderedFrom?.depth ?? 0) + 1;
  const out: TargetSpec[] = [];
  const from = (r: Resource, object: Record<string, unknown>): NonNullable<TargetSpec["renderedFrom"]> => ({
    target: parent.id,
    depth,
    object,
    ...(r.source?.file ? { file: r.source.file } : {}),
    ...(r.source?.line !== undefined ? { line: r.source.line } : {}),
  });
  for (const rendered of resources) {
    if (!isApplication(rendered) && !isApplicationSet(rendered)) continue;
    const r = rendered.namespace || !parent.namespace ? rendered : { ...rendered, namespace: parent.namespace };
    const object = withNamespace(r.body, r.namespace);
    const file = r.source?.file ?? parent.path;
    if (isApplication(r)) {
      const read = readApplication(r, file, 0);
      if (read.app) out.push({ ...applicationTarget(read.app, isLocal), definedIn: undefined, renderedFrom: from(r, object) });
      continue;
    }
    const generated = await expandApplicationSet(r, file, 0, tree, isLocal);
    out.push({ id: `argocd:${generated.namespace}/${generated.name}${APPLICATIONSET_SUFFIX}`, type: "argocd", kind: "ApplicationSet", path: parent.path, name: generated.name, renderedFrom: from(r, object) });
    generated.apps.forEach((app, i) => out.push({ ...applicationTarget(app, isLocal), definedIn: undefined, renderedFrom: from(r, generated.bodies[i]!) }));
  }
  return out.map(({ definedIn: _, ...spec }) => spec);
}

function withNamespace(body: Record<string, unknown>, namespace: string): Record<string, unknown> {
  const metadata = body.metadata !== null && typeof body.metadata === "object" ? (body.metadata as Record<string, unknown>) : {};
  return namespace ? { ...body, metadata: { ...metadata, namespace } } : body;
}

/** An ApplicationSet: a target rendering the Applications it generates, or reporting why it cannot (appset/target.ts). */
function applicationSetTarget(appset: { name: string; namespace: string }, file: string, index: number): TargetSpec {
  return { id: `argocd:${appset.namespace}/${appset.name}${APPLICATIONSET_SUFFIX}`, type: "argocd", kind: "ApplicationSet", path: dirOf(file), name: appset.name, definedIn: { file, index } };
}

/** Every source of the Application, `spec.sources` winning over `spec.source` as in Argo CD. */
export function allSources(app: Application): ApplicationSource[] {
  if (app.sources && app.sources.length > 0) return app.sources;
  return app.source ? [app.source] : [];
}

/**
 * The sources Argo CD renders: all of them, but a multi-source `ref` source without a path
 * (or chart) only lends its files to the others' `$<ref>/…` value files.
 */
export function renderedSources(app: Application): ApplicationSource[] {
  return allSources(app).filter((s) => !(s.ref !== undefined && s.path === undefined && s.chart === undefined));
}

/** The repo-relative folder a local source renders, or undefined when it is not one. */
export function sourceFolder(source: ApplicationSource | undefined, isLocal: (repoURL: string) => boolean): string | undefined {
  if (!source || source.chart !== undefined || !isLocal(source.repoURL)) return undefined;
  return resolveRepoPath(".", source.path ?? ".");
}

export function applicationTarget(app: Application, isLocal: (repoURL: string) => boolean): TargetSpec {
  const folder = renderedSources(app)
    .map((s) => sourceFolder(s, isLocal))
    .find((f) => f !== undefined);
  // Argo CD puts objects without a namespace in the destination namespace, whatever the helm options say.
  const namespace = app.destination.namespace;
  return {
    id: applicationTargetId(app),
    type: "argocd",
    kind: "Application",
    path: folder ?? dirOf(app.file),
    name: app.name,
    ...(namespace ? { namespace } : {}),
    definedIn: { file: app.file, index: app.index },
  };
}
