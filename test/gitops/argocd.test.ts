import { afterAll, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { runCli } from "../helpers/cli.js";
import { renderMarkdown } from "../../src/present/index.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { createArgoCdRenderer } from "../../src/render/argocd/renderer.js";
import { normalizeRepoUrl } from "../../src/render/argocd/repo-url.js";
import { parseImageOverride } from "../../src/render/argocd/kustomize-wrapper.js";
import { setValues } from "../../src/render/argocd/helm-values.js";
import type { Resource } from "../../src/core/model/resource.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/argocd");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const URLS = { repositoryUrls: ["https://github.com/example/platform"] };
afterAll(removeTestScratchDir);

const renderer = createArgoCdRenderer(testToolOptions(), URLS);
const base = () => dirTree(`${FIXTURE}/base`);

async function render(id: string): Promise<Resource[]> {
  const tree = base();
  const target = (await renderer.discover(tree, { isOwned: () => false })).find((t) => t.id === id)!;
  const outcome = await renderer.render(target, tree, LIMITS);
  if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
  return outcome.resources;
}

describe("Argo CD discovery", () => {
  it("makes each Application a target named after it, on its source folder, in its destination namespace", async () => {
    const targets = await renderer.discover(base(), { isOwned: () => false });
    expect(targets.map((t) => [t.id, t.path, t.namespace])).toEqual([
      ["argocd:argocd/guestbook", "guestbook", "guestbook"],
      ["argocd:argocd/podinfo", "charts/podinfo", "podinfo"],
      ["argocd:argocd/plain", "plain", "plain"],
      ["argocd:argocd/cert-manager", "apps", "cert-manager"],
    ]);
  });

  it("matches the repository's URL in its https, ssh and scp forms", () => {
    const want = "github.com/example/platform";
    for (const url of ["https://github.com/example/platform.git", "git@github.com:example/platform.git", "ssh://git@GitHub.com/example/platform/", "https://github.com/example/platform"]) {
      expect(normalizeRepoUrl(url)).toBe(want);
    }
    expect(normalizeRepoUrl("https://github.com/example/other")).not.toBe(want);
  });

  it("counts the Application file, the source folder and values files outside it as inputs", async () => {
    const tree = base();
    const [, podinfo] = await renderer.discover(tree, { isOwned: () => false });
    const inputs = await renderer.inputs(podinfo!, tree);
    expect([...inputs.files].sort()).toEqual(["apps/podinfo.yaml", "charts/podinfo/Chart.yaml", "charts/podinfo/templates/deployment.yaml", "charts/podinfo/values.yaml", "envs/prod/values.yaml"]);
    expect(inputs.shared).toEqual(["apps/podinfo.yaml"]);
  });
});

describe("Argo CD rendering", () => {
  it("applies the kustomize options to the folder: prefix, labels, annotations, images, replicas, patches", async () => {
    const resources = await render("argocd:argocd/guestbook");
    const deploy = resources.find((r) => r.kind === "Deployment")!;
    expect(deploy.name).toBe("prod-guestbook");
    expect(deploy.body).toMatchObject({
      metadata: { labels: { team: "web" }, annotations: { owner: "web-team" } },
      spec: {
        replicas: 3,
        template: { spec: { priorityClassName: "high", containers: [{ image: "gcr.io/example/guestbook:v1.1" }] } },
      },
    });
    expect(resources.find((r) => r.kind === "Service")!.name).toBe("prod-guestbook");
    // Built through Shipshape's wrapper, yet each object names the repository file it comes from.
    expect(deploy.source?.file).toMatch(/^guestbook\/[^/]+\.yaml$/);
    expect(JSON.stringify(deploy.body)).not.toContain("config.kubernetes.io/origin");
  });

  it("renders the chart with valueFiles < values < parameters, the release name and namespace", async () => {
    const [deploy] = await render("argocd:argocd/podinfo");
    expect(deploy!.name).toBe("frontend");
    expect(deploy!.namespace).toBe("podinfo");
    expect(deploy!.body).toMatchObject({
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [
              {
                image: "ghcr.io/example/podinfo:6.1.0",
                env: [
                  { name: "PODINFO_UI_COLOR", value: "#34577c" },
                  { name: "PODINFO_UI_MESSAGE", value: "from-values" },
                ],
              },
            ],
          },
        },
      },
    });
  });

  it("reads a plain directory recursively, leaving out what `exclude` matches", async () => {
    const names = (await render("argocd:argocd/plain")).map((r) => r.name).sort();
    expect(names).toEqual(["plain-more", "plain-settings"]);
  });

  it("reports a source outside this repository as not reviewed", async () => {
    const tree = base();
    const target = (await renderer.discover(tree, { isOwned: () => false })).find((t) => t.id === "argocd:argocd/cert-manager")!;
    const outcome = await renderer.render(target, tree, LIMITS);
    expect(outcome.status).toBe("invalid");
    expect(outcome.status === "invalid" && outcome.problems.map((p) => p.ruleId)).toEqual(["gitops/source-unavailable"]);
  });
});

describe("Argo CD option syntax", () => {
  it("reads image overrides as kustomize edit set image does", () => {
    expect(parseImageOverride("nginx:1.2")).toEqual({ name: "nginx", newTag: "1.2" });
    expect(parseImageOverride("nginx=registry:5000/nginx:1.3")).toEqual({ name: "nginx", newName: "registry:5000/nginx", newTag: "1.3" });
    expect(parseImageOverride("nginx@sha256:abc")).toEqual({ name: "nginx", digest: "sha256:abc" });
  });

  it("types --set parameters as helm does, and keeps forceString text", () => {
    const { values, problems } = setValues(
      [
        { name: "a.b", value: "3" },
        { name: "a.c\\.d", value: "true" },
        { name: "list[1]", value: "x" },
        { name: "s", value: "007", forceString: true },
        { name: "..", value: "bad" },
      ],
      { file: "app.yaml" },
    );
    expect(values).toEqual({ a: { b: 3, "c.d": true }, list: [undefined, "x"], s: "007" });
    expect(problems.map((p) => p.ruleId)).toEqual(["gitops/application-invalid"]);
  });
});

describe("Argo CD review of the fixture repository", () => {
  it("reviews applications, not their folders, and raises application-level risk", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const ids = report.targets.map((t: { id: string }) => t.id).sort();
    // plain shares its file with podinfo, whose parameter changed: affected, with no changes.
    expect(ids).toEqual(["apps", "argocd:argocd/cert-manager", "argocd:argocd/guestbook", "argocd:argocd/plain", "argocd:argocd/podinfo"]);
    // Each application names its controller and kind; the folder target neither.
    const kinds = report.targets.map((t: { id: string; controller?: string; kind?: string }) => `${t.id} ${t.controller ?? "-"} ${t.kind ?? "-"}`).sort();
    expect(kinds).toEqual(["apps - -", "argocd:argocd/cert-manager argocd Application", "argocd:argocd/guestbook argocd Application", "argocd:argocd/plain argocd Application", "argocd:argocd/podinfo argocd Application"]);
    // Listed under its controller's heading, before the folder.
    const md = renderMarkdown(report);
    expect(md.indexOf("#### Argo CD applications")).toBeGreaterThan(-1);
    expect(md.indexOf("#### Argo CD applications")).toBeLessThan(md.indexOf("#### Folder targets"));
    const changes = (id: string) => report.changes.filter((c: { target: string }) => c.target === id).length;
    expect([changes("argocd:argocd/guestbook"), changes("argocd:argocd/podinfo"), changes("argocd:argocd/plain"), changes("apps")]).toEqual([1, 1, 0, 2]);
    const reasons = report.risk.reasons.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`);
    expect(reasons).toContain("gitops-prune-enabled:high");
    expect(report.risk.level).toBe("high");
  }, 120_000);
});

describe("Argo CD kustomize options replace the folder's own, as `kustomize edit` does", () => {
  it("edits the folder's kustomization: namePrefix, nameSuffix and namespace replaced, images and labels merged by name", async () => {
    const { editKustomization } = await import("../../src/render/argocd/kustomize-edit.js");
    const folder = {
      namePrefix: "kustomize-",
      namespace: "old",
      resources: ["deployment.yaml"],
      images: [{ name: "nginx", newTag: "1.0" }, { name: "redis", digest: "sha256:abc" }],
      replicas: [{ name: "web", count: 1 }],
      commonLabels: { team: "a", tier: "web" },
      patches: [{ path: "p.yaml" }],
    };
    const edited = editKustomization(folder, { namePrefix: "prod-", nameSuffix: "-v2", namespace: "web", images: ["nginx=registry/nginx:2.0", "redis:7"], replicas: [{ name: "web", count: "3" }, { name: "worker", count: 2 }], commonLabels: { team: "b" }, components: ["../c"] }, [{ patch: "x" }]);
    expect(edited).toEqual({
      namePrefix: "prod-",
      nameSuffix: "-v2",
      namespace: "web",
      resources: ["deployment.yaml"],
      images: [{ name: "nginx", newName: "registry/nginx", newTag: "2.0" }, { name: "redis", newTag: "7" }],
      replicas: [{ name: "web", count: 3 }, { name: "worker", count: 2 }],
      commonLabels: { team: "b", tier: "web" },
      patches: [{ path: "p.yaml" }, { patch: "x" }],
      components: ["../c"],
    });
    // The folder's parsed object is left as it was.
    expect(folder.namePrefix).toBe("kustomize-");
  });

  it("renders the folder with its prefix replaced, not added to", async () => {
    const platform = resolve(import.meta.dirname, "../../fixtures/gitops/argocd-platform/base");
    const tree = dirTree(platform);
    const target = (await renderer.discover(tree, { isOwned: () => false })).find((t) => t.id === "argocd:argocd/kustomize-guestbook")!;
    const outcome = await renderer.render(target, tree, LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.map((r) => `${r.kind}/${r.namespace}/${r.name}`).sort()).toEqual(["Deployment/web-prod/prod-guestbook-ui-v2", "Service/web-prod/prod-guestbook-ui-v2"]);
    const deploy = outcome.resources.find((r) => r.kind === "Deployment")!;
    expect(deploy.body).toMatchObject({ metadata: { labels: { "app.kubernetes.io/part-of": "guestbook" } }, spec: { template: { spec: { containers: [{ image: "gcr.io/google-samples/gb-frontend:v6" }] } } } });
    // Built from an edited copy of the folder: the origin is still the repository's file.
    expect(deploy.source?.file).toMatch(/\.yaml$/);
    expect(tree.hasFile(deploy.source!.file)).toBe(true);
  });
});
