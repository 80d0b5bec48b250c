/**
 * Compose's own settings come from its environment, and `docker compose` fills that from the
 * project's `.env` too (docker/compose cmd/compose/compose.go: setEnvWithDotEnv and
 * toProjectOptions; compose-go cli/options.go). A review has no shell: the target's
 * composeEnv stands for it and wins over `.env` as the shell does, composeFiles stands for
 * `-f` and composeProfiles for `--profile`. In Compose's order:
 * 1. the `.env` of the folder Compose starts in (the target's; with composeFiles, the first
 *    file's), unless COMPOSE_DISABLE_ENV_FILE is true in composeEnv. A `.env` that sets
 *    COMPOSE_DISABLE_ENV_FILE=true itself still sets the COMPOSE_* settings (Compose exports
 *    them before it looks), but none of its other variables;
 * 2. COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR, ":" as on Linux) replaces the default
 *    main + override pair, relative to the target's folder; composeFiles win over it;
 * 3. the working directory is the first file's folder: paths in the files resolve there, and
 *    its own `.env` adds the variables not set yet;
 * 4. COMPOSE_PROFILES (comma-separated) when composeProfiles is empty;
 * 5. COMPOSE_PROJECT_NAME names the project; DOCKER_DEFAULT_PLATFORM is the platform of
 *    services that name none.
 * The other COMPOSE_* variables change how Compose talks or cleans up (ANSI, menus,
 * parallelism, orphans), not the configuration it applies. COMPOSE_CONVERT_WINDOWS_PATHS
 * changes nothing on Linux (compose-go converts drive letters only where the OS has them).
 */
import { posix } from "node:path";
import type { InputProblem } from "../../core/ports.js";
import { MAIN_FILE_NAMES, OVERRIDE_FILE_NAMES } from "./compose-files.js";
import { parseDotenv } from "./dotenv.js";
import { dirOf, joinRepo } from "./paths.js";
import { composeProblem, type ComposeRuleId, type Where } from "./problems.js";

export const PROJECT_NAME_VAR = "COMPOSE_PROJECT_NAME";
const FILE_VAR = "COMPOSE_FILE";
const SEPARATOR_VAR = "COMPOSE_PATH_SEPARATOR";
const PROFILES_VAR = "COMPOSE_PROFILES";
const DISABLE_VAR = "COMPOSE_DISABLE_ENV_FILE";
const PLATFORM_VAR = "DOCKER_DEFAULT_PLATFORM";

export interface SettingsInput {
  projectDir: string;
  files?: readonly string[];
  profiles?: readonly string[];
  env?: Readonly<Record<string, string>>;
}

export interface ProjectSettings {
  /** composeEnv, then `.env` variables not set there: what interpolation sees. */
  env: ReadonlyMap<string, string>;
  /** Where each variable of `env` was set; absent for composeEnv. */
  origins: ReadonlyMap<string, Where>;
  /** The Compose files to merge, repo-relative, in order. */
  files: string[];
  /** What chose them, for messages: composeFiles, COMPOSE_FILE (and where it is set), or Compose's default names. */
  filesFrom: string;
  /** The first file's folder: relative paths in every file resolve against it. */
  workingDir: string;
  profiles: string[];
  /** COMPOSE_PROJECT_NAME when set (and valid). */
  projectName?: string;
  defaultPlatform?: string;
}

type Read = (path: string) => string | undefined;

export function readProjectSettings(input: SettingsInput, read: Read, problems: InputProblem[]): ProjectSettings {
  const state: EnvState = { env: new Map(Object.entries(input.env ?? {})), origins: new Map(), problems };
  const explicit = input.files?.map((f) => joinRepo(input.projectDir, f));
  const startDir = explicit?.[0] ? dirOf(explicit[0]) : input.projectDir;
  if (!isTrue(state, DISABLE_VAR)) mergeDotenv(state, joinRepo(startDir, ".env"), read, true);
  const disabled = isTrue(state, DISABLE_VAR);
  const fromEnv = !explicit && state.env.has(FILE_VAR);
  const files = explicit ?? (fromEnv ? composeFileList(state, input.projectDir) : defaultFiles(input.projectDir, read, problems));
  const filesFrom = explicit ? "the target's composeFiles" : fromEnv ? settingName(state, FILE_VAR) : "Compose's default file names";
  const workingDir = files[0] ? dirOf(files[0]) : input.projectDir;
  // Compose loads the working directory's .env a second time round, for the variables still unset.
  if (workingDir !== startDir && !disabled) mergeDotenv(state, joinRepo(workingDir, ".env"), read, false);
  const projectName = validProjectName(state);
  const platform = state.env.get(PLATFORM_VAR);
  return {
    env: state.env,
    origins: state.origins,
    files,
    filesFrom,
    workingDir,
    profiles: input.profiles?.length ? [...input.profiles] : splitProfiles(state.env.get(PROFILES_VAR)),
    ...(projectName ? { projectName } : {}),
    ...(platform ? { defaultPlatform: platform } : {}),
  };
}

/** compose-go's NormalizeProjectName: lower-case letters, digits, "-" and "_", not starting with "-" or "_". */
export function normalizeProjectName(name: string): string {
  return (name.toLowerCase().match(/[a-z0-9_-]/g) ?? []).join("").replace(/^[-_]+/, "");
}

interface EnvState {
  env: Map<string, string>;
  origins: Map<string, Where>;
  problems: InputProblem[];
}

/** Adds a `.env` file's variables that are not set yet (compose-go's Mapping.Merge). */
function mergeDotenv(state: EnvState, path: string, read: Read, first: boolean): void {
  const text = read(path);
  if (text === undefined) return;
  const parsed = parseDotenv(text, (name) => state.env.get(name));
  if (parsed.error) {
    state.problems.push(
      composeProblem("compose/dotenv-invalid", "error", { file: path, line: parsed.error.line }, `invalid .env file: ${parsed.error.message}; fix the line`),
    );
  }
  // Only the first .env is exported before Compose checks COMPOSE_DISABLE_ENV_FILE.
  const own = parsed.values.get(DISABLE_VAR);
  const selfDisabled = first && !state.env.has(DISABLE_VAR) && own !== undefined && parseBool(own) === true;
  for (const [key, value] of parsed.values) {
    if (state.env.has(key) || (selfDisabled && !key.startsWith("COMPOSE_"))) continue;
    state.env.set(key, value);
    state.origins.set(key, { file: path, line: parsed.lines.get(key) });
  }
}

/** COMPOSE_FILE's entries, relative to the folder Compose runs in (the target's). */
function composeFileList(state: EnvState, projectDir: string): string[] {
  const separator = state.env.get(SEPARATOR_VAR) || ":";
  const files: string[] = [];
  for (const entry of state.env.get(FILE_VAR)!.split(separator)) {
    if (entry === "") {
      state.problems.push(settingProblem(state, FILE_VAR, "compose/setting-invalid", "has an empty entry, which docker compose cannot load; remove it"));
      continue;
    }
    if (entry === "-") {
      state.problems.push(
        settingProblem(state, FILE_VAR, "compose/unsupported", 'names "-", a Compose file read from standard input, which a review does not have; name the file instead'),
      );
      continue;
    }
    const path = joinRepo(projectDir, entry);
    if (posix.isAbsolute(entry) || path === ".." || path.startsWith("../")) {
      state.problems.push(
        settingProblem(state, FILE_VAR, "render/outside-repo", "names a file outside the repository, which Shipshape does not read; keep the project's Compose files in the repository"),
      );
      continue;
    }
    files.push(path);
  }
  return files;
}

function defaultFiles(projectDir: string, read: Read, problems: InputProblem[]): string[] {
  const mains = MAIN_FILE_NAMES.map((n) => joinRepo(projectDir, n)).filter((p) => read(p) !== undefined);
  const main = mains[0];
  if (!main) {
    problems.push(
      composeProblem("compose/file-missing", "error", { file: projectDir }, `no Compose file in ${projectDir}: expected one of ${MAIN_FILE_NAMES.join(", ")}`),
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

function splitProfiles(value: string | undefined): string[] {
  return (value ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
}

function validProjectName(state: EnvState): string | undefined {
  const name = state.env.get(PROJECT_NAME_VAR);
  if (!name) return undefined;
  if (normalizeProjectName(name) === name) return name;
  state.problems.push(
    settingProblem(
      state,
      PROJECT_NAME_VAR,
      "compose/setting-invalid",
      "is not a valid project name, so docker compose refuses the project; use lower-case letters, digits, - and _, starting with a letter or digit",
    ),
  );
  return undefined;
}

/** strconv.ParseBool, as Compose reads COMPOSE_DISABLE_ENV_FILE; anything else stops Compose. */
function isTrue(state: EnvState, key: string): boolean {
  const value = state.env.get(key);
  if (value === undefined) return false;
  const parsed = parseBool(value);
  if (parsed !== undefined) return parsed;
  state.problems.push(settingProblem(state, key, "compose/setting-invalid", "must be true or false (or 1 or 0); docker compose stops on any other value"));
  return false;
}

function parseBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/** "COMPOSE_FILE in shop/.env" or "the target's composeEnv COMPOSE_FILE". */
function settingName(state: EnvState, key: string): string {
  const where = state.origins.get(key);
  return where ? `${key} in ${where.file}` : `the target's composeEnv ${key}`;
}

function settingProblem(state: EnvState, key: string, ruleId: ComposeRuleId, what: string): InputProblem {
  const where = state.origins.get(key);
  // The value is not quoted: a .env file is where credentials live.
  return composeProblem(ruleId, "error", where, `${where ? key : settingName(state, key)} ${what}`);
}
