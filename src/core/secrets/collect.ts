/**
 * The values of rendered resources that Shipshape treats as secret, added to the run's set
 * so no output shows them anywhere (a finding, a summary, another resource's diff):
 * - a Secret's `data` (as written and decoded) and `stringData`;
 * - values of env entries, Compose `environment` and `build.args` entries with credential-like
 *   names;
 * - credentials inside any string: `--db-password=…`, `PGPASSWORD=…`, `Authorization: Bearer …`,
 *   the password of a URL, `password: …` lines of an embedded config file (see
 *   credential-values.ts, which the diff redactor uses too);
 * - the value after a bare credential flag in a list (`["--password", "…"]`).
 * What a Compose `secrets:` entry takes from `.env` is known before rendering: the Compose
 * renderer reports it with the target's inputs (src/render/compose/known-secrets.ts).
 */
import { apiGroup, type Resource } from "../model/resource.js";
import { isCredentialName } from "./credential-name.js";
import { credentialSpans, isReference, splitFlagValues } from "./credential-values.js";
import { decodeBase64Text, type SecretSet } from "./secret-set.js";

export function collectSecrets(resources: readonly Resource[], set: SecretSet): void {
  for (const r of resources) collectResource(r, set);
}

function collectResource(r: Resource, set: SecretSet): void {
  if (r.kind === "Secret" && apiGroup(r.apiVersion) === "") {
    for (const [key, v] of stringEntries(r.body.data)) {
      set.addBase64(v);
      // A credential-named key's value is scrubbed even when it is a plain word.
      if (isCredentialName(key)) set.addCredential(decodeBase64Text(v.replace(/\s+/g, "")));
    }
    for (const [key, v] of stringEntries(r.body.stringData)) {
      if (isCredentialName(key)) set.addCredential(v);
      else set.add(v);
    }
  }
  walk(r.body, set);
}

function walk(node: unknown, set: SecretSet): void {
  if (typeof node === "string") {
    addSpans(node, set);
    return;
  }
  if (Array.isArray(node)) {
    for (const i of splitFlagValues(node)) set.addCredential(node[i] as string);
    for (const item of node) {
      if (isNameValue(item) && isCredentialName(item.name)) addValue(item.value, set);
      walk(item, set);
    }
    return;
  }
  if (typeof node !== "object" || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if ((k === "environment" || k === "args") && typeof v === "object" && v !== null && !Array.isArray(v)) {
      for (const [name, value] of Object.entries(v)) if (isCredentialName(name)) addValue(value, set);
    }
    walk(v, set);
  }
}

function addSpans(text: string, set: SecretSet): void {
  for (const span of credentialSpans(text)) set.addCredential(text.slice(span.start, span.end));
}

function addValue(value: unknown, set: SecretSet): void {
  if (typeof value === "number") set.add(String(value));
  if (typeof value !== "string" || isReference(value)) return;
  set.addCredential(value);
}

/** `{name, value}`: env entries, HTTP headers, parameters. */
function isNameValue(item: unknown): item is { name: string; value: unknown } {
  return typeof item === "object" && item !== null && typeof (item as { name?: unknown }).name === "string" && "value" in item;
}

function stringEntries(v: unknown): [string, string][] {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return [];
  return Object.entries(v).flatMap(([k, x]): [string, string][] => (typeof x === "string" ? [[k, x]] : typeof x === "number" ? [[k, String(x)]] : []));
}
