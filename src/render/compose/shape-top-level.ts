/**
 * Per-file shaping of a whole Compose document: top-level keys checked, services shaped (see
 * shape-service.ts) and the networks/volumes/secrets/configs entries given their long form.
 */
import { composeProblem } from "./problems.js";
import { resolveRepoPath } from "./paths.js";
import { isFieldError, scalarString, throughTag, toStringMapping } from "./shape-helpers.js";
import { shapeService, type ShapeContext } from "./shape-service.js";
import { isRecord, setKey } from "./tagged.js";

export const RESOURCE_SECTIONS = ["networks", "volumes", "secrets", "configs"] as const;
export type ResourceSection = (typeof RESOURCE_SECTIONS)[number];
export type Section = "services" | ResourceSection;

/** Top-level keys Compose accepts; anything else (a typo like `servics`) is an error there too. */
const KNOWN_TOP_LEVEL = new Set(["version", "name", "include", "services", "networks", "volumes", "secrets", "configs", "models"]);

/** Shapes one parsed document. `line` is where the document starts, for messages. */
export function shapeDocument(doc: Record<string, unknown>, ctx: ShapeContext, line: number): Record<string, unknown> {
  const lines = ctx.keyLines.get(doc);
  const where = (key: string) => ({ file: ctx.file, line: lines?.get(key) ?? line });
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith("x-")) {
      setKey(out, key, value);
      continue;
    }
    if (!KNOWN_TOP_LEVEL.has(key)) {
      ctx.problems.push(
        composeProblem(
          "compose/invalid-value",
          "error",
          where(key),
          `unknown top-level key "${key}"; use services, networks, volumes, secrets, configs, name or an x- extension`,
        ),
      );
      continue;
    }
    if (key === "version") continue;
    if (key === "models") {
      // Not silently: Docker Model Runner pulls and runs what this names, and services get its endpoint.
      ctx.problems.push(
        composeProblem(
          "compose/unsupported",
          "warning",
          where(key),
          "top-level models are not rendered by the built-in Compose renderer, so the models Compose pulls and runs are not part of this review; check them by hand",
        ),
      );
      continue;
    }
    if (key === "include") {
      // An error, not a warning: docker compose up runs the included services, the review would not show them.
      ctx.problems.push(
        composeProblem(
          "compose/unsupported",
          "error",
          where(key),
          "include is not supported by the built-in Compose renderer, so the services it brings in cannot be reviewed; " +
            "list the included files in the target's composeFiles (or COMPOSE_FILE) instead",
        ),
      );
      continue;
    }
    if (key === "name") {
      setKey(out, key, scalarString(value));
      continue;
    }
    const section = throughTag(value, (v) => shapeSection(key as Section, v, ctx, where(key).line));
    if (section !== undefined) setKey(out, key, section);
  }
  return out;
}

function shapeSection(section: Section, value: unknown, ctx: ShapeContext, line: number): unknown {
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) {
    ctx.problems.push(composeProblem(
      "compose/invalid-value",
      "error",
      { file: ctx.file, line },
      `${section} must be a mapping of names to definitions`,
    ));
    return undefined;
  }
  const lines = ctx.keyLines.get(value);
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(value)) {
    const entryLine = lines?.get(name) ?? line;
    const shaped = section === "services" ? shapeService(name, entry, ctx, entryLine) : shapeResource(section, name, entry, ctx, entryLine);
    setKey(out, name, shaped);
  }
  return out;
}

function shapeResource(section: ResourceSection, name: string, entry: unknown, ctx: ShapeContext, line: number): unknown {
  return throughTag(entry, (value) => {
    if (value === null || value === undefined) return {};
    if (!isRecord(value)) {
      ctx.problems.push(composeProblem(
        "compose/invalid-value",
        "error",
        { file: ctx.file, line },
        `${section}.${name} must be a mapping (or empty)`,
      ));
      return {};
    }
    const out: Record<string, unknown> = { ...value };
    if (value.labels !== undefined) {
      const labels = throughTag(value.labels, (v) => toStringMapping(v, ""));
      if (isFieldError(labels)) {
        ctx.problems.push(composeProblem("compose/invalid-value", "error", { file: ctx.file, line }, `${section}.${name}.labels: ${labels.error}`));
      } else {
        out.labels = labels;
      }
    }
    // Legacy `external: {name: x}` is `external: true` plus `name: x`.
    if (isRecord(value.external)) {
      out.external = true;
      if (typeof value.external.name === "string" && out.name === undefined) out.name = value.external.name;
    }
    if (isRecord(value.driver_opts)) out.driver_opts = Object.fromEntries(Object.entries(value.driver_opts).map(([k, v]) => [k, scalarString(v)]));
    if ((section === "secrets" || section === "configs") && typeof value.file === "string") {
      out.file = resolveRepoPath(ctx.baseDir, value.file);
    }
    return out;
  });
}
