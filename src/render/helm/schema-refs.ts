/**
 * Finding values.schema.json files that refer to schemas outside themselves. While
 * validating values, helm loads `$ref` targets: URLs over HTTP and relative paths from
 * disk. A pull request could use that to make the bot reach the network (or read a file)
 * and echo the answer into an error message. Such charts render with schema validation
 * off and a warning. Vendored .tgz subcharts are looked into as well.
 */
import { join } from "node:path";
import { list } from "tar";
import type { InputProblem, Tree } from "../../core/ports.js";
import { filesUnder } from "./inputs.js";

const SCHEMA_NAME = "values.schema.json";
/** Per-entry cap when reading schemas out of archives. */
const MAX_SCHEMA_BYTES = 4 * 1024 * 1024;

/**
 * JSON Schema keywords that make a validator load another document: references (`$ref` and
 * its dynamic and recursive forms) and identifiers that change the base URI later references
 * resolve against.
 */
const REFERENCE_KEYS = new Set(["$ref", "$dynamicRef", "$recursiveRef"]);
const BASE_KEYS = new Set(["$id", "id", "$anchor"]);
/** Keywords whose values are instance data, not schemas: an `id` there is just data. */
const DATA_KEYS = new Set(["default", "examples", "const", "enum"]);
/** Meta-schemas every validator knows without loading them. */
const KNOWN_META_SCHEMA = /^https?:\/\/json-schema\.org\/(draft-0[3-7]\/schema|draft\/20(19-09|20-12)\/schema)#?$/;

/**
 * True when the schema may make helm load anything outside the document: a reference that is
 * not a fragment ("#/..."), an identifier other than a fragment, an unknown `$schema`, or text
 * that is not JSON at all. The text is parsed, not searched: JSON lets a key be spelled with
 * escapes (`"\u0024ref"`), and helm's decoder reads it as `$ref`.
 */
export function hasExternalRef(schemaText: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(schemaText);
  } catch {
    // Helm reads it its own way; Shipshape cannot vouch for what that loads.
    return schemaText.trim() !== "";
  }
  return refersOutside(doc);
}

function refersOutside(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(refersOutside);
  if (typeof node !== "object" || node === null) return false;
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYS.has(key)) continue;
    if (REFERENCE_KEYS.has(key) && !(typeof value === "string" && value.startsWith("#"))) return true;
    if (BASE_KEYS.has(key) && typeof value === "string" && !isFragmentOrName(key, value)) return true;
    if (key === "$schema" && typeof value === "string" && !KNOWN_META_SCHEMA.test(value)) return true;
    if (refersOutside(value)) return true;
  }
  return false;
}

/** `$anchor: name` and `$id: "#name"` name a place inside the document. */
function isFragmentOrName(key: string, value: string): boolean {
  if (key === "$anchor") return /^[A-Za-z_][\w.-]*$/.test(value);
  return value.startsWith("#");
}

export async function remoteSchemaRefs(tree: Tree, chartDir: string): Promise<InputProblem[]> {
  const problems: InputProblem[] = [];
  for (const file of filesUnder(tree, chartDir)) {
    if (file === SCHEMA_NAME || file.endsWith(`/${SCHEMA_NAME}`)) {
      const text = await tree.read(file).catch(() => "");
      if (hasExternalRef(text)) problems.push(warning(file, file));
      continue;
    }
    if (!file.endsWith(".tgz")) continue;
    const inner = await externalRefsInArchive(join(tree.root, file));
    for (const entry of inner) problems.push(warning(file, `${file} (${entry})`));
  }
  return problems;
}

/** Entries of a chart archive whose schema has external refs; an unreadable archive counts as one. */
async function externalRefsInArchive(path: string): Promise<string[]> {
  const found: string[] = [];
  const reads: Promise<void>[] = [];
  try {
    await list({
      file: path,
      onReadEntry(entry) {
        if (!entry.path.endsWith(`/${SCHEMA_NAME}`)) {
          entry.resume();
          return;
        }
        // Too big to inspect is treated as external: we cannot vouch for it.
        if (entry.size > MAX_SCHEMA_BYTES) {
          found.push(entry.path);
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on("data", (c: Buffer) => chunks.push(c));
        reads.push(
          new Promise((resolve) => {
            entry.on("end", () => {
              if (hasExternalRef(Buffer.concat(chunks).toString("utf8"))) found.push(entry.path);
              resolve();
            });
          }),
        );
      },
    });
    await Promise.all(reads);
  } catch {
    return ["unreadable archive"];
  }
  return found;
}

function warning(file: string, where: string): InputProblem {
  return {
    ruleId: "render/helm-external-schema",
    severity: "warning",
    message: `${where}: values.schema.json refers to schemas outside itself ($ref, $id or $schema) or is not plain JSON; values were not validated, because Shipshape does not let charts fetch or read content outside themselves`,
    file,
  };
}
