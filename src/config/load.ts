/**
 * Config in three steps: parse YAML (duplicate keys rejected), validate strictly against
 * the published JSON Schema (unknown keys are errors naming the key path), then apply
 * defaults in one place (defaults.ts).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import schema from "../../schema/shipshape-config.schema.json" with { type: "json" };
import { lineOf, parseYamlStream, isPlainObject } from "../yaml/parse.js";
import { applyDefaults, type DefaultsContext } from "./defaults.js";
import { ConfigError } from "./errors.js";
import { findRetiredKey } from "./retired-keys.js";
import type { RawConfig, ShipshapeConfig } from "./types.js";

let compiled: ValidateFunction<RawConfig> | undefined;

/**
 * Compiled on first use (a run without a config file never pays for it) and without ajv's
 * code optimiser: one small document does not repay a slower compile. `verbose` makes errors
 * carry their parentSchema, which lists the keys allowed where an unknown one was found.
 */
function configValidator(): ValidateFunction<RawConfig> {
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, inlineRefs: false, code: { optimize: false } }).compile<RawConfig>(schema);
  return compiled;
}

/** Parses and validates config text; `file` is used in every message. Throws ConfigError. */
export function parseConfig(text: string, file: string, ctx: Omit<DefaultsContext, "source">): ShipshapeConfig {
  const parsed = parseYamlStream(text);
  const firstError = parsed.errors[0];
  if (firstError) throw new ConfigError(file, `invalid YAML: ${firstError.message}`, undefined, firstError.line);
  if (parsed.docs.length > 1) throw new ConfigError(file, "expected one YAML document, found several", undefined, parsed.docs[1]?.line);
  const doc = parsed.docs[0];
  const raw = doc ? doc.value : {};
  if (!isPlainObject(raw)) throw new ConfigError(file, "expected a mapping of settings at the top level", undefined, doc?.line);
  return validated(raw, file, ctx, (segments) => (doc ? lineOf(doc, segments, parsed.lineCounter) : undefined));
}

/**
 * A config that arrives already parsed: the GitHub App reads it with Probot's loader, which
 * resolves org-wide `_extends` and merges the files. Same checks and defaults as text; the
 * merged object has no lines, so messages name the key path only.
 */
export function parseConfigObject(raw: unknown, file: string, ctx: Omit<DefaultsContext, "source">): ShipshapeConfig {
  if (raw === null || raw === undefined) return applyDefaults({}, { ...ctx, source: file });
  if (!isPlainObject(raw)) throw new ConfigError(file, "expected a mapping of settings at the top level");
  return validated(raw, file, ctx, () => undefined);
}

type Locate = (segments: (string | number)[]) => number | undefined;

function validated(raw: Record<string, unknown>, file: string, ctx: Omit<DefaultsContext, "source">, locate: Locate): ShipshapeConfig {
  const retired = findRetiredKey(raw);
  if (retired) throw new ConfigError(file, retired.detail, formatPath([...retired.segments]), locate([...retired.segments]));
  const validate = configValidator();
  if (!validate(raw)) {
    const errors = validate.errors ?? [];
    const first = pickMostUseful(errors);
    const { keyPath, detail, segments } = describe(first);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : "";
    throw new ConfigError(file, detail + more, keyPath, locate(segments));
  }
  checkTargets(raw, file, locate);
  const config = applyDefaults(raw, { ...ctx, source: file });
  // Waivers are reported with where they are written.
  config.waivers = config.waivers.map((w, i) => {
    const line = locate(["waivers", i]);
    return line ? { ...w, line } : w;
  });
  return config;
}

export function defaultConfig(ctx: Omit<DefaultsContext, "source">): ShipshapeConfig {
  return applyDefaults({}, { ...ctx, source: "defaults" });
}

/** Rules JSON Schema cannot say: target ids must be unique. */
function checkTargets(raw: RawConfig, file: string, locate: Locate): void {
  const seen = new Map<string, number>();
  (raw.targets ?? []).forEach((t, i) => {
    const segments = t.path.split("/");
    if (t.path.startsWith("/") || segments.includes("..")) {
      const line = locate(["targets", i, "path"]);
      throw new ConfigError(file, `"${t.path}" must be a path inside the repository, relative to its root (no leading "/" or "..")`, `targets[${i}].path`, line);
    }
    const id = t.name ? `${t.path}#${t.name}` : t.path;
    const previous = seen.get(id);
    if (previous !== undefined) {
      const line = locate(["targets", i]);
      throw new ConfigError(
        file,
        `target id "${id}" is already used by targets[${previous}]; give one of them a distinct \`name\``,
        `targets[${i}]`,
        line,
      );
    }
    seen.set(id, i);
  });
}

/** Unknown keys first: they are the most common mistake and the most precise message. */
function pickMostUseful(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword === "additionalProperties") ?? errors.find((e) => e.keyword !== "if") ?? errors[0]!;
}

function describe(e: ErrorObject): { keyPath: string; detail: string; segments: (string | number)[] } {
  const segments = e.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (e.keyword === "additionalProperties") {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const allowed = allowedKeys(e.parentSchema);
    const all = [...segments, key];
    return {
      keyPath: formatPath(all),
      detail: `unknown key "${key}"${allowed.length ? `; allowed keys here: ${allowed.join(", ")}` : ""}`,
      segments: all,
    };
  }
  const keyPath = formatPath(segments) || "(top level)";
  if (e.keyword === "enum") {
    const values = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ");
    return { keyPath, detail: `must be one of ${values}`, segments };
  }
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return { keyPath, detail: `missing required key "${missing}"`, segments };
  }
  return { keyPath, detail: e.message ?? "is invalid", segments };
}

function allowedKeys(parentSchema: unknown): string[] {
  if (!isPlainObject(parentSchema)) return [];
  const props = parentSchema.properties;
  return isPlainObject(props) ? Object.keys(props) : [];
}

export function formatPath(segments: (string | number)[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
}
