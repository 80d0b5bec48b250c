/**
 * Secret values a Compose project holds before it is normalised:
 * - values of credential-named entries in the Compose files (`DB_PASSWORD: …`,
 *   `- API_TOKEN=…`), as the normaliser read them and as written (with their literal parts
 *   around `${…}`), so a file that does not load (a broken `${`) still gives them up;
 * - values of credential-named variables in `.env` and env files, and of any variable a
 *   top-level `secrets:` entry takes its content from (`environment: API_KEY`);
 * - the content of files that top-level `secrets:` entries name (`file: ./db_password.txt`);
 * - credential-named `composeEnv` values of the target.
 * Which variables and files are secret sources is decided on the parsed documents (the
 * normaliser's own, so nothing is parsed twice; a file it could not load is parsed here),
 * never on the raw text: `"\x73ecrets":` is the key `secrets` to Compose.
 * The pipeline adds the values to the run's secret set, which scrubs every output.
 */
import { isCredentialName } from "../../core/secrets/credential-name.js";
import { assignments, valueForms } from "../../core/secrets/assignments.js";
import type { TargetSpec } from "../../core/model/target.js";
import type { InputSet, Tree } from "../../core/ports.js";
import { isPlainObject, parseYamlStream } from "../../yaml/parse.js";
import type { CanonicalProject } from "./finalize.js";
import { resolveRepoPath } from "./paths.js";
import { isRecord, isTagged } from "./tagged.js";

const YAML_FILE = /\.ya?ml$/;

/** What the normaliser learnt about the project (a subset of its result). */
export interface ParsedProject {
  workingDir: string;
  /** The variables interpolation saw: composeEnv, then `.env`. */
  env: ReadonlyMap<string, string>;
  project: CanonicalProject;
  /** The Compose files of the project, loaded or not. */
  composeFiles: readonly string[];
  /** The documents of every file it loaded, as read (interpolated, before shaping). */
  files: ReadonlyMap<string, readonly Record<string, unknown>[]>;
}

export async function withKnownSecrets(
  set: InputSet,
  target: TargetSpec,
  tree: Tree,
  parsed: ParsedProject,
  read: ReadonlyMap<string, string>,
): Promise<InputSet> {
  const texts = new Map<string, string>();
  for (const file of set.files) {
    const known = read.get(file);
    if (known !== undefined) {
      texts.set(file, known);
      continue;
    }
    if (!tree.hasFile(file)) continue;
    const text = await tree.read(file).catch(() => undefined);
    if (text !== undefined) texts.set(file, text);
  }
  const secrets = knownSecrets(texts, target.path, target.composeEnv ?? {}, parsed);
  return secrets.length > 0 ? { ...set, credentials: [...(set.credentials ?? []), ...secrets] } : set;
}

/**
 * Pure: the files of the project. With `parsed`, the Compose files are those it names (a file
 * that did not load is parsed here); without it, every .yml/.yaml file, parsed here. The
 * rest are env files and secret files.
 */
export function knownSecrets(
  texts: ReadonlyMap<string, string>,
  projectDir: string,
  composeEnv: Readonly<Record<string, string>>,
  parsed?: ParsedProject,
): string[] {
  const out: string[] = [];
  const sources: SecretSources = { variables: new Set(), files: new Set() };
  const baseDir = parsed?.workingDir ?? projectDir;
  const composeFiles = new Set(parsed ? [...parsed.files.keys(), ...parsed.composeFiles] : [...texts.keys()].filter((f) => YAML_FILE.test(f)));
  for (const file of composeFiles) {
    const text = texts.get(file);
    const docs = parsed?.files.get(file) ?? (text === undefined ? [] : docsOf(text));
    for (const doc of docs) {
      addSources(doc.secrets, baseDir, sources);
      credentialValues(doc, out);
    }
    if (text !== undefined) for (const { key, value } of assignments(text)) if (isCredentialName(key)) out.push(...valueForms(value));
  }
  for (const entry of Object.values(parsed?.project.secrets ?? {})) addSource(entry, undefined, sources);
  const isSecret = (key: string) => isCredentialName(key) || sources.variables.has(key);
  for (const [file, text] of texts) {
    if (composeFiles.has(file)) continue;
    if (sources.files.has(file)) out.push(text);
    for (const { key, value } of assignments(text)) if (isSecret(key)) out.push(...valueForms(value));
  }
  // As Compose read them: quotes and escapes decoded, `${…}` expanded.
  for (const [key, value] of parsed?.env ?? []) if (isSecret(key) && value !== "") out.push(value);
  for (const [key, value] of Object.entries(composeEnv)) if (isSecret(key)) out.push(value);
  return out;
}

interface SecretSources {
  variables: Set<string>;
  files: Set<string>;
}

function docsOf(text: string): Record<string, unknown>[] {
  return parseYamlStream(text).docs.flatMap((d) => (isPlainObject(d.value) ? [d.value] : []));
}

/** `secrets: {name: {environment: VAR}}` and `{file: path}`, through `!reset`/`!override` markers. */
function addSources(secrets: unknown, baseDir: string, sources: SecretSources): void {
  const section = untag(secrets);
  if (!isRecord(section)) return;
  for (const entry of Object.values(section)) addSource(untag(entry), baseDir, sources);
}

/** `baseDir` undefined: the path is already resolved (a normalised entry). */
function addSource(entry: unknown, baseDir: string | undefined, sources: SecretSources): void {
  if (!isRecord(entry)) return;
  const environment = untag(entry.environment);
  const file = untag(entry.file);
  if (typeof environment === "string") sources.variables.add(environment);
  if (typeof file === "string") sources.files.add(baseDir === undefined ? file : resolveRepoPath(baseDir, file));
}

/** Values of credential-named keys anywhere in a document, and of `- KEY=value` list items. */
function credentialValues(node: unknown, out: string[]): void {
  const value = untag(node);
  if (Array.isArray(value)) {
    for (const item of value) {
      const eq = typeof item === "string" ? item.indexOf("=") : -1;
      if (eq > 0 && isCredentialName((item as string).slice(0, eq)) && eq < (item as string).length - 1) out.push((item as string).slice(eq + 1));
      credentialValues(item, out);
    }
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const leaf = untag(child);
    if (isCredentialName(key) && (typeof leaf === "string" || typeof leaf === "number") && String(leaf) !== "") out.push(String(leaf));
    credentialValues(child, out);
  }
}

function untag(v: unknown): unknown {
  return isTagged(v) ? v.value : v;
}
