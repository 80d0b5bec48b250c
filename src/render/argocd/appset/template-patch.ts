/**
 * An ApplicationSet's `templatePatch`, applied as Argo CD applies it (applicationset/controllers/
 * template/patch.go): the patch text, already rendered with the parameter set, is read as JSON
 * when it starts with `{`, else as YAML, and applied to the generated Application as a
 * Kubernetes strategic merge patch for the Application type. That type declares no list merge
 * keys, so mappings merge key by key, lists and scalars are replaced, `null` deletes a key,
 * and the `$patch: replace` / `$patch: delete` directives work on mappings. The patch cannot
 * change `spec.project` (Argo CD puts the template's back).
 */
import { parse as parseYaml } from "yaml";

export class PatchError extends Error {}

/** The rendered patch text as an object; throws PatchError. */
export function readTemplatePatch(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = text.trim().startsWith("{") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new PatchError(`the rendered templatePatch is not ${text.trim().startsWith("{") ? "JSON" : "YAML"}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new PatchError("the rendered templatePatch must be a mapping (an Application's fields)");
  return parsed;
}

/** `application` with `patch` applied; `spec.project` stays the Application's. */
export function applyTemplatePatch(application: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = mergeMap(application, patch);
  const project = isRecord(application.spec) ? application.spec.project : undefined;
  if (isRecord(out.spec)) out.spec = project === undefined ? omit(out.spec, "project") : { ...out.spec, project };
  else if (project !== undefined) out.spec = { project };
  return out;
}

function mergeMap(original: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const directive = patch.$patch;
  if (directive === "replace") return omit(patch, "$patch");
  if (directive === "delete") return {};
  if (directive !== undefined && directive !== "merge") throw new PatchError(`unknown templatePatch directive $patch: ${JSON.stringify(directive)}`);
  const out: Record<string, unknown> = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch") continue;
    if (key.startsWith("$")) throw new PatchError(`templatePatch directive ${key} is not supported by Shipshape`);
    if (value === null) {
      delete out[key];
      continue;
    }
    if (isRecord(value)) {
      if (value.$patch === "delete") {
        delete out[key];
        continue;
      }
      out[key] = mergeMap(isRecord(out[key]) ? out[key] : {}, value);
      continue;
    }
    out[key] = value;
  }
  return out;
}

function omit(r: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = r;
  return rest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
