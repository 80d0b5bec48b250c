import { afterAll, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { runCli } from "../helpers/cli.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { createArgoCdRenderer } from "../../src/render/argocd/renderer.js";
import { thisRepository } from "../../src/render/argocd/repo-url.js";
import { generate, GeneratorError, type GeneratorContext } from "../../src/render/argocd/appset/generators.js";
import { OWNER_UID } from "../../src/render/argocd/appset/applicationset.js";
import { applyTemplatePatch, readTemplatePatch } from "../../src/render/argocd/appset/template-patch.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/argocd-appsets");
const URL = "https://github.com/example/appsets.git";
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
afterAll(removeTestScratchDir);

const renderer = createArgoCdRenderer(testToolOptions(), { repositoryUrls: [URL] });
const context = (goTemplate: boolean): GeneratorContext => ({ tree: dirTree(`${FIXTURE}/base`), isLocal: thisRepository([URL]), goTemplate, missingKeyError: false, read: new Set() });

async function generated(side: "base" | "head", appset: string) {
  const tree = dirTree(`${FIXTURE}/${side}`);
  const target = (await renderer.discover(tree, { isOwned: () => false })).find((t) => t.id === `argocd:argocd/${appset}#applicationset`)!;
  const outcome = await renderer.render(target, tree, LIMITS);
  if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
  return Object.fromEntries(outcome.resources.map((r) => [r.name, r.body as { metadata: Record<string, unknown>; spec: Record<string, any> }]));
}

describe("ApplicationSet features, rendered as Argo CD generates them", () => {
  it("templatePatch: rendered with the parameters, merged into the Application (lists replaced), project kept", async () => {
    const apps = await generated("base", "envs");
    expect(Object.keys(apps)).toEqual(["guestbook-dev", "guestbook-production"]);
    expect(apps["guestbook-dev"]!.spec.source.helm).toEqual({ releaseName: "dev-guestbook", valueFiles: ["values.yaml"] });
    expect(apps["guestbook-dev"]!.spec.syncPolicy).toEqual({ automated: { prune: false } });
    expect(apps["guestbook-production"]!.spec.syncPolicy).toBeUndefined();
    expect(apps["guestbook-production"]!.spec.destination.namespace).toBe("guestbook");
    expect(apps["guestbook-dev"]!.metadata.annotations).toEqual({ "example.com/labels": "tier=test;" });
    // As Argo CD's RenderTemplateParams and the controller make them.
    expect(apps["guestbook-dev"]!.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(apps["guestbook-dev"]!.metadata.ownerReferences).toEqual([{ apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet", name: "envs", uid: OWNER_UID, controller: true, blockOwnerDeletion: true }]);
  });

  it("strategic merge as Argo CD applies it: mappings merge, null deletes, $patch directives, no project change", () => {
    const app = { metadata: { name: "a", labels: { x: "1", y: "2" } }, spec: { project: "p", source: { helm: { valueFiles: ["a.yaml", "b.yaml"] } } } };
    const patch = readTemplatePatch("metadata:\n  labels:\n    y: null\n    z: '3'\nspec:\n  project: evil\n  source:\n    helm:\n      valueFiles: [c.yaml]\n");
    expect(applyTemplatePatch(app, patch)).toEqual({ metadata: { name: "a", labels: { x: "1", z: "3" } }, spec: { project: "p", source: { helm: { valueFiles: ["c.yaml"] } } } });
    expect(applyTemplatePatch(app, readTemplatePatch('{"metadata": {"labels": {"$patch": "replace", "only": "me"}}}')).metadata).toEqual({ name: "a", labels: { only: "me" } });
    expect(() => readTemplatePatch("- a list")).toThrow(/mapping/);
  });

  it("elementsYaml from a matrix's first generator; a nested generator's template is ignored, as in Argo CD", async () => {
    const apps = await generated("base", "components");
    expect(Object.keys(apps)).toEqual(["payments-api", "payments-worker", "search-indexer"]);
    expect(apps["payments-api"]!.spec.source.kustomize).toEqual({ namePrefix: "api-", replicas: [{ name: "guestbook-ui", count: "2" }] });
    expect([apps["payments-api"]!.spec.project, apps["search-indexer"]!.spec.destination.namespace]).toEqual(["payments", "silver-search"]);
    expect(apps["payments-api"]!.metadata.annotations).toEqual({ "shipshape.example/hash": expect.stringMatching(/^[0-9a-f]{8}$/) });
  });

  it("selector matchExpressions (In, NotIn, Exists, DoesNotExist) against the flattened parameters", async () => {
    const list = { list: { elements: [{ env: "dev", labels: { tier: "a" } }, { env: "qa" }, { env: "prod", labels: { tier: "b" } }] } };
    const names = async (expressions: unknown[]) => (await generate({ ...list, selector: { matchExpressions: expressions } }, context(true))).map((p) => p.env);
    expect(await names([{ key: "env", operator: "In", values: ["dev", "qa"] }])).toEqual(["dev", "qa"]);
    expect(await names([{ key: "labels.tier", operator: "NotIn", values: ["a"] }])).toEqual(["qa", "prod"]);
    expect(await names([{ key: "labels.tier", operator: "Exists" }])).toEqual(["dev", "prod"]);
    expect(await names([{ key: "labels.tier", operator: "DoesNotExist" }])).toEqual(["qa"]);
    expect(await (await generate({ ...list, selector: { matchLabels: { env: "qa" }, matchExpressions: [{ key: "env", operator: "Exists" }] } }, context(true))).map((p) => p.env)).toEqual(["qa"]);
    await expect(generate({ ...list, selector: { matchExpressions: [{ key: "env", operator: "Gt", values: ["1"] }] } }, context(true))).rejects.toThrow(GeneratorError);
  });

  it("elementsYaml that is not a YAML list of mappings is refused as Argo CD refuses it", async () => {
    await expect(generate({ list: { elementsYaml: "a: b" } }, context(true))).rejects.toThrow(/list of mappings/);
    expect(await generate({ list: { elements: [{ a: "1" }], elementsYaml: "[{b: 2}]" } }, context(false))).toEqual([{ a: "1" }, { b: 2 }]);
  });
});

describe("risk of ApplicationSet changes: the Applications they generate are compared by name", () => {
  it("raises the gitops rules on generated Applications and the ApplicationSet's policy", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const changes = (id: string) => report.changes.filter((c: { target: string }) => c.target === id).map((c: { action: string; name: string }) => `${c.action} ${c.name}`);
    expect(changes("argocd:argocd/envs#applicationset")).toEqual(["modified guestbook-dev", "removed guestbook-production"]);
    // A git file of the matrix changed and another appeared: the ApplicationSet's file did not change.
    expect(changes("argocd:argocd/components#applicationset").sort()).toEqual(["added checkout-web", "modified search-indexer"]);
    const reasons = report.risk.reasons.map((r: { ruleId: string; target: string; message: string }) => [r.ruleId, r.target, r.message]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ["gitops-prune-enabled", "argocd:argocd/envs#applicationset", expect.stringContaining("guestbook-dev")],
        ["gitops-application-removed", "argocd:argocd/envs#applicationset", expect.stringContaining("ApplicationSet envs no longer generates it")],
        ["gitops-destination-changed", "argocd:argocd/components#applicationset", expect.stringContaining("silver-search → bronze-search")],
        ["gitops-applicationset-deletion-enabled", "appsets", expect.stringContaining("create-update → sync")],
      ]),
    );
    // The payments Applications are generated as before: their ApplicationSet target shows nothing for them.
    expect(report.targets.find((t: { id: string }) => t.id === "argocd:argocd/payments-api").affected).toBe(false);
  }, 120_000);
});
