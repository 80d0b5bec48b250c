/**
 * What a reviewer reads about fixtures/report (see its README): every modified resource
 * says what changed, cluster-scoped kinds have no namespace, and a small cost rise in
 * production with Jobs that cost nothing raises no alarm. Then, over every fixture with a
 * base and a head: no modified resource is shown without a line saying what changed.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const args = ["check", "--base", "fixtures/report/base", "--head", "fixtures/report/head"];
let report: Report;
let text: string;
let markdown: string;

beforeAll(async () => {
  const [json, txt, md] = await Promise.all(["json", "text", "markdown"].map((format) => runCli([...args, "--format", format])));
  for (const run of [json, txt, md]) expect(run!.code, run!.stderr).toBe(0);
  report = JSON.parse(json!.stdout) as Report;
  text = txt!.stdout;
  markdown = md!.stdout;
}, 120_000);

const summaryOf = (kind: string, name: string) => report.changes.find((c) => c.kind === kind && c.name === name)?.summary;

describe("the change summary on fixtures/report", () => {
  it("says each pod spec change on a line of its own, the rest as path: before → after", () => {
    expect(summaryOf("Deployment", "web")).toEqual([
      'args web: "--log-level=info" → "--log-level=debug"',
      "probes web: liveness added, readiness changed (periodSeconds: 10 → 5)",
      "nodeSelector: +pool=general",
      "tolerations: +dedicated=web:NoSchedule",
      "affinity added (podAntiAffinity)",
      "serviceAccountName: (none) → web",
      "annotations: team: storefront → checkout",
      "spec.template.spec.containers[web].securityContext.readOnlyRootFilesystem: false → true",
    ]);
  });

  it("shows the autoscaler bounds that drive the cost", () => {
    expect(summaryOf("HorizontalPodAutoscaler", "web")).toEqual(["autoscaling: min 1 → 2, max 4 → 6"]);
  });

  it("describes HelmRelease and Application specs field by field", () => {
    expect(summaryOf("HelmRelease", "podinfo")).toEqual(["spec.chart.spec.version: 6.5.0 → 6.6.0", "spec.values.replicaCount: 2 → 3"]);
    expect(summaryOf("Application", "guestbook")).toEqual(["spec.source.targetRevision: v1.0.0 → v1.1.0"]);
  });

  it("prints the lines under the resource in text and Markdown", () => {
    expect(text).toContain("  ~ HorizontalPodAutoscaler web/web\n      autoscaling: min 1 → 2, max 4 → 6\n");
    expect(markdown).toContain("- autoscaling: min 1 → 2, max 4 → 6\n");
    expect(markdown).toContain("- spec.source.targetRevision: v1.0.0 → v1.1.0\n");
  });
});

describe("scope on fixtures/report", () => {
  it.each([
    ["GatewayClass", "envoy", "a well-known custom kind whose CRD is not in the repository"],
    ["ServiceCIDR", "extra", "a built-in kind the schema bundle calls cluster-scoped"],
    ["Widget", "big", "a custom kind whose rendered CRD says scope: Cluster"],
  ])("%s %s has no namespace (%s)", (kind, name) => {
    expect(report.changes.find((c) => c.kind === kind && c.name === name)).toMatchObject({ namespace: "" });
    expect(text).toContain(`  ~ ${kind} ${name}\n`);
    expect(text).not.toContain(`default/${name}`);
    expect(markdown).toContain(`**${kind}** <code>${name}</code>`);
  });

  it("still gives namespaced kinds theirs", () => {
    expect(report.changes.find((c) => c.kind === "HelmRelease")?.namespace).toBe("flux-apps");
  });
});

describe("cost on fixtures/report", () => {
  it("does not call +$9.14/month (+58.6 %) in production a risk: under the $100 minimum, never raised", () => {
    expect(report.cost).toMatchObject({ deltaMonthly: 9.14, threshold: { monthly: 1000, percent: 25, minimumMonthly: 100, exceeded: false } });
    expect(report.risk?.reasons.filter((r) => r.ruleId === "cost-threshold")).toEqual([]);
  });

  it("folds the Jobs that cost nothing into one line", () => {
    expect(text).not.toContain("$0.00 → $0.00");
    expect(text).toContain(
      "  2 resources without cost: CronJob shop-prod/report, Job shop-prod/migrate — Jobs and CronJobs are not estimated (cost.includeJobs is off)\n",
    );
    expect(markdown).toContain("_2 resources without cost: CronJob shop-prod/report, Job shop-prod/migrate — Jobs and CronJobs");
  });
});

/** Every fixture folder holding a base and a head side. */
function fixturePairs(dir = join(PROJECT_ROOT, "fixtures"), rel = "fixtures"): string[] {
  if (existsSync(join(dir, "base")) && existsSync(join(dir, "head"))) return [rel];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => fixturePairs(join(dir, e.name), `${rel}/${e.name}`));
}

describe("every fixture's report", () => {
  const pairs = fixturePairs();

  it("finds the fixtures with both sides", () => {
    expect(pairs).toEqual(expect.arrayContaining(["fixtures/demo", "fixtures/report"]));
  });

  it.each(pairs)("%s: no modified resource is shown without a line saying what changed", async (pair) => {
    const run = await runCli(["check", "--base", `${pair}/base`, "--head", `${pair}/head`, "--format", "json"]);
    const r = JSON.parse(run.stdout) as Report;
    const bare = r.changes.filter((c) => (c.action === "modified" || c.action === "renamed") && c.summary.length === 0);
    expect(bare.map((c) => `${c.target} ${c.kind} ${c.namespace}/${c.name}`)).toEqual([]);
  }, 120_000);
});
