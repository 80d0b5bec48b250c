/**
 * Secret values a Helm target holds before it renders: credential-named entries of its
 * values files (`password: …`, `apiToken: …`, `auth: {clientSecret: …}`), and credentials in
 * any line in a form that says so (`url: postgres://app:<pw>@db`, `args: --db-password=<pw>`). Known up front so a
 * chart that fails cannot show them in its error either (`{{ fail .Values.db.password }}`,
 * a type error that prints the value). Keys that name a Secret rather than hold one
 * (`existingSecret`, `secretName`, `passwordSecretRef`, `passwordSecretKey`; a plain
 * `secretKey` is a credential) are left out: their value is a resource name the diff must
 * keep showing.
 */
import { posix } from "node:path";
import { assignments, valueForms } from "../../core/secrets/assignments.js";
import { isCredentialName } from "../../core/secrets/credential-name.js";
import { unambiguousCredentials } from "../../core/secrets/credential-values.js";
import type { Tree } from "../../core/ports.js";
import type { HelmInputs } from "./inputs.js";

const VALUES_FILE = /^values[^/]*\.ya?ml$/;
const NAMES_A_SECRET = /existing|secret_?name|secret_?ref|key_?ref|.secret_?key$/i;
/** Values that are structure, not a scalar: a block scalar header, a flow collection, a template. */
const NOT_A_SCALAR = /^([|>][-+0-9]*|\{.*\}|\[.*\]|~|null|\{\{.*)$/;

export async function withKnownSecrets(inputs: Promise<HelmInputs>, tree: Tree): Promise<HelmInputs> {
  const set = await inputs;
  const files = new Set([...set.valueFiles, ...[...set.files].filter((f) => VALUES_FILE.test(posix.basename(f)))]);
  const secrets: string[] = [];
  for (const file of files) {
    if (!tree.hasFile(file)) continue;
    const text = await tree.read(file).catch(() => undefined);
    if (text !== undefined) secrets.push(...valuesFileSecrets(text));
  }
  return secrets.length > 0 ? { ...set, credentials: [...(set.credentials ?? []), ...secrets] } : set;
}

export function valuesFileSecrets(text: string): string[] {
  // Credentials under any key, in the forms that say so themselves (a URL's password, a
  // `--db-password=` argument, an `Authorization: Bearer` value): a failing chart may quote them.
  const out: string[] = text.split(/\r?\n/).flatMap((line) => unambiguousCredentials(line));
  for (const { key, value } of assignments(text)) {
    if (!isCredentialName(key) || NAMES_A_SECRET.test(key)) continue;
    const scalar = withoutComment(value);
    if (NOT_A_SCALAR.test(scalar.replace(/^(["'])(.*)\1$/, "$2"))) continue;
    out.push(...valueForms(scalar));
  }
  return out;
}

/**
 * The value before a ` #` comment. Not `/\s+#.*$/`: that pattern rescans a run of spaces from
 * each of its positions, quadratic on a long line of them.
 */
function withoutComment(value: string): string {
  const at = /\s#/.exec(value);
  return at ? value.slice(0, at.index + 1).trimEnd() : value;
}
