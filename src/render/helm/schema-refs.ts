/**
 * Finding values.schema.json files that refer to schemas outside themselves. While
 * validating values, helm loads `$ref` targets: URLs over HTTP and relative paths from
 * disk. A pull request could use that to make the bot reach the network (or read a file)
 * and echo the answer into an error message. Such charts render with schema validation
 * off and a warning. Vendored .tgz subcharts are looked into as well (schema-archives.ts),
 * and a schema Shipshape cannot read counts as external: it cannot vouch for it.
 */
import { join } from "node:path";
import type { InputProblem, Tree } from "../../core/ports.js";
import { filesUnder } from "./inputs.js";
import { externalSchemasInArchive } from "./schema-archives.js";
import { hasExternalRef, SCHEMA_NAME } from "./schema-text.js";

export { hasExternalRef } from "./schema-text.js";

export async function remoteSchemaRefs(tree: Tree, chartDir: string): Promise<InputProblem[]> {
  const problems: InputProblem[] = [];
  for (const file of filesUnder(tree, chartDir)) {
    if (file === SCHEMA_NAME || file.endsWith(`/${SCHEMA_NAME}`)) {
      // Unreadable (over the read cap, not UTF-8): helm still reads it, so it is external here.
      const text = await tree.read(file).catch(() => undefined);
      if (text === undefined || hasExternalRef(text)) problems.push(warning(file, file));
      continue;
    }
    if (!file.endsWith(".tgz")) continue;
    const inner = await externalSchemasInArchive(join(tree.root, file));
    for (const entry of inner) problems.push(warning(file, `${file} (${entry})`));
  }
  return problems;
}

function warning(file: string, where: string): InputProblem {
  return {
    ruleId: "render/helm-external-schema",
    severity: "warning",
    message: `${where}: values.schema.json refers to schemas outside itself ($ref, $id or $schema), is not plain JSON or could not be inspected; values were not validated, because Shipshape does not let charts fetch or read content outside themselves`,
    file,
  };
}
