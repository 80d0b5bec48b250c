import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { estimateCost } from "../../src/core/cost/index.js";
import type { Resource } from "../../src/core/model/resource.js";
import { classifyRisk, RISK_RULES, UnknownRiskRuleError, type RiskConfig } from "../../src/core/risk/index.js";
import { defaultConfig } from "../../src/config/load.js";
import { changesOf, container, costConfig, deployment, pvc, resource, riskConfig, service, statefulSet } from "./risk-cost-fixtures.js";

const vct = (storage: string) => [{ metadata: { name: "data" }, spec: { resources: { requests: { storage } } } }];
const pg = (replicas: number, storage = "10Gi") => statefulSet("pg", { replicas, volumeClaimTemplates: vct(storage) });

interface Side {
  id: string;
  path?: string;
  base: Resource[];
  head: Resource[];
}

function classify(sides: Side[], config: RiskConfig = riskConfig(), extra: Partial<Parameters<typeof classifyRisk>[0]> = {}) {
  const changes = sides.flatMap((s) => changesOf(s.id, s.base, s.head));
  const targets = sides.map((s) => ({ id: s.id, path: s.path ?? s.id, base: s.base, head: s.head }));
  return classifyRisk({ changes, targets, config, ...extra });
}

function reasonFor(sides: Side[], ruleId: string, config?: RiskConfig, target?: string) {
  const reason = classify(sides, config).reasons.find((r) => r.ruleId === ruleId && (target === undefined || r.target === target));
  if (!reason) throw new Error(`no ${ruleId} reason`);
  return reason;
}

describe("classifyRisk", () => {
  it("names the rule, the resource and the target in every reason", () => {
    const risk = classify([{ id: "platform/db", base: [pg(1)], head: [pg(2)] }]);
    expect(risk.reasons).toHaveLength(1);
    expect(risk.reasons[0]).toMatchObject({
      ruleId: "statefulset-changed",
      level: "high",
      category: "statefulset",
      target: "platform/db",
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      namespace: "data",
      name: "pg",
      message: "StatefulSet data/pg modified: its pods hold state and are replaced one at a time",
      approvers: [],
      approval: { count: 1, allowAuthor: false, acceptReviews: true, minPermission: "write" },
    });
    expect(risk.reasons[0]?.itemHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives every change a level, none when no rule matched", () => {
    const risk = classify([{ id: "apps/shop", base: [pg(1), service("web")], head: [pg(2), service("web"), deployment("api")] }]);
    expect(risk.changes.map((c) => [c.kind, c.name, c.level])).toEqual([
      ["StatefulSet", "pg", "high"],
      ["Deployment", "api", "none"],
    ]);
    expect(risk.level).toBe("high");
  });

  it("is level none, with no approval, when nothing is risky", () => {
    const risk = classify([{ id: "apps/shop", base: [], head: [deployment("api")] }]);
    expect(risk).toMatchObject({ level: "none", requiresApproval: false, reasons: [] });
    expect(risk.digest).toBe(createHash("sha256").update("").digest("hex"));
  });

  it("orders reasons most severe first", () => {
    const risk = classify([{ id: "platform/db", base: [pg(1), pvc("scratch", "1Gi")], head: [pg(1, "20Gi"), service("db", "LoadBalancer")] }]);
    expect(risk.reasons.map((r) => [r.level, r.ruleId])).toEqual([
      ["critical", "pvc-removed"],
      ["critical", "statefulset-immutable-fields"],
      ["medium", "service-exposed"],
    ]);
  });

  describe("rule settings", () => {
    it("disables a rule", () => {
      const risk = classify([{ id: "db", base: [pg(1)], head: [pg(2)] }], riskConfig({ rules: { "statefulset-changed": { enabled: false } } }));
      expect(risk.reasons).toEqual([]);
    });

    it("re-levels a rule", () => {
      const risk = classify([{ id: "db", base: [pg(1)], head: [pg(2)] }], riskConfig({ rules: { "statefulset-changed": { level: "medium" } } }));
      expect(risk.reasons.map((r) => r.level)).toEqual(["medium"]);
    });

    it("lets the general rule speak when the precise one is disabled", () => {
      const config = riskConfig({ rules: { "statefulset-immutable-fields": { enabled: false } } });
      expect(classify([{ id: "db", base: [pg(1)], head: [pg(1, "20Gi")] }], config).reasons.map((r) => [r.ruleId, r.level])).toEqual([["statefulset-changed", "high"]]);
    });

    it("refuses an unknown rule id instead of ignoring it", () => {
      expect(() => classify([], riskConfig({ rules: { "statefulset-chnged": { enabled: false } } }))).toThrow(UnknownRiskRuleError);
    });
  });

  describe("environments", () => {
    const defaults = defaultConfig({ cpus: 1 }).risk;
    it.each<[string, string, string, string]>([
      ["an overlay named prod (last path segment)", "apps/api/overlays/prod", "apps/api/overlays/prod", "critical"],
      ["a path through prod", "envs/prod/db", "envs/prod/db", "critical"],
      ["a production folder", "clusters/production", "clusters/production", "critical"],
      ["a target named prod", "charts/web#prod", "charts/web", "critical"],
      ["a dev overlay", "apps/api/overlays/dev", "apps/api/overlays/dev", "high"],
      ["a name that merely contains prod", "apps/products", "apps/products", "high"],
    ])("default: %s", (_name, id, path, level) => {
      const risk = classify([{ id, path, base: [pg(1)], head: [pg(2)] }], defaults);
      expect(risk.reasons.map((r) => r.level)).toEqual([level]);
    });

    it("says a level was raised, and from what", () => {
      const reason = reasonFor([{ id: "apps/prod", base: [pg(1)], head: [pg(2)] }], "statefulset-changed", defaults);
      expect(reason.message).toBe("StatefulSet data/pg modified: its pods hold state and are replaced one at a time (raised from high: production target)");
    });

    it("raises by the configured levels, capped at critical; the largest matching raise wins", () => {
      const config = riskConfig({
        environments: [
          { match: ["apps/**"], raise: 1 },
          { name: "regulated", match: ["apps/bank/**"], raise: 2 },
        ],
      });
      const quota = (cpu: string) => resource("v1", "ResourceQuota", "q", "bank", { spec: { hard: { cpu } } });
      const risk = classify(
        [
          { id: "apps/bank/prod", base: [quota("1")], head: [quota("2")] },
          { id: "apps/shop", base: [quota("1")], head: [quota("2")] },
          { id: "apps/bank/db", base: [pg(1)], head: [pg(2)] },
          { id: "other", base: [quota("1")], head: [quota("2")] },
        ],
        config,
      );
      expect(risk.reasons.map((r) => [r.target, r.level])).toEqual([
        ["apps/bank/db", "critical"],
        ["apps/bank/prod", "critical"],
        ["apps/shop", "high"],
        ["other", "medium"],
      ]);
      expect(risk.reasons[1]?.message).toContain("(raised from medium: regulated target)");
    });

    it("matches the path as well as the id", () => {
      const config = riskConfig({ environments: [{ match: ["deploy/live"], raise: 1 }] });
      const risk = classify([{ id: "deploy/live#eu", path: "deploy/live", base: [pg(1)], head: [pg(2)] }], config);
      expect(risk.reasons[0]?.level).toBe("critical");
    });
  });

  describe("approvals", () => {
    const withApprovers = (requiredAt: "medium" | "high" = "high"): RiskConfig => {
      const base = riskConfig();
      return riskConfig({
        approvals: {
          ...base.approvals,
          requiredAt,
          categories: { storage: { users: ["dba-lead"], teams: ["org/dba"], count: 2, allowAuthor: true, acceptReviews: false, minPermission: "write" } },
        },
      });
    };

    it("requires approval at or above requiredAt, with the category's approvers", () => {
      const risk = classify([{ id: "db", base: [pvc("data", "1Gi"), service("db")], head: [pvc("data", "2Gi"), service("db", "NodePort")] }], withApprovers());
      expect(risk.requiresApproval).toBe(true);
      expect(risk.reasons.map((r) => [r.ruleId, r.approvers, r.approval])).toEqual([
        ["storage-changed", ["dba-lead", "team:org/dba"], { count: 2, allowAuthor: true, acceptReviews: false, minPermission: "write" }],
        ["service-exposed", [], undefined],
      ]);
    });

    it("lowers the bar with requiredAt", () => {
      const risk = classify([{ id: "db", base: [service("db")], head: [service("db", "NodePort")] }], withApprovers("medium"));
      expect(risk.reasons[0]?.approval).toEqual({ count: 1, allowAuthor: false, acceptReviews: true, minPermission: "write" });
    });

    it("needs none when every reason is below requiredAt", () => {
      const risk = classify([{ id: "db", base: [service("db")], head: [service("db", "NodePort")] }]);
      expect(risk.requiresApproval).toBe(false);
    });
  });

  describe("item hashes", () => {
    const sts = (replicas: number) => pg(replicas);
    const hashOf = (sides: Side[]) => reasonFor(sides, "statefulset-changed", undefined, sides[0]!.id).itemHash;

    it("are stable across unrelated changes in the same and other targets, and across render order", () => {
      const alone = hashOf([{ id: "db", base: [sts(1)], head: [sts(2)] }]);
      const crowded = hashOf([
        { id: "db", base: [service("a"), sts(1), pvc("x", "1Gi")], head: [deployment("new"), service("a", "NodePort"), sts(2)] },
        { id: "apps/other", base: [pg(1)], head: [pg(5)] },
      ]);
      expect(crowded).toBe(alone);
    });

    it("do not depend on where the resource came from (files, lines)", () => {
      const located = { ...sts(2), source: { file: "db/statefulset.yaml", line: 40 } };
      expect(hashOf([{ id: "db", base: [sts(1)], head: [located] }])).toBe(hashOf([{ id: "db", base: [sts(1)], head: [sts(2)] }]));
    });

    it("change when the judged content changes, or the rule, target or resource differs", () => {
      const two = hashOf([{ id: "db", base: [sts(1)], head: [sts(2)] }]);
      expect(hashOf([{ id: "db", base: [sts(1)], head: [sts(3)] }])).not.toBe(two);
      expect(hashOf([{ id: "db2", base: [sts(1)], head: [sts(2)] }])).not.toBe(two);
      const renamed = statefulSet("pg2", { replicas: 2, volumeClaimTemplates: vct("10Gi") });
      const added = reasonFor([{ id: "db", base: [], head: [renamed] }], "statefulset-changed").itemHash;
      expect(added).not.toBe(two);
    });

    it("ignore configured noise fields", () => {
      const labelled = (chart: string) => {
        const r = sts(2);
        return { ...r, body: { ...r.body, metadata: { ...(r.body.metadata as object), labels: { "helm.sh/chart": chart } } } };
      };
      const sides = (chart: string): Side[] => [{ id: "db", base: [sts(1)], head: [labelled(chart)] }];
      const hash = (chart: string) =>
        classify(sides(chart), riskConfig(), { ignoreFields: ["metadata.labels.helm.sh/chart"] }).reasons[0]!.itemHash;
      expect(hash("db-1.0.0")).toBe(hash("db-1.0.1"));
    });

    it("hash the redacted form: a credential's value never reaches a message or a hash", () => {
      const web = (password: string) =>
        deployment("web", {
          containers: [container({ extra: { env: [{ name: "DB_PASSWORD", value: password }], securityContext: { privileged: true } } })],
        });
      const risk = (password: string) => classify([{ id: "apps/web", base: [deployment("web")], head: [web(password)] }]);
      const a = risk("hunter2");
      const b = risk("s3cret!");
      expect(a.reasons.map((r) => r.ruleId)).toEqual(["workload-privilege"]);
      // Same length, so the same redaction marker: the hash cannot tell the values apart.
      expect(a.reasons[0]?.itemHash).toBe(b.reasons[0]?.itemHash);
      expect(JSON.stringify(a)).not.toContain("hunter2");
      // A value of another length has another marker ("7 bytes" vs "8 bytes").
      expect(risk("longer!!").reasons[0]?.itemHash).not.toBe(a.reasons[0]?.itemHash);
    });

    it("the digest covers all item hashes, whatever the order", () => {
      const risk = classify([{ id: "db", base: [pg(1), pvc("x", "1Gi")], head: [pg(2)] }]);
      const expected = createHash("sha256").update(risk.reasons.map((r) => r.itemHash).sort().join("\n")).digest("hex");
      expect(risk.digest).toBe(expected);
    });
  });

  it("still classifies by kind when the renders are not given", () => {
    const changes = changesOf("db", [pg(1), pvc("x", "1Gi")], [pg(1, "20Gi")]);
    const risk = classifyRisk({ changes, targets: [], config: riskConfig() });
    // Without the renders the immutable-field rule cannot compare; the kind rules still apply.
    expect(risk.reasons.map((r) => r.ruleId)).toEqual(["pvc-removed", "statefulset-changed"]);
  });

  describe("cost-threshold", () => {
    const pod = container({ requests: { cpu: "500m", memory: "1Gi" } });
    const sides = (replicas: number): Side[] => [{ id: "apps/api", base: [deployment("api", { replicas: 2, containers: [pod] })], head: [deployment("api", { replicas, containers: [pod] })] }];
    // The percentage counts from minimumMonthly: 0 here so small figures can go over it.
    const anyAmount = { monthly: 1000, percent: 25, minimumMonthly: 0 };
    const run = (replicas: number, threshold = anyAmount, id = "apps/api", config = riskConfig()) => {
      const s = sides(replicas).map((t) => ({ ...t, id }));
      const cost = estimateCost({ targets: s.map((t) => ({ id: t.id, path: t.id, base: t.base, head: t.head })), config: costConfig({ threshold }) });
      return classify(s, config, { cost });
    };

    it("fires when the estimate grows past the threshold, pinned to the largest mover", () => {
      const risk = run(3); // $36.50 → $54.75: +50 %
      expect(risk.reasons.map((r) => [r.ruleId, r.level, r.category, r.kind, r.name])).toEqual([["cost-threshold", "high", "cost", "Deployment", "api"]]);
      expect(risk.reasons[0]?.message).toBe(
        "monthly cost estimate +$18.25/month (+50.0 %) is over the threshold (+$1,000.00, or +25 %); largest: Deployment shop/api +$18.25",
      );
      expect(risk.changes[0]?.level).toBe("high");
    });

    it("is silent under the threshold", () => {
      expect(run(2).reasons).toEqual([]);
    });

    it("by default, does not count a percentage of a small bill: +$18.25 (+50 %) is under the $100 minimum", () => {
      const defaults = costConfig().threshold;
      expect(defaults).toEqual({ monthly: 1000, percent: 25, minimumMonthly: 100 });
      expect(run(3, defaults).reasons).toEqual([]);
    });

    it("is not raised by a production environment: the bar is an amount of money", () => {
      const production = defaultConfig({ cpus: 1 }).risk;
      const risk = run(3, anyAmount, "apps/api/overlays/prod", production);
      expect(risk.reasons.map((r) => [r.ruleId, r.level])).toEqual([["cost-threshold", "high"]]);
      expect(risk.reasons[0]?.message).not.toContain("raised");
    });

    it("ties its hash to the figures: a different increase needs a new approval", () => {
      expect(run(3).reasons[0]?.itemHash).not.toBe(run(4).reasons[0]?.itemHash);
      expect(run(3).reasons[0]?.itemHash).toBe(run(3).reasons[0]?.itemHash);
    });
  });

  it("has a registry whose rules each name a known category and a level", () => {
    for (const rule of RISK_RULES.values()) {
      expect(["low", "medium", "high", "critical"]).toContain(rule.level);
      expect(rule.description.length).toBeGreaterThan(10);
    }
  });
});
