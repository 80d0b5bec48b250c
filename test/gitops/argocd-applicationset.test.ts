import { afterAll, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { runCli } from "../helpers/cli.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { createArgoCdRenderer } from "../../src/render/argocd/renderer.js";
import { thisRepository } from "../../src/render/argocd/repo-url.js";
import { generate, GeneratorError, type GeneratorContext } from "../../src/render/argocd/appset/generators.js";
import { renderGoTemplate } from "../../src/render/argocd/appset/go-template.js";
import { renderFastTemplate } from "../../src/render/argocd/appset/fast-template.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/argocd-platform");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const URL = "https://github.com/example/platform.git";
afterAll(removeTestScratchDir);

const renderer = createArgoCdRenderer(testToolOptions(), { repositoryUrls: [URL] });
const base = () => dirTree(`${FIXTURE}/base`);
const context = (goTemplate: boolean): GeneratorContext => ({ tree: base(), isLocal: thisRepository([URL]), goTemplate, missingKeyError: false, read: new Set() });

async function rendered(id: string) {
  const tree = base();
  const target = (await renderer.discover(tree, { isOwned: () => false })).find((t) => t.id === id)!;
  const outcome = await renderer.render(target, tree, LIMITS);
  return { target, outcome };
}

describe("ApplicationSets", () => {
  it("makes each generated Application a target in the ApplicationSet's namespace, on the folder it renders", async () => {
    const targets = await renderer.discover(base(), { isOwned: () => false });
    const generated = targets.filter((t) => t.definedIn?.file.startsWith("appsets/")).map((t) => [t.id, t.path, t.namespace ?? null]);
    expect(generated).toEqual([
      ["argocd:argocd/cluster-addons#applicationset", "appsets", null],
      ["argocd:argocd/addon-ingress-nginx", "cluster-addons/ingress-nginx", "ingress-nginx"],
      ["argocd:argocd/addon-metrics-server", "cluster-addons/metrics-server", "metrics-server"],
      ["argocd:argocd/guestbook-per-cluster#applicationset", "appsets", null],
      ["argocd:argocd/guestbook-envs#applicationset", "appsets", null],
      ["argocd:argocd/staging-guestbook", "kustomize-guestbook", "guestbook-staging"],
      ["argocd:argocd/production-guestbook", "kustomize-guestbook", "guestbook-production"],
      ["argocd:argocd/helm-guestbook-clusters#applicationset", "appsets", null],
      ["argocd:argocd/engineering-dev-helm-guestbook", "helm-guestbook", "helm-guestbook-engineering-dev"],
      ["argocd:argocd/engineering-prod-helm-guestbook", "helm-guestbook", "helm-guestbook-engineering-prod"],
    ]);
  });

  it("renders a list element's parameters into the Application (kustomize replicas)", async () => {
    const { outcome } = await rendered("argocd:argocd/production-guestbook");
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.find((r) => r.kind === "Deployment")!.body).toMatchObject({ spec: { replicas: 3 } });
  });

  it("renders a git files generator's flattened JSON into helm parameters, and counts the file as an input", async () => {
    const { target, outcome } = await rendered("argocd:argocd/engineering-prod-helm-guestbook");
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.find((r) => r.kind === "Deployment")!.body).toMatchObject({ spec: { replicas: 2 } });
    const inputs = await renderer.inputs(target, base());
    expect(inputs.files.has("cluster-config/engineering-prod/config.json")).toBe(true);
    expect(inputs.shared).toEqual(expect.arrayContaining(["appsets/helm-guestbook-clusters.yaml", "cluster-config/engineering-prod/config.json"]));
  });

  it("reports a generator that needs the cluster as not evaluated, not fatal", async () => {
    const { outcome } = await rendered("argocd:argocd/guestbook-per-cluster#applicationset");
    expect(outcome.status === "invalid" && outcome.problems.map((p) => [p.ruleId, p.severity, p.file])).toEqual([["gitops/generator-unsupported", "warning", "appsets/cluster-generator.yaml"]]);
  });
});

describe("ApplicationSet generators", () => {
  it("git directories: Go's path.Match globs, exclusions win, flat path parameters without goTemplate", async () => {
    const params = await generate({ git: { repoURL: URL, directories: [{ path: "cluster-*/*" }, { path: "cluster-addons/experimental", exclude: true }] } }, context(false));
    expect(params.map((p) => p.path)).toEqual(["cluster-addons/ingress-nginx", "cluster-addons/metrics-server", "cluster-config/engineering-dev", "cluster-config/engineering-prod"]);
    expect(params[0]).toEqual({ path: "cluster-addons/ingress-nginx", "path.basename": "ingress-nginx", "path.basenameNormalized": "ingress-nginx", "path[0]": "cluster-addons", "path[1]": "ingress-nginx" });
  });

  it("matrix: the second generator uses the first one's parameters; merge overrides by mergeKeys", async () => {
    const matrix = await generate(
      { matrix: { generators: [{ list: { elements: [{ env: "dev", dir: "engineering-dev" }] } }, { git: { repoURL: URL, files: [{ path: "cluster-config/{{dir}}/config.json" }] } }] } },
      context(false),
    );
    expect(matrix).toHaveLength(1);
    expect(matrix[0]).toMatchObject({ env: "dev", "cluster.name": "engineering-dev", replicas: "1", "path.filename": "config.json" });
    const merged = await generate(
      {
        merge: {
          mergeKeys: ["cluster.name"],
          generators: [{ git: { repoURL: URL, files: [{ path: "cluster-config/*/config.json" }] } }, { list: { elements: [{ cluster: { name: "engineering-prod" }, replicas: 5 }, { cluster: { name: "unknown" } }] } }],
        },
      },
      context(true),
    );
    expect(merged.map((p) => [(p.cluster as { name: string }).name, p.replicas])).toEqual([
      ["engineering-dev", 1],
      ["engineering-prod", 5],
    ]);
  });

  it("reads only the snapshot: a files pattern climbing out of the repository matches nothing", async () => {
    const ctx = context(false);
    expect(await generate({ git: { repoURL: URL, files: [{ path: "../**/config.json" }, { path: "/etc/*" }] } }, ctx)).toEqual([]);
    expect([...ctx.read]).toEqual([]);
  });

  it("refuses generators that read another repository or ask an API, naming the rule", async () => {
    const outside = generate({ git: { repoURL: "https://github.com/other/repo", directories: [{ path: "*" }] } }, context(false));
    await expect(outside).rejects.toMatchObject({ ruleId: "gitops/source-unavailable" });
    for (const g of [{ pullRequest: { github: {} } }, { scmProvider: {} }, { plugin: {} }, { clusterDecisionResource: {} }]) {
      await expect(generate(g, context(false))).rejects.toBeInstanceOf(GeneratorError);
      await expect(generate(g, context(false))).rejects.toMatchObject({ ruleId: "gitops/generator-unsupported" });
    }
  });
});

describe("ApplicationSet templates", () => {
  it("merges a generator's own template over spec.template, its set fields winning", async () => {
    const { expandApplicationSet } = await import("../../src/render/argocd/appset/applicationset.js");
    const body = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "ApplicationSet",
      metadata: { name: "mixed", namespace: "argocd" },
      spec: {
        generators: [
          { list: { elements: [{ name: "a" }] } },
          { list: { elements: [{ name: "b" }], template: { metadata: {}, spec: { project: "", source: { repoURL: URL, path: "helm-guestbook" } } } } },
        ],
        template: { metadata: { name: "{{name}}", namespace: "ignored" }, spec: { project: "default", source: { repoURL: URL, path: "guestbook" }, destination: { namespace: "{{name}}" } } },
      },
    };
    const generated = await expandApplicationSet({ apiVersion: body.apiVersion, kind: body.kind, name: "mixed", namespace: "argocd", body }, "appsets/mixed.yaml", 0, base(), thisRepository([URL]));
    expect(generated.problems).toEqual([]);
    expect(generated.apps.map((a) => [a.name, a.namespace, a.project, a.source?.path, a.destination.namespace])).toEqual([
      ["a", "argocd", "default", "guestbook", "a"],
      ["b", "argocd", "default", "helm-guestbook", "b"],
    ]);
  });

  it("fasttemplate: replaces known tags, keeps unknown ones as written", () => {
    expect(renderFastTemplate("{{ env }}-{{path[1]}}-{{missing}}", { env: "qa", "path[1]": "web" })).toBe("qa-web-{{missing}}");
  });

  it("Go templates: fields, pipelines, if/else, sprig text functions, missing keys", () => {
    const params = { path: { basename: "Web_App", segments: ["apps", "web"] }, env: "prod", n: 3 };
    expect(renderGoTemplate("{{ .path.basename | normalize }}-{{ index .path.segments 1 | upper }}", params)).toBe("web-app-WEB");
    expect(renderGoTemplate('{{- if eq .env "prod" }}big{{ else }}small{{ end -}}', params)).toBe("big");
    expect(renderGoTemplate('{{ printf "%s-%d" .env .n }} {{ .nope | default "x" }} {{ .nope }}', params)).toBe("prod-3 x <no value>");
    expect(renderGoTemplate('{{ trimPrefix "we" (lower "WEB") | quote }}', params)).toBe('"b"');
    expect(() => renderGoTemplate("{{ .nope }}", params, { missingKeyError: true })).toThrow(/missingkey=error/);
    expect(() => renderGoTemplate("{{ env \"HOME\" }}", params)).toThrow(/not defined/);
    expect(() => renderGoTemplate("{{ now }}", params)).toThrow(/does not evaluate/);
    expect(() => renderGoTemplate("{{ constructor }}", params)).toThrow(/not supported/);
  });
});

describe("ApplicationSet review of the fixture repository", () => {
  it("reviews generated Applications: a new list element is a new target, a changed git file changes its Application", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const affected = report.targets.filter((t: { affected: boolean }) => t.affected).map((t: { id: string }) => t.id);
    expect(affected).toEqual(expect.arrayContaining(["argocd:argocd/qa-guestbook", "argocd:argocd/engineering-dev-helm-guestbook"]));
    // Its own config.json did not change: the other file's Application is not affected.
    expect(affected).not.toContain("argocd:argocd/engineering-prod-helm-guestbook");
    // Generated Applications and the ApplicationSet that could not generate any are Argo CD's.
    const target = (id: string) => report.targets.find((t: { id: string }) => t.id === id);
    expect(target("argocd:argocd/qa-guestbook")).toMatchObject({ controller: "argocd", kind: "Application" });
    expect(target("argocd:argocd/guestbook-per-cluster#applicationset")).toMatchObject({ controller: "argocd", kind: "ApplicationSet" });
    const changes = (id: string) => report.changes.filter((c: { target: string }) => c.target === id).map((c: { action: string; kind: string }) => `${c.action} ${c.kind}`);
    expect(changes("argocd:argocd/engineering-dev-helm-guestbook")).toEqual(["modified Deployment"]);
    expect(changes("argocd:argocd/qa-guestbook").sort()).toEqual(["added Deployment", "added Service"]);
  }, 120_000);
});
