/**
 * helm loads what a values.schema.json refers to (`$ref` over HTTP, or from disk) while it
 * validates values; Shipshape renders such charts with schema validation off. Found by the
 * second red team: a schema over the 10 MiB read cap counted as having no reference, an archive
 * inside a vendored archive was never opened, and every key called `default`, `enum`, `examples`
 * or `const` was skipped, even a property of that name. Now whatever cannot be read counts as
 * external, nested archives are opened within bounds, and references are checked everywhere.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { create } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { TreeReadError, type Tree } from "../../src/core/ports.js";
import { externalSchemasInArchive } from "../../src/render/helm/schema-archives.js";
import { hasExternalRef, remoteSchemaRefs } from "../../src/render/helm/schema-refs.js";
import { runCli } from "../helpers/cli.js";
import { memoryTree } from "../helpers/memory-tree.js";

const URL = "http://127.0.0.1:9/x.json";

describe("references are checked wherever they are", () => {
  it.each([
    ["a property named default", { properties: { default: { $ref: URL } } }],
    ["a property named enum, under definitions", { definitions: { a: { properties: { enum: { $ref: URL } } } } }],
    ["a $ref inside default data (a fragment pointer can make it a schema)", { $ref: "#/default", default: { $ref: URL } }],
    ["a $ref as a property name (`#/properties` makes the map a schema)", { $ref: "#/properties", properties: { $ref: URL } }],
    ["a $dynamicRef in examples", { examples: [{ $dynamicRef: URL }] }],
    ["a $schema inside const", { const: { $id: "http://127.0.0.1:9/base", $schema: URL } }],
  ])("%s", (_label, schema) => {
    expect(hasExternalRef(JSON.stringify(schema))).toBe(true);
  });

  it.each([
    ["data with an id", { properties: { a: { default: { id: "x" }, examples: [{ id: "abc" }] } } }],
    ["a property called id", { properties: { id: { type: "string" } } }],
    ["local references", { $defs: { port: { type: "integer" } }, properties: { default: { $ref: "#/$defs/port" } } }],
    ["a byte-order mark (helm drops it)", "\uFEFF" + JSON.stringify({ properties: { a: { $ref: "#/x" } } })],
  ])("no warning for %s", (_label, schema) => {
    expect(hasExternalRef(typeof schema === "string" ? schema : JSON.stringify(schema))).toBe(false);
  });
});

describe("a schema Shipshape cannot read counts as external", () => {
  it.each([
    ["too-large", "over the read cap"],
    ["invalid-utf8", "not UTF-8"],
  ] as const)("%s", async (reason, message) => {
    const base = memoryTree("head", { "web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n", "web/values.schema.json": "{}" });
    const tree: Tree = {
      ...base,
      read: async (p) => {
        if (p.endsWith("values.schema.json")) throw new TreeReadError(p, reason, `${p}: ${message}`);
        return base.read(p);
      },
    };
    expect(await remoteSchemaRefs(tree, "web")).toEqual([expect.objectContaining({ ruleId: "render/helm-external-schema", file: "web/values.schema.json" })]);
  });
});

describe("archives inside archives", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "shipshape-schemas-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** `<name>-0.1.0.tgz` holding chart `name` with `extra` files, laid out as `helm package` does. */
  async function pack(name: string, extra: Record<string, string | Buffer>): Promise<Buffer> {
    const dir = mkdtempSync(join(work, "pack-"));
    const files = { "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`, "values.yaml": "{}\n", ...extra };
    for (const [path, body] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name, path)), { recursive: true });
      writeFileSync(join(dir, name, path), body);
    }
    const file = join(dir, `${name}.tgz`);
    await create({ gzip: true, cwd: dir, file, portable: true }, [name]);
    return readFileSync(file);
  }

  async function archiveFile(data: Buffer): Promise<string> {
    const file = join(mkdtempSync(join(work, "outer-")), "outer-0.1.0.tgz");
    writeFileSync(file, data);
    return file;
  }

  it("a schema two archives deep is read, and named by its chain", async () => {
    const inner = await pack("inner", { "values.schema.json": JSON.stringify({ $ref: URL }) });
    const outer = await pack("sub", { "charts/inner-0.1.0.tgz": inner });
    expect(await externalSchemasInArchive(await archiveFile(outer))).toEqual(["sub/charts/inner-0.1.0.tgz → inner/values.schema.json"]);
  });

  it("clean nested archives give no warning", async () => {
    const inner = await pack("inner", { "values.schema.json": JSON.stringify({ $ref: "#/$defs/a", $defs: { a: {} } }) });
    const outer = await pack("sub", { "charts/inner-0.1.0.tgz": inner, "values.schema.json": "{}" });
    expect(await externalSchemasInArchive(await archiveFile(outer))).toEqual([]);
  });

  it("archives nested deeper than the bound are not opened, and count as external", async () => {
    let archive = await pack("c0", {});
    for (let i = 1; i <= 5; i++) archive = await pack(`c${i}`, { [`charts/c${i - 1}-0.1.0.tgz`]: archive });
    const found = await externalSchemasInArchive(await archiveFile(archive));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("not inspected");
  });

  it("a schema named with Windows separators, as helm's loader splits it", async () => {
    // One entry `sub/x\values.schema.json`: helm splits on `\` and reads it as the chart's schema.
    const outer = await pack("sub", { "x\\values.schema.json": JSON.stringify({ $ref: URL }) });
    expect(await externalSchemasInArchive(await archiveFile(outer))).toEqual(["sub/x\\values.schema.json"]);
  });

  it("an archive that is not one is external", async () => {
    expect(await externalSchemasInArchive(await archiveFile(Buffer.from("not a tarball")))).toEqual(["unreadable archive"]);
  });
});

describe("schemas, end to end", () => {
  let work: string;
  let server: Server;
  let port: number;
  const requests: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "shipshape-schemas-e2e-"));
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  const CHART = {
    "web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    "web/values.yaml": "default: {}\n",
    "web/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n",
  };

  async function check(name: string, head: Record<string, string>): Promise<Report> {
    const dir = join(work, name);
    for (const [side, files] of [["base", CHART], ["head", { ...CHART, ...head }]] as const) {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, side, path)), { recursive: true });
        writeFileSync(join(dir, side, path), text);
      }
    }
    mkdirSync(join(dir, "tmp"), { recursive: true });
    const run = await runCli(["check", "--base", `dir:${join(dir, "base")}`, "--head", `dir:${join(dir, "head")}`, "--format", "json"], { tmpDir: join(dir, "tmp") });
    return JSON.parse(run.stdout) as Report;
  }

  it("a $ref under a property named default renders without validation, and nothing is fetched", async () => {
    const report = await check("default", { "web/values.schema.json": JSON.stringify({ type: "object", properties: { default: { $ref: `http://127.0.0.1:${port}/d.json` } } }) });
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: "render/helm-external-schema", file: "web/values.schema.json" }));
    expect(report.targets.find((t) => t.id === "web")?.status).not.toBe("skipped");
    expect(requests).toEqual([]);
  });

  it("a schema over the read cap renders without validation, and nothing is fetched", async () => {
    const big = `{"$ref": "http://127.0.0.1:${port}/big.json", "description": "${"x".repeat(11 * 1024 * 1024)}"}`;
    const report = await check("big", { "web/values.schema.json": big });
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: "render/helm-external-schema" }));
    expect(requests).toEqual([]);
  });
});
