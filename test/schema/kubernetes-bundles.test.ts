import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BUNDLED_VERSIONS } from "../../src/schema/kubernetes/index.js";
import { QUANTITY_PATTERN } from "../../src/schema/kubernetes/quantity.js";
import type { ApiHistory, KubernetesBundle } from "../../src/schema/kubernetes/types.js";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const schemaDir = join(root, "schemas", "kubernetes");
const sharedDir = resolve(root, "../shared");
const hasShared = existsSync(join(sharedDir, "k8s-openapi"));

interface Generator {
  QUANTITY_PATTERN: string;
  buildSchemaFiles(sharedDir: string): Promise<{ files: Map<string, Buffer | string> }>;
}
// Imported by URL: the generator is a plain .mjs script with no type declarations.
const loadGenerator = async () => (await import(pathToFileURL(join(root, "scripts", "build-schemas.mjs")).href)) as Generator;

const readBundle = (version: string) => JSON.parse(gunzipSync(readFileSync(join(schemaDir, `${version}.json.gz`))).toString("utf8")) as KubernetesBundle;

describe("committed bundles", () => {
  it("are exactly the bundled versions", () => {
    const files = readdirSync(schemaDir).filter((f) => f.endsWith(".json.gz")).map((f) => f.replace(".json.gz", ""));
    expect(files.sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]))).toEqual(BUNDLED_VERSIONS);
    const history = JSON.parse(readFileSync(join(schemaDir, "index.json"), "utf8")) as ApiHistory;
    expect(history.versions).toEqual(BUNDLED_VERSIONS);
  });

  it.each(BUNDLED_VERSIONS)("%s is compact and self-contained", (version) => {
    expect(statSync(join(schemaDir, `${version}.json.gz`)).size).toBeLessThan(64 * 1024);
    const bundle = readBundle(version);
    expect(bundle.version).toBe(version);
    expect(bundle.kinds["apps/v1/Deployment"]).toBe("io.k8s.api.apps.v1.Deployment");
    expect(bundle.kinds["v1/ConfigMap"]).toBe("io.k8s.api.core.v1.ConfigMap");
    const text = JSON.stringify(bundle.definitions);
    // Descriptions are dropped (a property named "description", as in JSONSchemaProps, stays).
    expect(/"description":"/.test(text)).toBe(false);
    for (const [, name] of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) expect(bundle.definitions[name!], name).toBeDefined();
    for (const name of Object.values(bundle.kinds)) expect(bundle.definitions[name]).toBeDefined();
  });

  it("pin apiVersion and kind and keep the quantity grammar the validator recognises", () => {
    const bundle = readBundle("1.31");
    const deployment = bundle.definitions["io.k8s.api.apps.v1.Deployment"] as { properties: Record<string, unknown> };
    expect(deployment.properties.apiVersion).toEqual({ const: "apps/v1" });
    expect(deployment.properties.kind).toEqual({ const: "Deployment" });
    expect(bundle.definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"]).toEqual({ type: ["string", "number"], pattern: QUANTITY_PATTERN });
  });

  it("match the generator's quantity grammar", async () => {
    expect((await loadGenerator()).QUANTITY_PATTERN).toBe(QUANTITY_PATTERN);
  });

  it("come with a notice naming their source and licence", () => {
    const notice = readFileSync(join(root, "schemas", "NOTICE.md"), "utf8");
    expect(notice).toContain("The Kubernetes Authors");
    expect(notice).toContain("Apache License, Version 2.0");
    expect(notice).toContain("58cd75edc564e7ff9d47acd987be6ab0f466e7d8");
  });

  it("are what the product reads: no source file refers to ../shared (docs may)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.ts$/.test(entry.name) && /k8s-openapi|\.\.\/shared/.test(readFileSync(path, "utf8"))) offenders.push(path);
      }
    };
    walk(join(root, "src"));
    expect(offenders).toEqual([]);
  });
});

if (!hasShared) console.warn(`kubernetes-bundles.test.ts: ${sharedDir}/k8s-openapi is absent; skipping the check that schemas/kubernetes is up to date`);

describe.skipIf(!hasShared)("committed bundles are up to date with `npm run schemas` (needs ../shared)", () => {
  it("regenerate to the same content", async () => {
    const { files } = await (await loadGenerator()).buildSchemaFiles(sharedDir);
    expect([...files.keys()].sort()).toEqual(readdirSync(schemaDir).sort());
    for (const [name, content] of files) {
      const committed = readFileSync(join(schemaDir, name));
      // Compared decompressed: gzip bytes may differ between zlib builds for the same JSON.
      const same = name.endsWith(".gz") ? gunzipSync(committed).equals(gunzipSync(content as Buffer)) : committed.toString("utf8") === content;
      expect(same, `${name} is stale: run npm run schemas`).toBe(true);
    }
  });
});
