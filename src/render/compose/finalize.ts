/**
 * The project-level steps after all files are merged, as compose-go's normalisation does:
 * profiles applied, env_file and label_file contents folded in (service-files.ts), implicit defaults added
 * (build context and Dockerfile, the default network, implicit depends_on), references
 * checked, keys sorted.
 */
import type { SourceLocation } from "../../core/model/resource.js";
import type { InputProblem } from "../../core/ports.js";
import type { Lookup } from "./interpolate.js";
import { resolveRepoPath } from "./paths.js";
import { composeProblem, hasErrors, type Where } from "./problems.js";
import { resolveEnvironment, resolveLabels } from "./service-files.js";
import type { Section } from "./shape-top-level.js";
import { isRecord, setKey, stripTags } from "./tagged.js";
import { UNIQUE_SERVICE_FIELDS, uniqueBy } from "./unique.js";
import { cleanVolumeTargets } from "./volumes.js";

export interface CanonicalProject {
  name?: string;
  services: Record<string, Record<string, unknown>>;
  networks: Record<string, Record<string, unknown>>;
  volumes: Record<string, Record<string, unknown>>;
  secrets: Record<string, Record<string, unknown>>;
  configs: Record<string, Record<string, unknown>>;
}

export type ProjectSources = Record<Section, Record<string, SourceLocation>>;

export interface FinalizeContext {
  /** The working directory: the first Compose file's folder. */
  projectDir: string;
  profiles: readonly string[];
  /** COMPOSE_PROJECT_NAME, which wins over the files' `name:`. */
  projectName?: string;
  /** DOCKER_DEFAULT_PLATFORM: Compose creates every service that names no platform with it. */
  defaultPlatform?: string;
  lookup: Lookup;
  read(path: string): string | undefined;
  problems: InputProblem[];
  sources: ProjectSources;
}

const DEFAULT_DEPENDENCY = { condition: "service_started", required: true };

export function finalizeProject(merged: Record<string, unknown>, ctx: FinalizeContext): CanonicalProject {
  const clean = stripTags(merged) as Record<string, unknown>;
  const all = section(clean.services);
  const enabled = Object.keys(all).filter((name) => isEnabled(all[name]!, ctx.profiles));
  const project: CanonicalProject = {
    ...(ctx.projectName ? { name: ctx.projectName } : typeof clean.name === "string" && clean.name !== "" ? { name: clean.name } : {}),
    services: {},
    networks: section(clean.networks),
    volumes: section(clean.volumes),
    secrets: section(clean.secrets),
    configs: section(clean.configs),
  };
  for (const name of enabled.sort()) setKey(project.services, name, finalizeService(name, all[name]!, ctx));
  const usesDefault = Object.values(project.services).some((s) => isRecord(s.networks) && Object.hasOwn(s.networks, "default"));
  if (usesDefault && !project.networks.default) project.networks.default = {};
  for (const name of enabled) checkReferences(name, project, all, ctx);
  // compose-go checks this on a project that loaded: after an error (a failed extends leaves a
  // service without its image) the check would only add noise.
  if (!hasErrors(ctx.problems)) for (const name of enabled) checkRunnable(name, project.services[name]!, ctx);
  return sortKeysDeep(project) as CanonicalProject;
}

function section(value: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (!isRecord(value)) return out;
  for (const [name, entry] of Object.entries(value)) setKey(out, name, isRecord(entry) ? entry : {});
  return out;
}

function isEnabled(service: Record<string, unknown>, active: readonly string[]): boolean {
  const profiles = Array.isArray(service.profiles) ? service.profiles : [];
  if (profiles.length === 0) return true;
  return active.includes("*") || profiles.some((p) => typeof p === "string" && active.includes(p));
}

function finalizeService(name: string, service: Record<string, unknown>, ctx: FinalizeContext): Record<string, unknown> {
  const where: Where | undefined = ctx.sources.services[name];
  const s: Record<string, unknown> = { ...service };
  delete s.extends;
  for (const [field, keyOf] of Object.entries(UNIQUE_SERVICE_FIELDS)) {
    if (Array.isArray(s[field])) s[field] = uniqueBy(s[field], keyOf);
  }
  if (Array.isArray(s.volumes)) s.volumes = cleanVolumeTargets(s.volumes);
  const environment = resolveEnvironment(name, s, ctx, where);
  if (environment) s.environment = environment;
  const labels = resolveLabels(name, s, ctx, where);
  if (labels) s.labels = labels;
  if (ctx.defaultPlatform && s.platform === undefined) s.platform = ctx.defaultPlatform;
  if (isRecord(s.build)) {
    const build: Record<string, unknown> = { ...s.build };
    if (typeof build.context !== "string") build.context = resolveRepoPath(ctx.projectDir, ".");
    if (build.dockerfile === undefined && build.dockerfile_inline === undefined) build.dockerfile = "Dockerfile";
    s.build = build;
  }
  const hasNetworks = isRecord(s.networks) && Object.keys(s.networks).length > 0;
  // Services with no explicit attachment join the project's implicit default network.
  if (!hasNetworks && s.network_mode === undefined) s.networks = { default: null };
  addImplicitDependencies(s);
  return s;
}

/** links, `network_mode: service:x` and volumes_from imply a dependency, as in compose-go. */
function addImplicitDependencies(s: Record<string, unknown>): void {
  const implied: string[] = [];
  for (const link of Array.isArray(s.links) ? s.links : []) if (typeof link === "string") implied.push(link.split(":")[0]!);
  for (const mode of [s.network_mode, s.ipc, s.pid]) {
    if (typeof mode === "string" && mode.startsWith("service:")) implied.push(mode.slice("service:".length));
  }
  for (const from of Array.isArray(s.volumes_from) ? s.volumes_from : []) {
    if (typeof from === "string" && !from.startsWith("container:")) implied.push(from.split(":")[0]!);
  }
  if (implied.length === 0) return;
  const deps: Record<string, unknown> = isRecord(s.depends_on) ? { ...s.depends_on } : {};
  for (const svc of implied) if (!Object.hasOwn(deps, svc)) setKey(deps, svc, { ...DEFAULT_DEPENDENCY });
  s.depends_on = deps;
}

/**
 * compose-go's consistency check: a service Compose can create needs an image to pull or a
 * build to make one (or a `provider`, which manages it outside Compose).
 */
function checkRunnable(name: string, s: Record<string, unknown>, ctx: FinalizeContext): void {
  const hasImage = typeof s.image === "string" && s.image !== "";
  if (hasImage || isRecord(s.build) || (s.provider !== undefined && s.provider !== null)) return;
  const message = `service "${name}" has neither an image nor a build context specified, so Compose cannot create it; give it an image: or a build:`;
  ctx.problems.push(composeProblem("compose/invalid-value", "error", ctx.sources.services[name], message));
}

function checkReferences(name: string, project: CanonicalProject, all: Record<string, unknown>, ctx: FinalizeContext): void {
  const s = project.services[name]!;
  const where = ctx.sources.services[name];
  const fail = (what: string, fix: string) =>
    ctx.problems.push(composeProblem("compose/undefined-reference", "error", where, `service "${name}" refers to undefined ${what}; ${fix}`));
  for (const [dep, spec] of Object.entries(isRecord(s.depends_on) ? s.depends_on : {})) {
    const required = !(isRecord(spec) && spec.required === false);
    if (!Object.hasOwn(all, dep)) {
      if (required) fail(`service "${dep}" in depends_on`, "define the service or remove the dependency");
    } else if (!Object.hasOwn(project.services, dep)) {
      ctx.problems.push(
        composeProblem(
          "compose/depends-on-disabled",
          "warning",
          where,
          `service "${name}" depends on "${dep}", which no active profile enables; activate one of its profiles in composeProfiles`,
        ),
      );
    }
  }
  for (const net of Object.keys(isRecord(s.networks) ? s.networks : {})) {
    if (!Object.hasOwn(project.networks, net)) fail(`network "${net}"`, "declare it under the top-level networks key");
  }
  for (const v of Array.isArray(s.volumes) ? s.volumes : []) {
    if (!isRecord(v) || v.type !== "volume" || typeof v.source !== "string" || v.source === "") continue;
    if (!Object.hasOwn(project.volumes, v.source)) fail(`volume "${v.source}"`, "declare it under the top-level volumes key");
  }
  for (const kind of ["secrets", "configs"] as const) {
    for (const m of Array.isArray(s[kind]) ? s[kind] : []) {
      if (isRecord(m) && typeof m.source === "string" && !Object.hasOwn(project[kind], m.source)) {
        fail(`${kind.slice(0, -1)} "${m.source}"`, `declare it under the top-level ${kind} key`);
      }
    }
  }
}

/** Mapping keys sorted at every level so the output does not depend on file order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) setKey(out, key, sortKeysDeep(value[key]));
  return out;
}
