/**
 * The whole built-in Compose pipeline as one pure function: Compose's settings and the
 * project's `.env` (settings.ts), each file loaded (interpolated, shaped, extends resolved)
 * and merged in order, then finalised. File access goes through `read`, so it runs the same
 * over a Tree, a fixture map or a test literal.
 */
import { posix } from "node:path";
import type { InputProblem } from "../../core/ports.js";
import { isPlainObject, parseYamlStream } from "../../yaml/parse.js";
import { finalizeProject, type CanonicalProject, type ProjectSources } from "./finalize.js";
import { interpolate, type Lookup } from "./interpolate.js";
import { loadComposeFile, type LoadContext } from "./load-file.js";
import { mergeProjects } from "./merge.js";
import { composeProblem } from "./problems.js";
import { normalizeProjectName, PROJECT_NAME_VAR, readProjectSettings, type ProjectSettings } from "./settings.js";
import { RESOURCE_SECTIONS, type Section } from "./shape-top-level.js";
import type { ComposeSourceMap } from "./source-map.js";
import { isRecord } from "./tagged.js";

export interface ComposeProjectInput {
  /** Repo-relative project directory ("." for the root). */
  projectDir: string;
  /** Compose files relative to the project directory (`-f`); default: COMPOSE_FILE, else the main file plus override. */
  files?: readonly string[];
  /** Active profiles (`--profile`); "*" activates all; default: COMPOSE_PROFILES. */
  profiles?: readonly string[];
  /** The target's composeEnv: stands for the shell, so it overrides the project's `.env` (see settings.ts). */
  env?: Readonly<Record<string, string>>;
  /** Reads a repo-relative file; undefined when it does not exist. */
  read(path: string): string | undefined;
}

export interface ComposeProjectResult {
  project: CanonicalProject;
  /** Where each service, network, volume, secret and config is first defined. */
  sources: ProjectSources;
  /** Errors make the render invalid; warnings (unset variables...) do not. */
  problems: InputProblem[];
  /** The Compose files merged, in order (repo-relative). */
  composeFiles: string[];
  /** The first file's folder, which relative paths resolve against. */
  workingDir: string;
  /** The variables interpolation saw: composeEnv, then `.env`. */
  env: ReadonlyMap<string, string>;
  /** Every file the normaliser tried to read, present or not, sorted. */
  reads: string[];
  /** Files named by configs/secrets `file:` entries: not read, but part of the input. */
  references: string[];
  /** The files as read with their key lines, to map canonical fields back to lines. */
  sourceMap: ComposeSourceMap;
}

const SECTIONS: readonly Section[] = ["services", ...RESOURCE_SECTIONS];

export function normalizeComposeProject(input: ComposeProjectInput): ComposeProjectResult {
  const reads = new Set<string>();
  const read = (path: string): string | undefined => {
    reads.add(path);
    return input.read(path);
  };
  const problems: InputProblem[] = [];
  const settings = readProjectSettings(input, read, problems);
  // `${COMPOSE_PROJECT_NAME}` is the project's name, which may come from the files' own
  // `name:`; it is worked out (and the files loaded again) only when something asks for it.
  let asked = false;
  const first = loadProject(settings, read, (name) => {
    if (name !== PROJECT_NAME_VAR) return settings.env.get(name);
    asked = true;
    return settings.projectName ?? settings.env.get(name);
  });
  let loaded = first;
  if (asked && !settings.projectName) {
    const name = projectNameFromFiles(settings, read);
    if (name) loaded = loadProject(settings, read, (v) => (v === PROJECT_NAME_VAR ? name : settings.env.get(v)));
    else problems.push(unknownProjectName(settings));
  }
  problems.push(...loaded.problems);
  return {
    project: loaded.project,
    sources: pruneSources(loaded.sources, loaded.project),
    problems: dedupe(problems),
    composeFiles: settings.files,
    workingDir: settings.workingDir,
    env: settings.env,
    reads: [...reads].sort(),
    references: referencedFiles(loaded.project),
    sourceMap: loaded.sourceMap,
  };
}

interface LoadedProject {
  project: CanonicalProject;
  sources: ProjectSources;
  sourceMap: ComposeSourceMap;
  problems: InputProblem[];
}

/** Each file loaded (interpolated, shaped, extends resolved) and merged in order, then finalised. */
function loadProject(settings: ProjectSettings, read: (p: string) => string | undefined, lookup: Lookup): LoadedProject {
  const problems: InputProblem[] = [];
  const ctx: LoadContext = { lookup, read, problems, keyLines: new WeakMap(), extendsCache: new Map(), rawDocs: new Map() };
  const layers: ComposeSourceMap["layers"][number][] = [];
  const sources = Object.fromEntries(SECTIONS.map((s) => [s, {}])) as ProjectSources;
  let merged: Record<string, unknown> = {};
  for (const file of settings.files) {
    const text = read(file);
    if (text === undefined) {
      problems.push(composeProblem("compose/file-missing", "error", { file }, `Compose file ${file} does not exist; add it or fix ${settings.filesFrom}`));
      continue;
    }
    // Paths in every file are relative to the working directory, as with `docker compose -f`.
    const loaded = loadComposeFile(file, text, settings.workingDir, ctx);
    if (!loaded) continue;
    for (const doc of ctx.rawDocs.get(file) ?? []) layers.push({ file, doc });
    merged = mergeProjects(merged, loaded.value);
    for (const section of SECTIONS) {
      const entries = loaded.value[section];
      for (const name of isRecord(entries) ? Object.keys(entries) : []) {
        sources[section][name] ??= { file, line: loaded.lines.get(`${section}.${name}`) ?? 1 };
      }
    }
  }
  const project = finalizeProject(merged, {
    projectDir: settings.workingDir,
    profiles: settings.profiles,
    ...(settings.projectName ? { projectName: settings.projectName } : {}),
    ...(settings.defaultPlatform ? { defaultPlatform: settings.defaultPlatform } : {}),
    lookup,
    read,
    problems,
    sources,
  });
  return { project, sources, problems, sourceMap: { layers, files: ctx.rawDocs, lines: ctx.keyLines } };
}

/**
 * The name compose-go gives a project without COMPOSE_PROJECT_NAME: the last non-empty
 * top-level `name:` of the files (interpolated, normalised), else the working directory's
 * name. The repository root's folder name depends on where it is checked out: unknown.
 */
function projectNameFromFiles(settings: ProjectSettings, read: (p: string) => string | undefined): string | undefined {
  let written: string | undefined;
  for (const file of settings.files) {
    const text = read(file);
    for (const doc of text === undefined ? [] : parseYamlStream(text).docs) {
      const name = isPlainObject(doc.value) ? doc.value.name : undefined;
      if ((typeof name === "string" || typeof name === "number") && String(name) !== "") written = String(name);
    }
  }
  const interpolated = written === undefined ? undefined : interpolate(written, (v) => settings.env.get(v));
  const fromFiles = interpolated?.ok ? normalizeProjectName(interpolated.value) : "";
  if (fromFiles) return fromFiles;
  return settings.workingDir === "." ? undefined : normalizeProjectName(posix.basename(settings.workingDir)) || undefined;
}

function unknownProjectName(settings: ProjectSettings): InputProblem {
  return composeProblem(
    "compose/unsupported",
    "error",
    { file: settings.files[0] ?? settings.workingDir },
    "the project uses ${COMPOSE_PROJECT_NAME}, and its name would come from the name of the folder the repository is checked out in, " +
      "which a review does not know; set a top-level name: in the Compose file, or COMPOSE_PROJECT_NAME in .env or the target's composeEnv",
  );
}

function pruneSources(sources: ProjectSources, project: CanonicalProject): ProjectSources {
  const out = Object.fromEntries(SECTIONS.map((s) => [s, {}])) as ProjectSources;
  for (const section of SECTIONS) {
    for (const name of Object.keys(project[section])) {
      const at = sources[section][name];
      if (at) out[section][name] = at;
    }
  }
  return out;
}

function referencedFiles(project: CanonicalProject): string[] {
  const files = new Set<string>();
  for (const entry of [...Object.values(project.secrets), ...Object.values(project.configs)]) {
    if (typeof entry.file === "string") files.add(entry.file);
  }
  return [...files].sort();
}

function dedupe(problems: InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.ruleId}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
