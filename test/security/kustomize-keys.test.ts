/**
 * kustomize decodes a kustomization with Go's encoding/json, which matches field names
 * case-insensitively: `Resources:` and `configmapgenerator:` are fields to kustomize. Found by
 * the red team: Shipshape's checks for remote and outside-the-repository paths read only the
 * canonical spelling, so these keys reached the network and the host. Keys are now read as
 * kustomize reads them, and two spellings of one field are refused.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { canonicalKustomization, foldKey } from "../../src/render/kustomize/field-names.js";
import { runCli } from "../helpers/cli.js";

describe("kustomization keys, folded as Go folds them", () => {
  it("brings top-level and entry keys to their canonical spelling", () => {
    const { value, clashes } = canonicalKustomization({
      Resources: ["a.yaml"],
      configmapgenerator: [{ Files: ["x=../../etc/passwd"], NAME: "x" }],
      PATCHES: [{ Path: "p.yaml" }],
      "reſources": undefined,
      OpenAPI: { Path: "kept-as-written" },
      unknownKey: 1,
    });
    expect(clashes).toEqual([{ where: "", keys: ["Resources", "reſources"] }]);
    expect(value.configMapGenerator).toEqual([{ files: ["x=../../etc/passwd"], name: "x" }]);
    expect(value.patches).toEqual([{ path: "p.yaml" }]);
    // openapi is a map to kustomize: its keys do not fold.
    expect(value.openapi).toEqual({ Path: "kept-as-written" });
    expect(value.unknownKey).toBe(1);
  });

  it("folds the Kelvin sign and the long s the way Go does", () => {
    expect(foldKey("\u212Aind")).toBe("kind");
    expect(foldKey("ſecretGenerator")).toBe("secretgenerator");
  });

  it("reports two spellings of one field inside a generator", () => {
    const { clashes } = canonicalKustomization({ secretGenerator: [{ envs: ["a.env"], Envs: ["b.env"] }] });
    expect(clashes).toEqual([{ where: "secretGenerator[0]", keys: ["envs", "Envs"] }]);
  });
});

describe("kustomizations with folded keys, end to end", () => {
  let work: string;
  let server: Server;
  let port: number;
  const requests: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "shipshape-kkeys-"));
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      res.end("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fetched}\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  async function check(name: string, kustomization: string): Promise<Report> {
    const dir = join(work, name);
    const files = (k: string) => ({ "app/kustomization.yaml": k, "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: local}\n" });
    write(join(dir, "base"), files("resources: [cm.yaml]\n"));
    write(join(dir, "head"), files(kustomization));
    mkdirSync(join(dir, "tmp"), { recursive: true });
    const run = await runCli(["check", "--base", `dir:${join(dir, "base")}`, "--head", `dir:${join(dir, "head")}`, "--format", "json"], { tmpDir: join(dir, "tmp") });
    return JSON.parse(run.stdout) as Report;
  }

  it.each([
    ["capitalised resources", (url: string) => `Resources: [cm.yaml, ${url}]\n`],
    ["lower-case generator", (url: string) => `resources: [cm.yaml]\nconfigmapgenerator:\n- name: x\n  files: [${url}]\n`],
    ["capitalised generator envs", (url: string) => `resources: [cm.yaml]\nSecretGenerator:\n- name: x\n  Envs: [${url}]\n`],
    ["long-s resources", (url: string) => `reſources: [cm.yaml, ${url}]\n`],
  ])("%s naming an http:// URL is a remote base, never fetched", async (label, kustomization) => {
    const report = await check(label.replace(/\W+/g, "-"), kustomization(`http://127.0.0.1:${port}/x.yaml`));
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: "render/remote-base", target: "app" }));
    expect(requests).toEqual([]);
  });

  it("two spellings of one field are refused, naming both", async () => {
    const report = await check("clash", "resources: [cm.yaml]\nResources: [cm.yaml]\n");
    const finding = report.findings.find((f) => f.ruleId === "render/kustomization-key-clash");
    expect(finding?.message).toContain('"resources" and "Resources"');
    expect(report.targets.find((t) => t.id === "app")?.status).toBe("skipped");
  });
});

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
