/**
 * Secret values a Compose project holds before it is normalised, read from the raw text of
 * its files so a file that does not parse (a value with a broken `${`, an env file with an
 * unterminated quote) still gives them up:
 * - values of credential-named entries in the Compose files (`DB_PASSWORD: …`,
 *   `- API_TOKEN=…`) as written, and their literal parts around `${…}`;
 * - values of credential-named variables in `.env` and env files, and of any variable a
 *   top-level `secrets:` entry takes its content from (`environment: API_KEY`);
 * - the content of files that top-level `secrets:` entries name (`file: ./db_password.txt`);
 * - credential-named `composeEnv` values of the target.
 * The pipeline adds them to the run's secret set, which scrubs every output.
 */
import { posix } from "node:path";
import { isCredentialName } from "../../core/secrets/credential-name.js";
import { assignments, valueForms } from "../../core/secrets/assignments.js";
import type { TargetSpec } from "../../core/model/target.js";
import type { InputSet, Tree } from "../../core/ports.js";
import { isPlainObject, parseYamlStream } from "../../yaml/parse.js";

const YAML_FILE = /\.ya?ml$/;

export async function withKnownSecrets(inputs: Promise<InputSet>, target: TargetSpec, tree: Tree): Promise<InputSet> {
  const set = await inputs;
  const texts = new Map<string, string>();
  for (const file of set.files) {
    if (!tree.hasFile(file)) continue;
    const text = await tree.read(file).catch(() => undefined);
    if (text !== undefined) texts.set(file, text);
  }
  const secrets = knownSecrets(texts, target.path, target.composeEnv ?? {});
  return secrets.length > 0 ? { ...set, credentials: [...(set.credentials ?? []), ...secrets] } : set;
}

/** Pure: the files of the project (Compose files by their .yml/.yaml name, the rest env files). */
export function knownSecrets(texts: ReadonlyMap<string, string>, projectDir: string, composeEnv: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  const secretVariables = new Set<string>();
  const secretFiles = new Set<string>();
  for (const [file, text] of texts) {
    if (!YAML_FILE.test(file)) continue;
    const sources = secretSources(text);
    for (const name of sources.variables) secretVariables.add(name);
    for (const path of sources.files) secretFiles.add(posix.normalize(posix.join(projectDir, path)));
    for (const { key, value } of assignments(text)) if (isCredentialName(key)) out.push(...valueForms(value));
  }
  for (const [file, text] of texts) {
    if (YAML_FILE.test(file)) continue;
    if (secretFiles.has(file)) out.push(text);
    for (const { key, value } of assignments(text)) if (isCredentialName(key) || secretVariables.has(key)) out.push(...valueForms(value));
  }
  for (const [key, value] of Object.entries(composeEnv)) if (isCredentialName(key) || secretVariables.has(key)) out.push(value);
  return out;
}

/** Where Compose secrets come from: `secrets: {name: {environment: VAR}}` and `{file: path}`. */
function secretSources(text: string): { variables: string[]; files: string[] } {
  const out = { variables: [] as string[], files: [] as string[] };
  if (!text.includes("secrets")) return out;
  for (const doc of parseYamlStream(text).docs) {
    const secrets = isPlainObject(doc.value) ? doc.value.secrets : undefined;
    if (!isPlainObject(secrets)) continue;
    for (const entry of Object.values(secrets)) {
      if (!isPlainObject(entry)) continue;
      if (typeof entry.environment === "string") out.variables.push(entry.environment);
      if (typeof entry.file === "string") out.files.push(entry.file);
    }
  }
  return out;
}
