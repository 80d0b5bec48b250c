/**
 * The built-in Compose renderer: no docker binary, just the normaliser in this folder. Each
 * service, network, volume, secret and config becomes one Resource (`compose/v1`) whose body
 * is its canonical entry, so a diff compares what `docker compose config` would print.
 */
import type { Resource } from "../../core/model/resource.js";
import type { TargetSpec } from "../../core/model/target.js";
import type { InputProblem, InputSet, RenderLimits, RenderOutcome, Renderer, Tree } from "../../core/ports.js";
import { discoverComposeProjects } from "./discover.js";
import type { CanonicalProject, ProjectSources } from "./finalize.js";
import { composeProblem, hasErrors } from "./problems.js";
import type { Section } from "./shape-top-level.js";
import { withComposeLocator, type ComposeSourceMap } from "./source-map.js";
import { loadComposeTarget, type TreeLoadResult } from "./tree-loader.js";
import { withKnownSecrets } from "./known-secrets.js";

/** Bumped when the canonical form changes, so cached or stored renders are not compared across it. */
export const COMPOSE_NORMALISER_VERSION = "1.1.0";

export const COMPOSE_API_VERSION = "compose/v1";

const KINDS: Record<Section, string> = {
  services: "Service",
  networks: "Network",
  volumes: "Volume",
  secrets: "Secret",
  configs: "Config",
};

/** Missing files that make rendering pointless; everything else is reported by render. */
const BLOCKING_RULES = new Set(["compose/file-missing", "compose/extends-file-missing", "render/outside-repo"]);

export function createComposeRenderer(): Renderer {
  return {
    type: "compose",
    discover: async (tree) => discoverComposeProjects(tree),
    inputs: async (target, tree) => {
      const loaded = await loadComposeTarget(target, tree);
      const { result } = loaded;
      const parsed = { workingDir: result.workingDir, env: result.env, project: result.project, composeFiles: result.composeFiles, files: result.sourceMap.files };
      return withKnownSecrets(inputSet(loaded, tree), target, tree, parsed, loaded.texts);
    },
    render: (target, tree, limits) => renderCompose(target, tree, limits),
    info: async () => ({ name: "compose (built-in)", version: COMPOSE_NORMALISER_VERSION }),
  };
}

function inputSet({ result, readProblems }: TreeLoadResult, tree: Tree): InputSet {
  // Files tried but absent count too: adding an override file or a .env changes the render.
  const files = new Set<string>([...result.reads, ...result.references]);
  for (const ref of result.references) {
    if (!tree.hasDir(ref)) continue;
    const prefix = ref === "." ? "" : `${ref}/`;
    for (const f of tree.files()) if (f.startsWith(prefix)) files.add(f);
  }
  const blocking = [...readProblems, ...result.problems.filter((p) => BLOCKING_RULES.has(p.ruleId) && p.severity === "error")];
  return { files, blocking, warnings: [] };
}

export async function renderCompose(target: TargetSpec, tree: Tree, limits: RenderLimits): Promise<RenderOutcome> {
  const { result, readProblems } = await loadComposeTarget(target, tree);
  const problems = [...readProblems, ...result.problems];
  if (hasErrors(problems)) return { status: "invalid", problems };
  const resources = toResources(result.project, result.sources, result.sourceMap);
  const size = Buffer.byteLength(JSON.stringify(result.project));
  if (size > limits.maxOutputBytes) {
    const tooLarge: InputProblem = composeProblem(
      "compose/output-too-large",
      "error",
      { file: result.composeFiles[0] ?? target.path },
      `the normalised project is ${size} bytes, over the ${limits.maxOutputBytes}-byte limit; split the project or raise the limit`,
    );
    return { status: "invalid", problems: [...problems, tooLarge] };
  }
  return { status: "ok", resources, warnings: problems };
}

/** With a source map, each resource can tell where its fields were written (see source-map.ts). */
export function toResources(project: CanonicalProject, sources: ProjectSources, sourceMap?: ComposeSourceMap): Resource[] {
  const out: Resource[] = [];
  for (const section of Object.keys(KINDS) as Section[]) {
    for (const [name, body] of Object.entries(project[section])) {
      const source = sources[section][name];
      const resource: Resource = {
        apiVersion: COMPOSE_API_VERSION,
        kind: KINDS[section],
        namespace: "",
        name,
        body,
        ...(source ? { source } : {}),
      };
      out.push(sourceMap ? withComposeLocator(resource, sourceMap, section) : resource);
    }
  }
  return out;
}
