/**
 * Argo CD Applications in the repository's YAML files, wherever they are (outside charts,
 * whose templates are not YAML yet). Each Application becomes one target, `argocd:<ns>/<name>`,
 * whose path is the folder it renders when its source is this repository, else the folder of
 * the file that defines it (it then renders as "not reviewed").
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { InputProblem, Tree } from "../../core/ports.js";
import { isInChart } from "../manifests/manifest-files.js";
import { dirOf, resolveRepoPath } from "../repo-path.js";
import { yamlToResources } from "../to-resources.js";
import { applicationTargetId, isApplication, readApplication, type Application, type ApplicationSource } from "./application.js";

const YAML_FILE = /\.(ya?ml|json)$/i;
/** Both words must be in a file that defines an Application; most files are skipped unparsed. */
const MAY_HOLD = (text: string) => text.includes("argoproj.io") && text.includes("Application");

export interface FoundApplication {
  app?: Application;
  problems: InputProblem[];
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

export async function discoverApplications(tree: Tree, isLocal: (repoURL: string) => boolean): Promise<TargetSpec[]> {
  const byId = new Map<string, TargetSpec>();
  for (const file of tree.files()) {
    if (!YAML_FILE.test(file) || isInChart(tree, file)) continue;
    const text = await tree.read(file).catch(() => "");
    for (const found of applicationsIn(text, file)) {
      if (!found.app) continue;
      const spec = applicationTarget(found.app, isLocal);
      // Two Applications of one name in one namespace cannot both exist: the first file wins.
      if (!byId.has(spec.id)) byId.set(spec.id, spec);
    }
  }
  return [...byId.values()];
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
    path: folder ?? dirOf(app.file),
    name: app.name,
    ...(namespace ? { namespace } : {}),
    definedIn: { file: app.file, index: app.index },
  };
}
