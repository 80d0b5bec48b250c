/**
 * Secret values a kustomize target holds before it renders: what its `secretGenerator`s and
 * builtin SecretGenerator plugin configs (`generators:`) put into Secrets. Known up front so a failed render cannot show them either: kustomize quotes a
 * literal without `=` in its own error ("invalid literal source <literal>, expected
 * key=value"), and an env file with a broken line the same way. The pipeline adds them to
 * the run's secret set, which scrubs every output.
 */
import { posix } from "node:path";
import { isCredentialName } from "../../core/secrets/credential-name.js";
import type { InputSet, Tree } from "../../core/ports.js";
import { isPlainObject } from "../../yaml/parse.js";
import { dirOf, resolveRepoPath } from "../repo-path.js";
import { isKustomizationFile, readKustomization } from "./kustomization-file.js";
import { fieldValues, PLUGIN_LISTS } from "./plugin-configs.js";
import { readPluginEntries } from "./plugin-entries.js";

export async function withKnownSecrets(inputs: Promise<InputSet>, tree: Tree): Promise<InputSet> {
  const set = await inputs;
  const found: Known = { secrets: [], credentials: [] };
  for (const file of set.files) {
    if (!isKustomizationFile(file) || !tree.hasFile(file)) continue;
    // Decided on the parsed document, never on the text: a key can be spelled with YAML
    // escapes (`"\x73ecretGenerator":`) or another case, and a plugin config is a SecretGenerator.
    const parsed = await readKustomization(tree, file);
    if (!parsed.ok) continue;
    const k = parsed.kustomization;
    const dir = dirOf(file);
    for (const gen of Array.isArray(k.value.secretGenerator) ? k.value.secretGenerator : []) {
      if (isPlainObject(gen)) await generatorSecrets(gen, dir, tree, found);
    }
    if (!PLUGIN_LISTS.some((field) => Array.isArray(k.value[field]) && k.value[field].length > 0)) continue;
    const { plugins } = await readPluginEntries(tree, k, dir);
    for (const plugin of plugins) {
      if (plugin.config.kind === "SecretGenerator") await generatorSecrets(plugin.config.config, dir, tree, found);
    }
  }
  if (found.secrets.length === 0 && found.credentials.length === 0) return set;
  return { ...set, secrets: [...(set.secrets ?? []), ...found.secrets], credentials: [...(set.credentials ?? []), ...found.credentials] };
}

/** Values of credential-named keys (`password=…`) are scrubbed even when they are plain words. */
interface Known {
  secrets: string[];
  credentials: string[];
}

/**
 * What one SecretGenerator puts into its Secret: a `secretGenerator` entry or a builtin plugin
 * config, whose files kustomize resolves against the kustomization's folder either way. Every
 * spelling of a field counts (Go's encoding/json folds case).
 */
async function generatorSecrets(gen: Record<string, unknown>, dir: string, tree: Tree, out: Known): Promise<void> {
  const push = (key: string | undefined, values: string[]) => (key !== undefined && isCredentialName(key) ? out.credentials : out.secrets).push(...values);
  for (const literal of rawStrings(gen, "literals")) push(keyOf(literal), literalValues(literal));
  for (const path of [...rawStrings(gen, "envs"), ...rawStrings(gen, "env")]) {
    const text = await readInRepo(tree, dir, path);
    if (text === undefined) continue;
    for (const line of text.split(/\r?\n/)) push(keyOf(line.trim()), envFileValues(line));
  }
  for (const entry of rawStrings(gen, "files")) {
    // "key=path" names the key; the file is after the "=".
    const eq = entry.indexOf("=");
    const text = await readInRepo(tree, dir, eq === -1 ? entry : entry.slice(eq + 1));
    if (text !== undefined) push(eq === -1 ? posix.basename(entry) : entry.slice(0, eq), [text]);
  }
}

/** The strings of a string-or-list field under every spelling, as written. */
function rawStrings(obj: Record<string, unknown>, name: string): string[] {
  return fieldValues(obj, name).flatMap(({ value }) => strings(value));
}

function keyOf(entry: string): string | undefined {
  const eq = entry.indexOf("=");
  return eq === -1 ? undefined : entry.slice(0, eq).trim();
}

/** The whole literal (kustomize quotes it when it has no `=`) and its value, quotes removed. */
export function literalValues(literal: string): string[] {
  const eq = literal.indexOf("=");
  if (eq === -1) return [literal];
  const value = literal.slice(eq + 1);
  return [literal, value, unquote(value)];
}

/** Every value of an env file, and every line (kustomize quotes a line it cannot read). */
export function envFileValues(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    out.push(line);
    const eq = line.indexOf("=");
    if (eq !== -1) out.push(line.slice(eq + 1), unquote(line.slice(eq + 1).trim()));
  }
  return out;
}

function unquote(value: string): string {
  return /^(["']).*\1$/s.test(value) ? value.slice(1, -1) : value;
}

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

async function readInRepo(tree: Tree, dir: string, ref: string): Promise<string | undefined> {
  const path = resolveRepoPath(dir, ref.trim());
  if (path === undefined || !tree.hasFile(path)) return undefined;
  return tree.read(path).catch(() => undefined);
}
