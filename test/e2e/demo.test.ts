/**
 * `shipshape check` on the bundled demo repository, with the real helm and kustomize.
 * fixtures/demo/README.md is the contract these assertions come from.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

const args = ["check", "--base", "fixtures/demo/base", "--head", "fixtures/demo/head"];
let report: Report;
let outputs: Record<string, string>;

/** Values of the demo Secret, clear and base64; none may appear in any format. */
const SECRET_VALUES = ["ZGVtby1wYXNzd29yZC0xMjM=", "ZGVtby1wYXNzd29yZC00NTY=", "ZGVtby1yZXBsaWNhLTc4OQ==", "demo-password-456", "demo-replica-789"];

beforeAll(async () => {
  outputs = {};
  for (const format of ["json", "markdown", "text"]) {
    const run = await runCli([...args, "--format", format, "--verbose"]);
    expect(run.code, run.stderr).toBe(0);
    outputs[format] = run.stdout;
  }
  report = JSON.parse(outputs.json!) as Report;
}, 120_000);

describe("shipshape check on fixtures/demo", () => {
  it("lists every target with the right affected state and resource counts", () => {
    const rows = report.targets.map((t) => [t.id, t.type, t.affected, t.status, `${t.resources.base}->${t.resources.head}`]);
    expect(rows).toEqual([
      ["apps/api/overlays/dev", "kustomize", true, "rendered", "4->4"],
      ["apps/api/overlays/prod", "kustomize", true, "rendered", "4->6"],
      ["apps/api/overlays/staging", "kustomize", true, "rendered", "4->4"],
      ["apps/docs", "kustomize", false, "unchanged", "0->0"],
      ["apps/legacy-cron", "kustomize", true, "rendered", "1->0"],
      ["charts/web#prod", "helm", true, "rendered", "6->6"],
      ["charts/web#staging", "helm", true, "rendered", "6->6"],
      ["compose/shop", "compose", true, "rendered", "5->6"],
      ["platform/db", "kustomize", true, "rendered", "6->5"],
      ["platform/quotas", "manifests", true, "rendered", "0->2"],
      ["platform/rbac", "manifests", true, "rendered", "5->5"],
    ]);
  });

  it("records the renderer and version per target", () => {
    const byType = Object.fromEntries(report.targets.map((t) => [t.type, t.renderer]));
    expect(byType.kustomize).toMatchObject({ name: "kubectl kustomize", version: "v5.5.0" });
    expect(byType.helm!.name).toBe("helm");
    expect(byType.helm!.version).toMatch(/^v3\.17\./);
  });

  it("reports exactly the contract's 23 changes", () => {
    const rows = report.changes.map((c) => `${c.target} ${c.action} ${c.kind} ${c.namespace}/${c.name}${c.previousName ? ` <- ${c.previousName}` : ""}`);
    expect(rows.sort()).toEqual(
      [
        "apps/api/overlays/dev modified Deployment api-dev/api",
        "apps/api/overlays/dev renamed ConfigMap api-dev/api-config-ghfh9mk6m8 <- api-config-8f449m57m2",
        "apps/api/overlays/staging modified Deployment api-staging/api",
        "apps/api/overlays/staging renamed ConfigMap api-staging/api-config-ghfh9mk6m8 <- api-config-8f449m57m2",
        "apps/api/overlays/prod modified Deployment api-prod/api",
        "apps/api/overlays/prod modified Service api-prod/api",
        "apps/api/overlays/prod renamed ConfigMap api-prod/api-config-ghfh9mk6m8 <- api-config-8f449m57m2",
        "apps/api/overlays/prod added PodDisruptionBudget api-prod/api",
        "apps/api/overlays/prod added ServiceMonitor api-prod/api",
        "apps/legacy-cron removed CronJob batch/report-mailer",
        "platform/db modified Secret data/postgres-credentials",
        "platform/db modified StatefulSet data/postgres",
        "platform/db modified Service data/postgres",
        "platform/db removed NetworkPolicy data/allow-backup-agent",
        "platform/rbac modified Role api-prod/deployer",
        "platform/rbac modified ClusterRole /metrics-reader",
        "platform/quotas added ResourceQuota api-prod/compute",
        "platform/quotas added LimitRange api-prod/defaults",
        "charts/web#prod modified ConfigMap web-prod/web",
        "charts/web#prod modified Deployment web-prod/web",
        "compose/shop modified Service /web",
        "compose/shop modified Service /worker",
        "compose/shop added Service /redis",
      ].sort(),
    );
  });

  it("summarises what reviewers look for", () => {
    const summary = (target: string, kind: string, name: string) =>
      report.changes.find((c) => c.target === target && c.kind === kind && c.name === name)?.summary ?? [];
    expect(summary("apps/api/overlays/staging", "Deployment", "api")).toEqual(
      expect.arrayContaining(["image api: ghcr.io/example/api:1.4.2 → ghcr.io/example/api:1.5.0", "replicas: 2 → 3", "ports api: +http 8081/TCP, -http 8080/TCP"]),
    );
    const env = summary("apps/api/overlays/dev", "Deployment", "api").find((l) => l.startsWith("env api:"));
    expect(env).toContain("FEATURE_SEARCH: false → true");
    expect(env).toContain("-LEGACY_AUTH");
    expect(env).toContain("+OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.monitoring:4317");
    expect(env).not.toContain("LOG_LEVEL");
    expect(summary("apps/api/overlays/prod", "Deployment", "api")).toContain(
      "resources api: limits.cpu 1 → 2, limits.memory 512Mi → 1Gi, requests.cpu 250m → 500m, requests.memory 256Mi → 512Mi",
    );
    expect(summary("apps/api/overlays/prod", "Service", "api")).toContain("Service type: ClusterIP → LoadBalancer");
    expect(summary("platform/db", "StatefulSet", "postgres")).toContain("volumeClaimTemplate data storage: 10Gi → 20Gi");
    expect(summary("platform/db", "Service", "postgres")).toContain("selector: +app.kubernetes.io/component=primary");
    expect(summary("platform/db", "Secret", "postgres-credentials")).toEqual(["data keys: +REPLICATION_PASSWORD, ~POSTGRES_PASSWORD"]);
    expect(summary("platform/rbac", "Role", "deployer")).toEqual(["rules: +[get,list,watch,update,patch] on deployments (apps); -[get,list,watch,update] on deployments (apps)"]);
    expect(summary("platform/rbac", "ClusterRole", "metrics-reader")[0]).toContain("+[get,list,watch] on pods,nodes,nodes/metrics (core)");
    expect(summary("charts/web#prod", "Deployment", "web")).toEqual(["replicas: 3 → 5"]);
    expect(summary("compose/shop", "Service", "web")).toEqual(["image: ghcr.io/example/shop-web:1.3.0 → ghcr.io/example/shop-web:1.4.0", "ports: +8088:3000/tcp, -8080:3000/tcp"]);
    expect(summary("compose/shop", "Service", "worker")).toEqual(expect.arrayContaining(["environment: QUEUE_CONCURRENCY: 4 → 8, +REDIS_URL=redis://redis:6379", "depends_on: +redis"]));
  });

  it("validates against the schemas: the one finding is the custom resource without a CRD", () => {
    expect(report.findings.filter((f) => f.source === "schema").map((f) => [f.ruleId, f.severity, f.target, f.resource?.kind, f.file, f.line, f.introduced])).toEqual([
      ["schema/no-schema", "info", "apps/api/overlays/prod", "ServiceMonitor", "apps/api/overlays/prod/servicemonitor.yaml", 3, true],
    ]);
  });

  it("runs the built-in policies: the change introduces only the LoadBalancer exposure warning", () => {
    const introduced = report.findings.filter((f) => f.source === "policy" && f.introduced);
    expect(introduced.map((f) => [f.ruleId, f.severity, f.target, `${f.resource?.kind} ${f.resource?.namespace}/${f.resource?.name}`])).toEqual([
      ["policy/restrict-service-exposure/flag-external-service-types", "warning", "apps/api/overlays/prod", "Service api-prod/api"],
    ]);
    // Pre-existing problems stay visible without failing the check...
    const preExisting = report.findings.filter((f) => f.source === "policy" && !f.introduced);
    expect(preExisting.some((f) => f.ruleId === "policy/compose-no-secrets-in-environment/no-literal-credentials" && f.severity === "error")).toBe(true);
    // ...and the PodDisruptionBudget the change adds resolves prod's require-pdb finding.
    expect(report.findings.some((f) => f.ruleId === "policy/require-pdb/require-pdb" && f.target === "apps/api/overlays/prod")).toBe(false);
    expect(report.findings.some((f) => f.ruleId === "policy/require-pdb/require-pdb" && f.target === "apps/api/overlays/staging")).toBe(true);
  });

  it("classifies risk: the StatefulSet's volumeClaimTemplates change is critical and needs approval", () => {
    const risk = report.risk!;
    expect(risk.level).toBe("critical");
    expect(risk.requiresApproval).toBe(true);
    expect(risk.digest).toMatch(/^[0-9a-f]{64}$/);
    const reasons = risk.reasons.map((r) => `${r.level} ${r.ruleId} ${r.target} ${r.kind} ${r.namespace}/${r.name}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "critical statefulset-immutable-fields platform/db StatefulSet data/postgres",
        "high networkpolicy-changed platform/db NetworkPolicy data/allow-backup-agent",
        "high rbac-changed platform/rbac Role api-prod/deployer",
        "high service-exposed apps/api/overlays/prod Service api-prod/api",
      ]),
    );
  });

  it("estimates the monthly cost delta of the change", () => {
    const cost = report.cost!;
    expect(cost.currency).toBe("USD");
    expect(cost.deltaMonthly).toBeCloseTo(cost.headMonthly - cost.baseMonthly, 2);
    expect(cost.deltaMonthly).toBeGreaterThan(0);
    const lb = cost.items.find((i) => i.kind === "Service" && i.name === "api" && i.target === "apps/api/overlays/prod")!;
    // A LoadBalancer at the default $0.0225/hour for 730 hours.
    expect(lb.deltaMonthly).toBeCloseTo(16.43, 2);
  });

  it("ignores chart-version noise: the staging chart target renders but reports nothing", () => {
    expect(report.changes.filter((c) => c.target === "charts/web#staging")).toEqual([]);
    expect(JSON.stringify(report.changes)).not.toContain("helm.sh/chart");
  });

  it("never shows a Secret value, in any format, while marking what changed", () => {
    for (const [format, text] of Object.entries(outputs)) {
      for (const value of SECRET_VALUES) expect(text, `${format} leaks ${value}`).not.toContain(value);
    }
    const secret = report.changes.find((c) => c.kind === "Secret")!;
    expect(secret.diff).toMatch(/\+ {2}REPLICATION_PASSWORD: "<redacted: added, \d+ bytes>"/);
    expect(secret.diff).toMatch(/\+ {2}POSTGRES_PASSWORD: "<redacted: changed, \d+ bytes>"/);
  });

  it("mentions neither the untouched app nor the ignored example, except as an ignored file in the coverage", () => {
    expect(report.changes.some((c) => c.target.includes("docs"))).toBe(false);
    expect(report.coverage?.notReviewed).toEqual([{ file: "examples/debug-pod.yaml", reason: "ignored", message: "left out by the config's `ignore` globs" }]);
    const mentions = outputs.markdown!.split("\n").filter((l) => l.includes("debug-pod"));
    expect(mentions).toEqual(["- <code>examples/debug-pod.yaml</code>: left out by the config's \\`ignore\\` globs (ignored)"]);
    expect(report.targets.some((t) => t.id.startsWith("examples"))).toBe(false);
  });

  it("renders Markdown with the summary table first and collapsible per-target diffs", () => {
    const md = outputs.markdown!;
    expect(md.indexOf("| Changes | 23 | 5 added, 13 modified, 2 removed, 3 renamed |")).toBeGreaterThan(0);
    expect(md.indexOf("| Changes |")).toBeLessThan(md.indexOf("<details>"));
    expect(md).toContain("```diff");
    expect(md.length).toBeLessThanOrEqual(65_000);
  });

  it("ends the text format with a one-line total and the line that explains the exit status", () => {
    expect(outputs.text!.trimEnd().split("\n").slice(-2)).toEqual([
      "10 targets affected (10 rendered), 23 changes, findings: 1 warning, 1 info (32 pre-existing), 1 finding fixed, risk: critical (approval required), cost: +$62.11/month",
      "Exit 0: nothing at or above --fail-on=error (not counted: 1 error pre-existing)",
    ]);
  });
});
