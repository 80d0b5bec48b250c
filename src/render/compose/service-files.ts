/**
 * A service's variables and labels read from files, as compose-go's
 * WithServicesEnvironmentResolved and WithServicesLabelsResolved do: `env_file` contents
 * (dotenv format, or `format: raw` as `docker run --env-file` reads it) under `environment`,
 * `label_file` contents under `labels`. A file outside the repository is refused: Compose
 * would read it from the machine it runs on, so the review cannot know what the container gets.
 */
import type { InputProblem } from "../../core/ports.js";
import { parseDotenv, parseRawEnv, type DotenvResult } from "./dotenv.js";
import type { Lookup } from "./interpolate.js";
import { isOutsideRepo } from "./paths.js";
import { composeProblem, type Where } from "./problems.js";
import { isRecord, setKey } from "./tagged.js";

export interface ServiceFilesContext {
  lookup: Lookup;
  read(path: string): string | undefined;
  problems: InputProblem[];
}

const PARSERS: Record<string, (text: string, lookup: Lookup) => DotenvResult> = {
  ".env": parseDotenv,
  raw: parseRawEnv,
};

/** env_file values first, then `environment` over them; bare keys take the project value. */
export function resolveEnvironment(
  name: string,
  s: Record<string, unknown>,
  ctx: ServiceFilesContext,
  where: Where | undefined,
): Record<string, unknown> | undefined {
  const fromFiles: Record<string, unknown> = {};
  const declared = isRecord(s.environment) ? s.environment : {};
  // `${VAR}` in an env file: the project's variables first, then the service's own environment.
  const lookup: Lookup = (key) => ctx.lookup(key) ?? (typeof declared[key] === "string" ? (declared[key] as string) : undefined);
  for (const entry of Array.isArray(s.env_file) ? s.env_file : []) {
    if (!isRecord(entry) || typeof entry.path !== "string") continue;
    const format = entry.format === undefined || entry.format === "" ? ".env" : entry.format;
    const parser = typeof format === "string" && Object.hasOwn(PARSERS, format) ? PARSERS[format]! : undefined;
    if (!parser) {
      ctx.problems.push(
        composeProblem("compose/invalid-value", "error", where, `service "${name}" env_file ${entry.path}: unsupported format; use raw or leave format out`),
      );
      continue;
    }
    if (isOutsideRepo(entry.path)) {
      ctx.problems.push(outside(name, "env_file", entry.path, where));
      continue;
    }
    const text = ctx.read(entry.path);
    if (text === undefined) {
      if (entry.required === false) continue;
      ctx.problems.push(
        composeProblem("compose/env-file-missing", "error", where, `service "${name}" env_file ${entry.path} does not exist; add the file or mark the entry required: false`),
      );
      continue;
    }
    for (const [k, v] of parseFile(parser, text, lookup, entry.path, ctx.problems)) setKey(fromFiles, k, v);
  }
  if (Object.keys(fromFiles).length === 0 && s.environment === undefined) return undefined;
  const env: Record<string, unknown> = { ...fromFiles };
  for (const [k, v] of Object.entries(declared)) setKey(env, k, v === null ? (ctx.lookup(k) ?? null) : v);
  return env;
}

/** label_file labels first (each file may refer to labels read before it), then `labels` over them. */
export function resolveLabels(name: string, s: Record<string, unknown>, ctx: ServiceFilesContext, where: Where | undefined): Record<string, unknown> | undefined {
  const files = Array.isArray(s.label_file) ? s.label_file : [];
  if (files.length === 0) return undefined;
  const labels: Record<string, unknown> = {};
  const lookup: Lookup = (key) => (typeof labels[key] === "string" ? (labels[key] as string) : undefined);
  for (const path of files) {
    if (typeof path !== "string") continue;
    if (isOutsideRepo(path)) {
      ctx.problems.push(outside(name, "label_file", path, where));
      continue;
    }
    const text = ctx.read(path);
    if (text === undefined) {
      ctx.problems.push(composeProblem("compose/env-file-missing", "error", where, `service "${name}" label_file ${path} does not exist; add the file or remove the entry`));
      continue;
    }
    for (const [k, v] of parseFile(parseDotenv, text, lookup, path, ctx.problems)) setKey(labels, k, v);
  }
  for (const [k, v] of Object.entries(isRecord(s.labels) ? s.labels : {})) setKey(labels, k, v);
  return labels;
}

function parseFile(
  parser: (text: string, lookup: Lookup) => DotenvResult,
  text: string,
  lookup: Lookup,
  file: string,
  problems: InputProblem[],
): Map<string, string> {
  const parsed = parser(text, lookup);
  if (parsed.error) {
    problems.push(composeProblem("compose/dotenv-invalid", "error", { file, line: parsed.error.line }, `invalid env file: ${parsed.error.message}; fix the line`));
  }
  return parsed.values;
}

function outside(name: string, field: string, path: string, where: Where | undefined): InputProblem {
  return composeProblem(
    "render/outside-repo",
    "error",
    where,
    `service "${name}" ${field} ${path} is outside the repository: Compose would read it from the machine it runs on, which a review cannot see; keep the file in the repository`,
  );
}
