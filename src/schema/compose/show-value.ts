/**
 * Offending values as they appear in messages: JSON, cut to a readable length, and never a
 * credential. Compose `environment` holds secrets in clear more often than not, so a value
 * whose name looks like a credential is replaced, whether it is the value reported or sits
 * inside a larger one (a whole `environment` mapping, a `KEY=value` list item).
 */
import { mentionsCredential } from "../../core/secrets/credential-name.js";

export const MAX_VALUE_CHARS = 80;
export const REDACTED = "<redacted>";

/** Compose's own field names that match the patterns above but hold no credential. */
const SPEC_FIELDS = new Set(["secrets", "credential_spec"]);

/**
 * The shared credential-name test, pointers included on purpose: a message loses nothing by
 * hiding too much, so `GITHUB_TOKEN_FILE`'s value is hidden too.
 */
export function looksLikeCredential(name: string): boolean {
  return !SPEC_FIELDS.has(name) && mentionsCredential(name);
}

/** The value at `path` for a message: redacted when a segment of the path names a credential. */
export function showValue(value: unknown, path: readonly (string | number)[]): string {
  if (path.some((s) => typeof s === "string" && looksLikeCredential(s))) return REDACTED;
  return truncate(value === undefined ? "undefined" : JSON.stringify(redactDeep(value)));
}

export function truncate(text: string, max = MAX_VALUE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function redactDeep(value: unknown): unknown {
  if (typeof value === "string") return redactAssignment(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = looksLikeCredential(k) ? REDACTED : redactDeep(v);
  return out;
}

/** `DB_PASSWORD=hunter2` (list-form environment, build args) keeps its name only. */
function redactAssignment(s: string): string {
  const eq = s.indexOf("=");
  return eq > 0 && looksLikeCredential(s.slice(0, eq)) ? `${s.slice(0, eq)}=${REDACTED}` : s;
}
