/**
 * The generic change summary: every changed field no dedicated summariser speaks for, as
 * `path: before → after`. Bodies arrive redacted (src/core/diff/redact.ts), so a credential
 * can only ever show as its marker; a Secret's data is left to the data-keys summary.
 */
import { isSecret } from "../redact.js";
import { describeField, type FieldChange } from "./fields.js";

/** Lines of the generic summary per change; the rest are counted. */
const MAX_LINES = 6;

/** Fields said elsewhere: the heading names the object, diff-target states an apiVersion move. */
const NEVER: ReadonlySet<string> = new Set(["apiVersion", "kind"]);
const SECRET_VALUES: ReadonlySet<string> = new Set(["data", "stringData"]);

export function relevantFields(changes: readonly FieldChange[], apiVersion: string, kind: string): FieldChange[] {
  const secret = isSecret({ apiVersion, kind });
  return changes.filter((c) => {
    const [top, second] = c.path;
    if (top === undefined || NEVER.has(top)) return false;
    if (top === "metadata" && second === "name") return false;
    return !(secret && SECRET_VALUES.has(top));
  });
}

export function genericLines(changes: readonly FieldChange[]): string[] {
  const shown = changes.slice(0, MAX_LINES).map((c) => describeField(c));
  const more = changes.length - shown.length;
  if (more > 0) shown.push(`…and ${more} more changed field${more === 1 ? "" : "s"} (see the diff)`);
  return shown;
}
