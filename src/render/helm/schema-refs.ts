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

/** True when a `$ref` points anywhere but inside the same document ("#/..."). */
export function hasExternalRef(schemaText: string): boolean {
  for (const match of schemaText.matchAll(/"\$ref"\s*:\s*"([^"]*)"/g)) {
    if (!match[1]!.startsWith("#")) return true;
  }
  return false;
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
    message: `${where}: values.schema.json refers to external schemas ($ref); values were not validated, because Shipshape does not let charts fetch or read content outside themselves`,
    file,
  };
}
