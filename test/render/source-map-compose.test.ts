import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Resource } from "../../src/core/model/resource.js";
import { renderCompose } from "../../src/render/compose/renderer.js";
import { composeFieldSource } from "../../src/render/compose/source-map.js";
import { dirTree } from "../helpers/dir-tree.js";

const ROOT = resolve(import.meta.dirname, "../..");
const LIMITS = { timeoutMs: 10_000, maxOutputBytes: 10 * 1024 * 1024 };

async function render(dir: string, path: string): Promise<Map<string, Resource>> {
  const outcome = await renderCompose({ id: path, type: "compose", path }, dirTree(resolve(ROOT, dir)), LIMITS);
  if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
  return new Map(outcome.resources.map((r) => [`${r.kind}/${r.name}`, r]));
}

describe("compose field lines across merged files", () => {
  it("give the entry's first definition as its source", async () => {
    const resources = await render("fixtures/demo/head", "compose/shop");
    expect(resources.get("Service/web")!.source).toEqual({ file: "compose/shop/compose.yaml", line: 4 });
    expect(resources.get("Volume/db-data")!.source).toEqual({ file: "compose/shop/compose.yaml", line: 71 });
  });

  it("point at the last file that set a field", async () => {
    const web = (await render("fixtures/demo/head", "compose/shop")).get("Service/web")!;
    expect(composeFieldSource(web, ["environment", "NODE_ENV"])).toEqual({ file: "compose/shop/compose.override.yaml", line: 5 });
    expect(composeFieldSource(web, ["environment", "LOG_LEVEL"])).toEqual({ file: "compose/shop/compose.override.yaml", line: 6 });
    expect(composeFieldSource(web, ["environment", "API_URL"])).toEqual({ file: "compose/shop/compose.yaml", line: 9 });
    // Short syntax expanded to the long form maps to the line of the short entry.
    expect(composeFieldSource(web, ["ports", 0, "published"])).toEqual({ file: "compose/shop/compose.yaml", line: 7 });
    expect(composeFieldSource(web, ["healthcheck", "test", 2])).toEqual({ file: "compose/shop/compose.yaml", line: 16 });
  });

  it("answer locate only for the source file, as Resource.locate promises", async () => {
    const resources = await render("fixtures/demo/head", "compose/shop");
    const web = resources.get("Service/web")!;
    expect(web.locate!([])).toBe(4);
    expect(web.locate!(["environment", "NODE_ENV"])).toBe(11);
    // Set only by the override file: the nearest line in compose.yaml is the environment key.
    expect(web.locate!(["environment", "LOG_LEVEL"])).toBe(8);
    expect(resources.get("Service/db")!.locate!(["ports"])).toBeUndefined();
    expect(composeFieldSource(resources.get("Service/db")!, ["ports", 0, "target"])).toEqual({ file: "compose/shop/compose.override.yaml", line: 9 });
  });

  it("know nothing of defaults no file wrote", async () => {
    const resources = await render("fixtures/demo/head", "compose/shop");
    expect(composeFieldSource(resources.get("Service/web")!, ["networks", "default"])).toBeUndefined();
    expect(composeFieldSource(resources.get("Network/default")!, ["name"])).toBeUndefined();
  });

  it("follow extends, in the same file and in others", async () => {
    const resources = await render("fixtures/render/compose", "extends");
    const worker = resources.get("Service/worker")!;
    expect(composeFieldSource(worker, ["environment", "TZ"])).toEqual({ file: "extends/compose.yaml", line: 5 });
    expect(composeFieldSource(worker, ["environment", "QUEUE"])).toEqual({ file: "extends/compose.yaml", line: 13 });
    expect(composeFieldSource(worker, ["labels", "team"])).toEqual({ file: "extends/compose.yaml", line: 7 });
    const api = resources.get("Service/api")!;
    expect(composeFieldSource(api, ["build", "context"])).toEqual({ file: "extends/common/services.yml", line: 3 });
    expect(composeFieldSource(api, ["ports", 0])).toEqual({ file: "extends/compose.yaml", line: 20 });
    expect(composeFieldSource(api, ["ports", 1])).toEqual({ file: "extends/common/services.yml", line: 9 });
    expect(api.locate!(["build", "context"])).toBeUndefined();
    const chained = resources.get("Service/chained")!;
    expect(composeFieldSource(chained, ["image"])).toEqual({ file: "extends/common/services.yml", line: 13 });
    expect(composeFieldSource(chained, ["volumes", 0, "source"])).toEqual({ file: "extends/common/services.yml", line: 6 });
  });
});
