/**
 * Flux's post-build variable substitution (kustomize-controller `postBuild`), done on the YAML
 * of each built object as the controller does: `${var}`, `${var:=default}` / `${var:-default}`
 * (and the forms without the colon), `$${var}` for a literal `${var}`; an unset variable without
 * a default becomes "" (the controller's non-strict mode). Objects annotated or labelled
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone.
 */
import { isPlainObject, parseYamlStream } from "../../yaml/parse.js";

export const SUBSTITUTE_DISABLED = "kustomize.toolkit.fluxcd.io/substitute";
const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
/** `$${…}` first (the escape), then `${name}` with an optional operator and default. */
const REFERENCE = /\$\$\{|\$\{([^}:=\-]*)(?:(:?[=-])([^}]*))?\}/g;

export interface SubstituteResult {
  text: string;
  /** Variables the documents use that nothing defines (and that have no default). */
  unset: string[];
}

/** Substitutes every document of a multi-document YAML stream except the disabled ones. */
export function substituteStream(stream: string, vars: ReadonlyMap<string, string>): SubstituteResult {
  const unset = new Set<string>();
  const docs = stream.split(/^---[ \t]*\n/m).map((doc) => (isDisabled(doc) ? doc : substituteText(doc, vars, unset)));
  return { text: docs.join("---\n"), unset: [...unset].sort() };
}

export function substituteText(text: string, vars: ReadonlyMap<string, string>, unset: Set<string> = new Set()): string {
  return text.replace(REFERENCE, (match, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
    if (match === "$${") return "${";
    if (name === undefined || !NAME.test(name)) return match;
    const value = vars.get(name);
    if (op === undefined) {
      if (value === undefined) unset.add(name);
      return value ?? "";
    }
    // `:=`/`:-` also replace an empty value; `=`/`-` only an unset one.
    const useDefault = value === undefined || (op.startsWith(":") && value === "");
    return useDefault ? (fallback ?? "") : value;
  });
}

function isDisabled(doc: string): boolean {
  if (!doc.includes(SUBSTITUTE_DISABLED)) return false;
  const parsed = parseYamlStream(doc);
  const value = parsed.docs[0]?.value;
  if (!isPlainObject(value) || !isPlainObject(value.metadata)) return false;
  const { annotations, labels } = value.metadata;
  return [annotations, labels].some((m) => isPlainObject(m) && m[SUBSTITUTE_DISABLED] === "disabled");
}
