import { afterAll, describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { runCli } from "../helpers/cli.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { createArgoCdRenderer } from "../../src/render/argocd/renderer.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/argocd-platform");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
afterAll(removeTestScratchDir);

const renderer = createArgoCdRenderer(testToolOptions(), { repositoryUrls: ["https://github.com/example/platform"] });

async function target(id: string, side = "base") {
  const tree = dirTree(`${FIXTURE}/${side}`);
  const found = (await renderer.discover(tree, { isOwned: () => false })).find((t) => t.id === id);
  if (!found) throw new Error(`no target ${id}`);
  return { tree, target: found };
}

describe("Argo CD multi-source Applications", () => {
  it("renders every source with a path, `$values/…` value files read from the ref source (this repository's root)", async () => {
    const { tree, target: t } = await target("argocd:argocd/guestbook-production");
    const outcome = await renderer.render(t, tree, LIMITS);
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    const objects = outcome.resources.map((r) => `${r.kind}/${r.name}`).sort();
    // helm-guestbook (release guestbook) and the guestbook folder's Service (directory include).
    expect(objects).toEqual(["Deployment/guestbook-helm-guestbook", "Service/guestbook-helm-guestbook", "Service/guestbook-ui"]);
    const deploy = outcome.resources.find((r) => r.kind === "Deployment")!;
    expect(deploy.body).toMatchObject({ spec: { replicas: 2 } });
    expect(outcome.resources.find((r) => r.name === "guestbook-helm-guestbook" && r.kind === "Service")!.body).toMatchObject({ spec: { type: "LoadBalancer" } });
  });

  it("reads the ref source's values file as an input, and supersedes every rendered folder", async () => {
    const { tree, target: t } = await target("argocd:argocd/guestbook-production");
    const inputs = await renderer.inputs(t, tree);
    expect([...inputs.files]).toEqual(expect.arrayContaining(["apps/guestbook-production.yaml", "values/guestbook/production.yaml", "helm-guestbook/Chart.yaml", "guestbook/guestbook-ui-svc.yaml"]));
    expect(inputs.files.has("guestbook/guestbook-ui-deployment.yaml")).toBe(false);
    expect(renderer.supersedes!(t, tree, inputs)).toEqual(["helm-guestbook", "guestbook"]);
  });

  it("reports an Application whose remote chart's host is not allowed as not reviewed, naming the chart and the host", async () => {
    const { tree, target: t } = await target("argocd:argocd/redis");
    const outcome = await renderer.render(t, tree, LIMITS);
    expect(outcome.status).toBe("invalid");
    const problems = outcome.status === "invalid" ? outcome.problems : [];
    expect(problems.map((p) => p.ruleId)).toEqual(["gitops/source-unavailable"]);
    expect(problems[0]!.message).toContain('chart "redis" from https://charts.bitnami.com/bitnami: host charts.bitnami.com is not in gitops.allowedHosts');
  });

  it("reviews a change to a ref source's values file in the chart's rendered objects", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const changes = report.changes.filter((c: { target: string }) => c.target === "argocd:argocd/guestbook-production");
    expect(changes.map((c: { kind: string; name: string; action: string }) => `${c.action} ${c.kind}/${c.name}`)).toEqual(["modified Deployment/guestbook-helm-guestbook"]);
    expect(report.targets.map((t: { id: string }) => t.id)).not.toContain("helm-guestbook");
  }, 120_000);
});
