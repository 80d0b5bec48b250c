import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { runCli } from "../helpers/cli.js";
import { addRenderedTargets } from "../../src/core/pipeline/embedded.js";
import type { SideTargets } from "../../src/core/pipeline/discover.js";
import type { TargetSpec } from "../../src/core/model/target.js";
import type { Renderer, Tree } from "../../src/core/ports.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/argocd-platform");

describe("Applications found only in rendered output (app-of-apps)", () => {
  it("reviews the children an app-of-apps chart renders, each through its own sources", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const target = (id: string) => report.targets.find((t: { id: string }) => t.id === id);
    const changes = (id: string) => report.changes.filter((c: { target: string }) => c.target === id).map((c: { action: string; kind: string; name: string }) => `${c.action} ${c.kind}/${c.name}`);
    // The root renders the chart; its Applications are targets of their own, in the root's destination namespace.
    expect(changes("argocd:argocd/root")).toEqual(["modified Application/example.helm-guestbook", "added Application/example.sock-shop"]);
    expect(changes("argocd:argocd/example.helm-guestbook")).toEqual(["modified Deployment/helm-guestbook"]);
    expect(changes("argocd:argocd/example.sock-shop")).toEqual(["added Deployment/kustomize-guestbook-ui", "added Service/kustomize-guestbook-ui"]);
    // Its object and its sources did not change: not affected.
    expect(target("argocd:argocd/example.guestbook")).toMatchObject({ path: "guestbook", affected: false });
    // The chart folder is the root's: no helm target of its own.
    expect(target("apps-chart")).toBeUndefined();
  }, 120_000);
});

describe("the rendered-output search", () => {
  const tree = { hasFile: () => true, read: async () => "kind: Thing # example.io" } as unknown as Tree;
  /** A renderer whose every target renders one object that is a child target one level deeper. */
  const chain = (children: number): Renderer => ({
    type: "argocd",
    renderedMarkers: ["example.io"],
    discover: async () => [],
    inputs: async (t) => ({ files: new Set([`${t.path}/file.yaml`]), blocking: [], warnings: [] }),
    render: async () => ({ status: "ok", resources: [], warnings: [] }),
    info: async () => ({ name: "fake", version: null }),
    fromRendered: async (_r, parent) =>
      Array.from({ length: children }, (_, i) => ({ id: `${parent.id}/${i}`, type: "argocd" as const, path: `${parent.path}/${i}`, renderedFrom: { target: parent.id, depth: (parent.renderedFrom?.depth ?? 0) + 1, object: {} } })),
  });
  const side = (): SideTargets => {
    const root: TargetSpec = { id: "root", type: "argocd", path: "root" };
    return { targets: new Map([["root", root]]), inputs: new Map([["root", { files: new Set(["root/file.yaml"]), blocking: [], warnings: [] }]]) };
  };
  const run = (renderer: Renderer, s: SideTargets, maxTargets?: number) =>
    addRenderedTargets({ tree, side: s, render: async () => ({ outcome: { status: "ok", resources: [], warnings: [] }, blocked: [], ms: 0, spec: s.targets.get("root")! }) }, { renderers: new Map([["argocd", renderer]]), explicitIds: new Set(), ...(maxTargets ? { maxTargets } : {}) });

  it("stops at three levels of applications, with a finding", async () => {
    const s = side();
    const findings = await run(chain(1), s);
    expect([...s.targets.keys()]).toEqual(["root", "root/0", "root/0/0", "root/0/0/0"]);
    expect(findings.map((f) => [f.ruleId, f.target])).toEqual([["gitops/rendered-limit", "root/0/0/0"]]);
  });

  it("stops at the count limit, with one finding", async () => {
    const s = side();
    const findings = await run(chain(3), s, 5);
    expect(s.targets.size).toBe(6);
    expect(findings.map((f) => f.ruleId)).toEqual(["gitops/rendered-limit"]);
  });

  it("adds nothing twice: a target already known (from a file) wins", async () => {
    const s = side();
    s.targets.set("root/0", { id: "root/0", type: "argocd", path: "elsewhere" });
    await run({ ...chain(1), fromRendered: async (_r, p) => (p.id === "root" ? [{ id: "root/0", type: "argocd", path: "root/0", renderedFrom: { target: "root", depth: 1, object: {} } }] : []) }, s);
    expect(s.targets.get("root/0")!.path).toBe("elsewhere");
  });
});
