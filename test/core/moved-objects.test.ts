/**
 * Objects moved between folder targets (fixtures/moved-objects: a Namespace moved unchanged, a
 * StatefulSet moved with a new image, a ConfigMap that stays) are one change where they went,
 * not a deletion where they were: no "Namespace removed" critical risk for a folder split.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Change } from "../../src/core/model/change.js";
import type { Report } from "../../src/core/model/report.js";
import type { Resource } from "../../src/core/model/resource.js";
import { pairMovedObjects } from "../../src/core/pipeline/moved-objects.js";
import { renderMarkdown, renderText } from "../../src/present/index.js";
import { runCli } from "../helpers/cli.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/moved-objects");

describe("objects moved between folder targets", () => {
  it("are one modified change where they went (none when unchanged), with their findings and risk judged as moved", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json", "--fail-on", "never"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.changes.map((c) => [c.target, c.action, c.kind, c.summary])).toEqual([
      ["platform/db", "modified", "StatefulSet", ["moved from platform", "image postgres: postgres:16.3 → postgres:16.4"]],
    ]);
    expect(report.changes[0]!.diff).toContain("-          image: postgres:16.3\n+          image: postgres:16.4");
    expect(report.risk?.reasons.map((r) => r.ruleId).sort()).toEqual(["image-only", "statefulset-changed"]);
    expect(report.targets.filter((t) => t.movedFrom).map((t) => [t.id, t.movedFrom])).toEqual([
      ["platform/db", [{ target: "platform", objects: 1 }]],
      ["platform/namespaces", [{ target: "platform", objects: 1 }]],
    ]);
    // `platform` keeps its ConfigMap (both sides): the StatefulSet's policy findings moved with it.
    const db = report.findings.filter((f) => f.target === "platform/db");
    expect(db.length).toBeGreaterThan(0);
    expect(db.filter((f) => f.introduced)).toEqual([]);

    expect(renderText(report, { color: false })).toContain("moved platform/namespaces: 1 object from platform moved here, not removed and added (listed only where their content changed)");
    expect(renderMarkdown(report, {})).toContain("- 🚚 platform/db: 1 object from platform moved here");
  }, 60_000);

  it("pairs only one removal with one addition of the same object, between targets the caller allows", () => {
    const resource = (name: string, image: string): Resource => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "web",
      name,
      body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "web" }, spec: { template: { spec: { containers: [{ name: "c", image }] } } } },
    });
    const change = (target: string, action: Change["action"], name: string): Change => ({ target, action, apiVersion: "apps/v1", kind: "Deployment", namespace: "web", name, summary: [], diff: "" });
    const comparable = () => [
      { id: "a", base: [resource("api", "api:1"), resource("twice", "t:1")] },
      { id: "b", head: [resource("api", "api:1"), resource("twice", "t:1")] },
      { id: "c", head: [resource("twice", "t:1")] },
    ];
    const changes = [change("a", "removed", "api"), change("a", "removed", "twice"), change("b", "added", "api"), change("b", "added", "twice"), change("c", "added", "twice")];
    const paired = pairMovedObjects(changes, comparable(), () => true, (b) => b);
    // `api` moved unchanged: no change left; `twice` was added in two targets: not a move.
    expect(paired.moved).toEqual([{ from: "a", to: "b", key: "apps|Deployment|web|api" }]);
    expect(paired.changes.map((c) => `${c.target} ${c.action} ${c.name}`)).toEqual(["a removed twice", "b added twice", "c added twice"]);
    // GitOps applications (not allowed by the caller) keep their removal and addition.
    expect(pairMovedObjects(changes, comparable(), (id) => id !== "b", (b) => b).changes).toHaveLength(5);
  });
});
