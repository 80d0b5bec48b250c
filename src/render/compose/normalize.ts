/**
 * The whole built-in Compose pipeline as one pure function: project `.env`, each file loaded
 * (interpolated, shaped, extends resolved) and merged in order, then finalised. File access
 * goes through `read`, so it runs the same over a Tree, a fixture map or a test literal.
 */
import type { InputProblem } from "../../core/ports.js";
import { MAIN_FILE_NAMES, OVERRIDE_FILE_NAMES } from "./compose-files.js";
import { parseDotenv } from "./dotenv.js";
import { finalizeProject, type CanonicalProject, type ProjectSources } from "./finalize.js";
import type { Lookup } from "./interpolate.js";
import { loadComposeFile, type LoadContext } from "./load-file.js";
import { mergeProjects } from "./merge.js";
import { joinRepo } from "./paths.js";
import { composeProblem } from "./problems.js";
import { RESOURCE_SECTIONS, type Section } from "./shape-top-level.js";
import type { ComposeSourceMap } from "./source-map.js";
import { isRecord } from "./tagged.js";

export interface ComposeProjectInput {
  /** Repo-relative project directory ("." for the root). */
  projectDir: string;
  /** Compose files relative to the project directory; default: the main file plus override. */
  files?: readonly string[];
  /** Active profiles; "*" activates all. */
  profiles?: readonly string[];
  /** Interpolation values that override the project's `.env` (the target's composeEnv). */
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
  const lookup = projectLookup(input, read, problems);
  const composeFiles = input.files ? input.files.map((f) => joinRepo(input.projectDir, f)) : defaultFiles(input.projectDir, read, problems);
  const ctx: LoadContext = { lookup, read, problems, keyLines: new WeakMap(), extendsCache: new Map(), rawDocs: new Map() };
  const layers: ComposeSourceMap["layers"][number][] = [];
  const sources = Object.fromEntries(SECTIONS.map((s) => [s, {}])) as ProjectSources;
  let merged: Record<string, unknown> = {};
  for (const file of composeFiles) {
    const text = read(file);
    if (text === undefined) {
      problems.push(
        composeProblem("compose/file-missing", "error", { file }, `Compose file ${file} does not exist; add it or fix the target's composeFiles`),
      );
      continue;
    }
    // Paths in every file are relative to the project directory, as with `docker compose -f`.
    const loaded = loadComposeFile(file, text, input.projectDir, ctx);
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
    projectDir: input.projectDir,
    profiles: input.profiles ?? [],
    lookup,
    read,
    problems,
    sources,
  });
  return {
    project,
    sources: pruneSources(sources, project),
    problems: dedupe(problems),
    composeFiles,
    reads: [...reads].sort(),
    references: referencedFiles(project),
    sourceMap: { layers, files: ctx.rawDocs, lines: ctx.keyLines },
  };
}

/** Values for interpolation: the project's `.env`, overridden by the target's composeEnv. */
function projectLookup(input: ComposeProjectInput, read: (p: string) => string | undefined, problems: InputProblem[]): Lookup {
  const overrides = new Map(Object.entries(input.env ?? {}));
  const envFile = joinRepo(input.projectDir, ".env");
  const text = read(envFile);
  let values = new Map<string, string>();
  if (text !== undefined) {
    const parsed = parseDotenv(text, (name) => overrides.get(name));
    values = parsed.values;
    if (parsed.error) {
      problems.push(
        composeProblem(
          "compose/dotenv-invalid",
          "error",
          { file: envFile, line: parsed.error.line },
          `invalid .env file: ${parsed.error.message}; fix the line`,
        ),
      );
    }
  }
  return (name) => overrides.get(name) ?? values.get(name);
}

function defaultFiles(projectDir: string, read: (p: string) => string | undefined, problems: InputProblem[]): string[] {
  const mains = MAIN_FILE_NAMES.map((n) => joinRepo(projectDir, n)).filter((p) => read(p) !== undefined);
  const main = mains[0];
  if (!main) {
    problems.push(
      composeProblem(
        "compose/file-missing",
        "error",
        { file: projectDir },
        `no Compose file in ${projectDir}: expected one of ${MAIN_FILE_NAMES.join(", ")}`,
      ),
    );
    return [];
  }
  if (mains.length > 1) {
    problems.push(
      composeProblem(
        "compose/multiple-main-files",
        "warning",
        { file: main },
        `several Compose files found (${mains.join(", ")}); using ${main} like docker compose does. Remove the others or list files in composeFiles`,
      ),
    );
  }
  const override = OVERRIDE_FILE_NAMES.map((n) => joinRepo(projectDir, n)).find((p) => read(p) !== undefined);
  return override ? [main, override] : [main];
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
