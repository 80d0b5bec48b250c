/**
 * kustomize's builtin plugin configs (entries of `generators:`, `transformers:`, `validators:`,
 * inline or in files) name files of their own, and kustomize fetches an http(s) path before its
 * load restrictor applies. Found by the second red team: Shipshape never looked inside them.
 * Every path a config names now goes through the kustomization's own checks, configs Shipshape
 * cannot read are refused, and SecretGenerator configs join the secrets known before rendering.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { kustomizeInputs } from "../../src/render/kustomize/inputs.js";
import { withKnownSecrets } from "../../src/render/kustomize/known-secrets.js";
import { inlineObjects } from "../../src/render/kustomize/plugin-configs.js";
import { runCli } from "../helpers/cli.js";
import { memoryTree } from "../helpers/memory-tree.js";

const URL = "http://127.0.0.1:9/x";
const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: safe}\n";
const b64 = (s: string) => Buffer.from(s).toString("base64");
/** A kustomization listing `entries` under `field` (each an inline config or a path). */
const kustomization = (field: string, ...entries: string[]) =>
  `resources: [cm.yaml]\n${field}:\n${entries.map((e) => (e.includes("\n") ? `- |-\n${e.replace(/^/gm, "  ")}` : `- ${e}`)).join("\n")}\n`;
const config = (kind: string, body: string, apiVersion = "builtin") => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: p\n${body}`;

async function inputsOf(files: Record<string, string>) {
  return kustomizeInputs("app", memoryTree("head", { "app/cm.yaml": CM, ...files }));
}
const rules = (problems: { ruleId: string }[]) => problems.map((p) => p.ruleId);

describe("paths named by builtin plugin configs", () => {
  it.each([
    ["inline ConfigMapGenerator files", { "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `files:\n- ${URL}\n`)) }],
    ["inline SecretGenerator envs", { "app/kustomization.yaml": kustomization("generators", config("SecretGenerator", `envs:\n- ${URL}\n`)) }],
    ["inline SecretGenerator env, key=path files", { "app/kustomization.yaml": kustomization("generators", config("SecretGenerator", `env: ${URL}\n`)) }],
    ["a key=URL files entry", { "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `files:\n- k=${URL}\n`)) }],
    ["a flow-style one-line inline config", { "app/kustomization.yaml": `resources: [cm.yaml]\ngenerators:\n- "{apiVersion: builtin, kind: ConfigMapGenerator, metadata: {name: p}, files: ['${URL}']}"\n` }],
    ["PatchTransformer path in a file", { "app/kustomization.yaml": kustomization("transformers", "patch.yaml"), "app/patch.yaml": config("PatchTransformer", `path: ${URL}\n`) }],
    ["PatchJson6902Transformer path", { "app/kustomization.yaml": kustomization("transformers", "p.yaml"), "app/p.yaml": config("PatchJson6902Transformer", `target: {name: settings}\npath: ${URL}\n`) }],
    ["PatchStrategicMergeTransformer paths", { "app/kustomization.yaml": kustomization("transformers", config("PatchStrategicMergeTransformer", `paths:\n- ${URL}\n`)) }],
    ["ReplacementTransformer replacements[].path", { "app/kustomization.yaml": kustomization("transformers", config("ReplacementTransformer", `replacements:\n- path: ${URL}\n`)) }],
    ["a validators entry", { "app/kustomization.yaml": kustomization("validators", config("PatchTransformer", `path: ${URL}\n`)) }],
    ["a field spelled in another case", { "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `FILES:\n- ${URL}\n`)) }],
    ["a field spelled with the long s", { "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `ſ\u0069les: [local.txt]\nfiles: [${URL}]\n`)) }],
    ["a path behind a merge key", { "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `<<: {files: ['${URL}']}\n`)) }],
    ["a !!binary path", { "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `files:\n- !!binary ${b64(URL)}\n`)) }],
    ["apiVersion /builtin (no group, version builtin)", { "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `files: [${URL}]\n`, "/builtin")) }],
    [
      "a config inside a List",
      {
        "app/kustomization.yaml": kustomization("transformers", "list.yaml"),
        "app/list.yaml": `apiVersion: v1\nkind: List\nitems:\n- apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: p}\n  path: ${URL}\n`,
      },
    ],
    [
      "a second document of a config file",
      { "app/kustomization.yaml": kustomization("transformers", "p.yaml"), "app/p.yaml": `${config("LabelTransformer", "labels: {a: b}\n")}---\n${config("PatchTransformer", `path: ${URL}\n`)}` },
    ],
    [
      "a config listed by a kustomization folder",
      {
        "app/kustomization.yaml": kustomization("transformers", "../plugins"),
        "plugins/kustomization.yaml": "resources: [patch.yaml]\n",
        "plugins/patch.yaml": config("PatchTransformer", `path: ${URL}\n`),
      },
    ],
  ])("%s naming an http:// URL is a remote reference", async (_label, files) => {
    const inputs = await inputsOf(files);
    expect(rules(inputs.blocking)).toContain("render/remote-base");
  });

  it("names the config, the field and the kustomization entry, with the config file's line", async () => {
    const inputs = await inputsOf({ "app/kustomization.yaml": kustomization("transformers", "patch.yaml"), "app/patch.yaml": config("PatchTransformer", `path: ${URL}\n`) });
    expect(inputs.blocking).toEqual([
      expect.objectContaining({
        ruleId: "render/remote-base",
        file: "app/patch.yaml",
        line: 5,
        message: expect.stringContaining(`app/patch.yaml:5: PatchTransformer path entry "${URL}" (configured by transformers[0] of app/kustomization.yaml)`),
      }),
    ]);
  });

  it("paths outside the repository and missing files are refused, resolved from the kustomization's folder", async () => {
    const outside = await inputsOf({ "app/kustomization.yaml": kustomization("generators", config("SecretGenerator", "files: [../../etc/passwd]\n")) });
    expect(rules(outside.blocking)).toEqual(["render/outside-repo"]);
    const missing = await inputsOf({ "app/kustomization.yaml": kustomization("transformers", "sub/p.yaml"), "app/sub/p.yaml": config("PatchTransformer", "path: patch.yaml\n"), "app/sub/patch.yaml": "x" });
    // kustomize resolves against app/, not against the config's own folder.
    expect(missing.blocking).toEqual([expect.objectContaining({ ruleId: "render/missing-file", message: expect.stringContaining("app/patch.yaml, which does not exist") })]);
  });

  it("local files a config names join the inputs, so they reach the disk kustomize reads", async () => {
    const inputs = await inputsOf({
      "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", "files: [conf/a.txt]\nenvs: [b.env]\n")) + "transformers: [t.yaml]\n",
      "app/conf/a.txt": "a",
      "app/b.env": "B=1\n",
      "app/t.yaml": config("PatchStrategicMergeTransformer", "paths:\n- sm.yaml\n- |-\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: settings}\n"),
      "app/sm.yaml": CM,
    });
    expect(inputs.blocking).toEqual([]);
    expect([...inputs.files].sort()).toEqual(["app/b.env", "app/cm.yaml", "app/conf/a.txt", "app/kustomization.yaml", "app/sm.yaml", "app/t.yaml"]);
  });
});

describe("plugin configs Shipshape does not read are refused", () => {
  it.each([
    ["a non-builtin plugin", config("Fetcher", `url: ${URL}\n`, "example.com/v1"), "render/kustomize-plugin", "not a kustomize builtin"],
    ["a builtin kind Shipshape does not know", config("SortOrderTransformer", "sortOptions: {order: legacy}\n"), "render/kustomize-plugin", "does not know how to read"],
    ["Helm inflation as a plugin", config("HelmChartInflationGenerator", `name: x\nrepo: ${URL}\n`), "render/kustomize-helm", "HelmChartInflationGenerator"],
    ["a key that a later merge key overrides", config("ConfigMapGenerator", `files: ['${URL}']\n<<: {files: [a.txt]}\n`), "render/kustomize-plugin", "cannot be read as kustomize reads them"],
  ])("%s", async (_label, entry, ruleId, words) => {
    const inputs = await inputsOf({ "app/kustomization.yaml": kustomization("generators", entry), "app/a.txt": "a" });
    expect(inputs.blocking).toContainEqual(expect.objectContaining({ ruleId, file: "app/kustomization.yaml", message: expect.stringContaining(words) }));
  });

  it("a folder of configs whose kustomization could change them", async () => {
    const inputs = await inputsOf({
      "app/kustomization.yaml": kustomization("transformers", "../plugins"),
      "plugins/kustomization.yaml": "resources: [p.yaml]\npatches:\n- path: fix.yaml\n",
      "plugins/p.yaml": config("LabelTransformer", "labels: {a: b}\n"),
      "plugins/fix.yaml": "x: y\n",
    });
    expect(inputs.blocking).toContainEqual(expect.objectContaining({ ruleId: "render/kustomize-plugin", file: "plugins/kustomization.yaml", message: expect.stringContaining("sets patches") }));
  });

  it("an entry that is a URL and also parses as YAML is a path, so it is remote", async () => {
    expect(inlineObjects(`${URL}?a: b`)).toBeUndefined();
    const inputs = await inputsOf({ "app/kustomization.yaml": `resources: [cm.yaml]\ngenerators:\n- "${URL}?a: b"\n` });
    expect(rules(inputs.blocking)).toEqual(["render/remote-base"]);
  });
});

describe("the kustomization's own paths, as Go decodes them", () => {
  it("a !!binary resources entry is the URL it encodes", async () => {
    const inputs = await inputsOf({ "app/kustomization.yaml": `resources:\n- cm.yaml\n- !!binary ${b64(URL)}\n` });
    expect(rules(inputs.blocking)).toEqual(["render/remote-base"]);
  });
});

describe("secrets known before rendering, from SecretGenerator plugin configs", () => {
  it.each([
    ["an inline config's literal", { "app/kustomization.yaml": kustomization("generators", config("SecretGenerator", "literals:\n- SECRETCANARYPLUGIN\n")) }],
    ["a config file's env file", { "app/kustomization.yaml": kustomization("generators", "gen.yaml"), "app/gen.yaml": config("SecretGenerator", "ENVS: [db.env]\n"), "app/db.env": "DB_PW=SECRETCANARYPLUGIN\n" }],
    ["an escaped secretGenerator key", { "app/kustomization.yaml": 'resources: [cm.yaml]\n"\\x73ecretGenerator":\n- name: db\n  literals:\n  - SECRETCANARYPLUGIN\n' }],
  ])("%s", async (_label, files) => {
    const tree = memoryTree("head", { "app/cm.yaml": CM, ...files });
    const inputs = await withKnownSecrets(kustomizeInputs("app", tree), tree);
    expect(inputs.secrets).toContain("SECRETCANARYPLUGIN");
  });
});

describe("plugin configs, end to end", () => {
  let work: string;
  let server: Server;
  let port: number;
  const requests: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "shipshape-kplugins-"));
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      res.end("a=b\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  async function check(name: string, head: Record<string, string>): Promise<Report> {
    const dir = join(work, name);
    write(join(dir, "base"), { "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": CM });
    write(join(dir, "head"), { "app/cm.yaml": CM, ...head });
    mkdirSync(join(dir, "tmp"), { recursive: true });
    const run = await runCli(["check", "--base", `dir:${join(dir, "base")}`, "--head", `dir:${join(dir, "head")}`, "--format", "json"], { tmpDir: join(dir, "tmp") });
    return JSON.parse(run.stdout) as Report;
  }

  it("an inline generator and a transformer file naming URLs are findings, and nothing is fetched", async () => {
    const url = `http://127.0.0.1:${port}/plugin`;
    const report = await check("urls", {
      "app/kustomization.yaml": kustomization("generators", config("ConfigMapGenerator", `files:\n- ${url}\n`)) + "transformers: [patch.yaml]\n",
      "app/patch.yaml": config("PatchTransformer", `path: ${url}\n`),
    });
    expect(report.findings.filter((f) => f.ruleId === "render/remote-base")).toHaveLength(2);
    expect(report.targets.find((t) => t.id === "app")?.status).toBe("skipped");
    expect(requests).toEqual([]);
  });

  it("a PatchTransformer file with a local patch renders, the patch applied", async () => {
    const report = await check("local", {
      "app/kustomization.yaml": "resources: [cm.yaml]\ntransformers: [patch.yaml]\n",
      "app/patch.yaml": config("PatchTransformer", "path: mode.yaml\n"),
      "app/mode.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: patched}\n",
    });
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(JSON.stringify(report)).toContain("patched");
  });
});

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
