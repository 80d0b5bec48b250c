/**
 * values.schema.json files Shipshape's `$ref` check does not see, while helm validates values
 * against them and fetches what they refer to: a schema over the 10 MiB Shipshape reads (the
 * unread file is taken as having no reference), a schema inside a subchart archive that is
 * itself inside a subchart archive (only the outer archive is listed), and a `$ref` under a
 * property named `default` (the check skips every key called `default`, `enum`, `examples` or
 * `const`, wherever it is, though under `properties` it names a property, not a keyword).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "tar";
import type { CliCase } from "../harness/cli.js";
import { chart, configMap } from "./fixtures.js";

const SAFE_CHART = chart("web", "web", { "cm.yaml": configMap("settings", { a: "b" }) });

/** `dir/<name>-0.1.0.tgz` holding chart `name` (one ConfigMap) and `extra` files, as `helm package` lays it out. */
async function packChart(dir: string, name: string, extra: Record<string, string | Buffer>): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), "corpus-chart-"));
  try {
    const files: Record<string, string | Buffer> = {
      "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
      "values.yaml": "{}\n",
      "templates/cm.yaml": configMap(name, { a: "b" }),
      ...extra,
    };
    for (const [path, body] of Object.entries(files)) {
      await mkdir(join(work, name, path, ".."), { recursive: true });
      await writeFile(join(work, name, path), body);
    }
    const file = join(dir, `${name}-0.1.0.tgz`);
    await create({ gzip: true, cwd: work, file, portable: true }, [name]);
    return await readFile(file);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export const helmSchemaCases: CliCase[] = [
  {
    id: "schema/oversized-values-schema-ref-url",
    attack: "a values.schema.json of 11 MiB (over Shipshape's read limit) whose `$ref` is an http:// URL",
    targets: ["network", "host-file"],
    build: (host, id) => ({
      base: SAFE_CHART,
      head: { "web/values.schema.json": `{"$ref": "${host.loopback.url(id, "req.json")}", "description": "${"x".repeat(11 * 1024 * 1024)}"}\n` },
    }),
  },
  {
    id: "schema/archive-inside-archive-ref-url",
    attack: "charts/sub-0.1.0.tgz holding charts/inner-0.1.0.tgz, whose values.schema.json `$ref`s an http:// URL",
    targets: ["network", "host-file"],
    build: (host, id) => ({
      base: SAFE_CHART,
      head: {},
      sources: async ({ base, head, work }) => {
        const scratch = join(work, "archives");
        await mkdir(scratch, { recursive: true });
        const inner = await packChart(scratch, "inner", { "values.schema.json": `{"$ref": "${host.loopback.url(id, "inner.json")}"}\n` });
        const outer = await packChart(scratch, "sub", { "charts/inner-0.1.0.tgz": inner });
        await mkdir(join(head, "web/charts"), { recursive: true });
        await writeFile(join(head, "web/charts/sub-0.1.0.tgz"), outer);
        return { args: ["--base", base, "--head", head] };
      },
    }),
  },
  {
    id: "schema/ref-under-property-named-default",
    attack: "a values.schema.json with `properties: {default: {$ref: http://…}}`: a property called `default`, not the keyword",
    targets: ["network", "host-file"],
    build: (host, id) => ({
      base: SAFE_CHART,
      head: {
        "web/values.yaml": "default: {}\n",
        "web/values.schema.json": `{"type": "object", "properties": {"default": {"$ref": "${host.loopback.url(id, "default.json")}"}}}\n`,
      },
    }),
  },
];
