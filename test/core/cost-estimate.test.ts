import { describe, expect, it } from "vitest";
import { estimateCost, type CostTargetInput } from "../../src/core/cost/index.js";
import type { Resource } from "../../src/core/model/resource.js";
import { composeService, container, costConfig, deployment, hpa, pvc, resource, service, statefulSet } from "./risk-cost-fixtures.js";

/**
 * Prices in these tests (costConfig): $0.04 per vCPU-hour, $0.005 per GiB-hour, storage
 * $0.10 per GiB-month (gp3: $0.08), a load balancer $0.025 per hour, 730 hours a month.
 * A pod reserving 500m and 1Gi costs 0.5 × 0.04 + 1 × 0.005 = $0.025/hour = $18.25/month.
 */
const POD_500M_1GI = container({ requests: { cpu: "500m", memory: "1Gi" } });

function headOnly(head: Resource[], id = "apps/api", path = id): CostTargetInput[] {
  return [{ id, path, base: [], head }];
}

function monthlyOf(head: Resource[], config = costConfig(), id = "apps/api"): number {
  return estimateCost({ targets: headOnly(head, id), config }).headMonthly;
}

describe("estimateCost arithmetic", () => {
  it.each<[string, Resource[], number]>([
    ["Deployment: replicas × requests", [deployment("api", { replicas: 3, containers: [POD_500M_1GI] })], 54.75],
    ["Deployment without replicas runs one", [deployment("api", { containers: [POD_500M_1GI] })], 18.25],
    [
      "limits when there are no requests: 1 CPU, 2Gi",
      [deployment("api", { containers: [container({ limits: { cpu: "1", memory: "2Gi" } })] })],
      36.5,
    ],
    [
      "request for one resource, limit for the other: 250m + 512Mi",
      [deployment("api", { containers: [container({ requests: { cpu: "250m" }, limits: { memory: "512Mi" } })] })],
      9.13,
    ],
    [
      "two containers add up: 500m/1Gi + 100m/256Mi",
      [deployment("api", { containers: [POD_500M_1GI, container({ name: "sidecar", requests: { cpu: 0.1, memory: "256Mi" } })] })],
      22.08, // (0.025 + 0.004 + 0.00125) × 730 = 22.0825
    ],
    [
      "an init container larger than the app containers sets the reservation",
      [deployment("api", { containers: [container({ requests: { cpu: "100m", memory: "128Mi" } })], podSpec: { initContainers: [POD_500M_1GI] } })],
      18.25,
    ],
    ["a bare Pod is one replica", [resource("v1", "Pod", "debug", "shop", { spec: { containers: [POD_500M_1GI] } })], 18.25],
    ["DaemonSet: × cost.daemonSetNodes (default 3)", [deployment("agent", { kind: "DaemonSet", containers: [POD_500M_1GI] })], 54.75],
    [
      "StatefulSet: pods plus every volumeClaimTemplate, × replicas",
      [
        statefulSet("pg", {
          replicas: 3,
          volumeClaimTemplates: [
            { metadata: { name: "data" }, spec: { storageClassName: "gp3", resources: { requests: { storage: "10Gi" } } } },
            { metadata: { name: "wal" }, spec: { resources: { requests: { storage: "5Gi" } } } },
          ],
        }, [container({ requests: { cpu: "100m", memory: "256Mi" } })]),
      ],
      15.4, // pod (0.004 + 0.00125) × 730 = 3.8325; volumes 10 × 0.08 + 5 × 0.10 = 1.30; × 3 = 15.3975
    ],
    ["PVC priced by its StorageClass: 50Gi gp3", [pvc("data", "50Gi", "gp3")], 4],
    ["PVC with an unpriced class uses the default price", [pvc("data", "50Gi", "fast-ssd")], 5],
    ["PVC without a class uses the default price, 1.5Ti", [pvc("data", "1.5Ti")], 153.6],
    ["Service of type LoadBalancer: per hour", [service("web", "LoadBalancer")], 18.25],
    ["ClusterIP and NodePort Services cost nothing", [service("web"), service("web2", "NodePort")], 0],
    ["ConfigMaps and Roles cost nothing", [resource("v1", "ConfigMap", "c", "shop", { data: { a: "b" } })], 0],
    [
      "Compose: deploy.replicas × reservations",
      [composeService("cache", { deploy: { replicas: 2, resources: { reservations: { cpus: "0.5", memory: "512M" }, limits: { cpus: "2", memory: "4g" } } } })],
      32.85, // (0.5 × 0.04 + 0.5 × 0.005) × 730 × 2
    ],
    [
      "Compose: limits when there are no reservations",
      [composeService("cache", { deploy: { resources: { limits: { cpus: "0.25", memory: "2048M" } } } })],
      14.6, // (0.01 + 0.01) × 730
    ],
    ["Compose: memory in bytes, cpus as a number", [composeService("cache", { deploy: { resources: { reservations: { cpus: 1, memory: 1073741824 } } } })], 32.85],
    ["Compose: global mode runs on every node", [composeService("agent", { deploy: { mode: "global", resources: { reservations: { cpus: "0.5", memory: "1g" } } } })], 54.75],
  ])("%s", (_name, head, expected) => {
    expect(monthlyOf(head)).toBe(expected);
  });

  it("uses the HPA minimum for the estimate and reports its maximum as the ceiling", () => {
    const head = [deployment("api", { replicas: 5, containers: [POD_500M_1GI] }), hpa("api", 2, 10)];
    const cost = estimateCost({ targets: headOnly(head), config: costConfig() });
    expect(cost.headMonthly).toBe(36.5);
    expect(cost.headMonthlyMax).toBe(182.5);
    expect(cost.items).toEqual([
      {
        target: "apps/api",
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: "shop",
        name: "api",
        baseMonthly: 0,
        headMonthly: 36.5,
        deltaMonthly: 36.5,
        headMonthlyMax: 182.5,
        note: "scaled by HorizontalPodAutoscaler api: 2 to 10 replicas, estimated at 2",
      },
    ]);
  });

  it("treats a missing minReplicas as 1, as the API server does", () => {
    expect(monthlyOf([deployment("api", { replicas: 4, containers: [POD_500M_1GI] }), hpa("api", undefined, 3)])).toBe(18.25);
  });

  it("ignores an HPA in another namespace", () => {
    expect(monthlyOf([deployment("api", { replicas: 4, containers: [POD_500M_1GI] }), hpa("api", 1, 3, "other")])).toBe(73);
  });

  it("multiplies DaemonSets by the configured node count", () => {
    const config = costConfig({ daemonSetNodes: 5 });
    expect(monthlyOf([deployment("agent", { kind: "DaemonSet", containers: [POD_500M_1GI] })], config)).toBe(91.25);
  });

  it("counts 0 with a note when a container has neither requests nor limits", () => {
    const cost = estimateCost({ targets: headOnly([deployment("api", { replicas: 2, containers: [container()] })]), config: costConfig() });
    expect(cost.headMonthly).toBe(0);
    expect(cost.items[0]?.note).toBe("container app has no CPU or memory request or limit: counted as 0");
  });

  it("leaves Jobs and CronJobs out unless cost.includeJobs is set", () => {
    const job = resource("batch/v1", "Job", "migrate", "shop", { spec: { parallelism: 2, template: { spec: { containers: [POD_500M_1GI] } } } });
    const cron = resource("batch/v1", "CronJob", "report", "shop", {
      spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { containers: [POD_500M_1GI] } } } } },
    });
    const excluded = estimateCost({ targets: headOnly([job, cron]), config: costConfig() });
    expect(excluded.headMonthly).toBe(0);
    expect(excluded.items.map((i) => i.note)).toEqual([
      "Jobs and CronJobs are not estimated (cost.includeJobs is off)",
      "Jobs and CronJobs are not estimated (cost.includeJobs is off)",
    ]);
    const included = estimateCost({ targets: headOnly([job, cron]), config: costConfig({ includeJobs: true }) });
    // The Job: 2 parallel pods; the CronJob: 1. Both as if running all month (an upper bound).
    expect(included.items.map((i) => [i.kind, i.headMonthly])).toEqual([
      ["Job", 36.5],
      ["CronJob", 18.25],
    ]);
  });

  it("applies the first matching environment's prices, keeping the rest", () => {
    const config = costConfig({
      environments: [
        { match: ["**/dev/**", "**/dev"], prices: { cpuCoreHour: 0.01, storageGiBMonth: { gp3: 0.05 } } },
        { match: ["apps/**"], prices: { cpuCoreHour: 1 } },
      ],
    });
    const head = [deployment("api", { replicas: 3, containers: [POD_500M_1GI] }), pvc("data", "10Gi", "gp3"), pvc("other", "10Gi")];
    const dev = estimateCost({ targets: headOnly(head, "apps/api/overlays/dev"), config });
    // Deployment: (0.5 × 0.01 + 0.005) × 730 × 3 = 21.90; gp3 10 × 0.05 = 0.50; default 10 × 0.10 = 1.00.
    expect(dev.items.map((i) => [i.name, i.headMonthly])).toEqual([
      ["api", 21.9],
      ["other", 1],
      ["data", 0.5],
    ]);
    expect(dev.headMonthly).toBe(23.4);
    const named = estimateCost({ targets: headOnly([pvc("data", "10Gi", "gp3")], "charts/web#dev", "charts/dev"), config });
    expect(named.headMonthly).toBe(0.5);
  });

  it("reports base, head and delta, with items only for what moved, largest first", () => {
    const base = [deployment("api", { replicas: 2, containers: [POD_500M_1GI] }), deployment("web", { replicas: 1, containers: [POD_500M_1GI] }), pvc("data", "10Gi")];
    const head = [deployment("api", { replicas: 3, containers: [POD_500M_1GI] }), deployment("web", { replicas: 1, containers: [POD_500M_1GI] }), service("lb", "LoadBalancer")];
    const cost = estimateCost({ targets: [{ id: "apps/api", path: "apps/api", base, head }], config: costConfig() });
    // base 36.50 + 18.25 + 1.00; head 54.75 + 18.25 + 18.25
    expect(cost).toMatchObject({ currency: "USD", baseMonthly: 55.75, headMonthly: 91.25, deltaMonthly: 35.5, deltaPercent: 63.7 });
    expect(cost.items.map((i) => [i.kind, i.name, i.baseMonthly, i.headMonthly, i.deltaMonthly])).toEqual([
      ["Deployment", "api", 36.5, 54.75, 18.25],
      ["Service", "lb", 0, 18.25, 18.25],
      ["PersistentVolumeClaim", "data", 1, 0, -1],
    ]);
  });

  it("counts a target that only exists on one side", () => {
    const cost = estimateCost({
      targets: [
        { id: "apps/new", path: "apps/new", head: [deployment("api", { containers: [POD_500M_1GI] })] },
        { id: "apps/old", path: "apps/old", base: [pvc("data", "10Gi")] },
      ],
      config: costConfig(),
    });
    expect([cost.baseMonthly, cost.headMonthly, cost.deltaMonthly]).toEqual([1, 18.25, 17.25]);
  });

  it("rounds each resource to cents and sums the rounded figures, so totals match the items", () => {
    // 250m + 512Mi is $9.125 a month: each rounds to 9.13, and the total is their sum.
    const c = container({ requests: { cpu: "250m", memory: "512Mi" } });
    const head = ["a", "b", "c"].map((n) => deployment(n, { containers: [c] }));
    const cost = estimateCost({ targets: headOnly(head), config: costConfig() });
    expect(cost.items.map((i) => i.headMonthly)).toEqual([9.13, 9.13, 9.13]);
    expect(cost.headMonthly).toBe(27.39);
  });

  it("does not list resources whose estimate did not move", () => {
    const same = [deployment("api", { replicas: 2, containers: [POD_500M_1GI] })];
    const changedImage = [deployment("api", { replicas: 2, containers: [{ ...POD_500M_1GI, image: "registry.example/app:2.0" }] })];
    const cost = estimateCost({ targets: [{ id: "a", path: "a", base: same, head: changedImage }], config: costConfig() });
    expect(cost.items).toEqual([]);
    expect(cost.deltaMonthly).toBe(0);
    expect(cost.deltaPercent).toBe(0);
  });

  it("lists a changed workload it could not price, even when its estimate stays at 0", () => {
    const base = [deployment("api", { containers: [container()] })];
    const head = [deployment("api", { containers: [container({ image: "registry.example/app:2.0" })] })];
    const cost = estimateCost({ targets: [{ id: "a", path: "a", base, head }], config: costConfig() });
    expect(cost.items.map((i) => [i.name, i.deltaMonthly, i.note])).toEqual([["api", 0, "container app has no CPU or memory request or limit: counted as 0"]]);
  });

  it.each<[string, number, number, boolean]>([
    ["below both limits", 100, 110, false],
    ["the percentage of a small bill (+$25, 25 % of $100) is under the minimum amount", 100, 125, false],
    ["the percentage at the minimum amount (+$100, 25 % of $400)", 400, 500, true],
    ["the percentage just under the minimum amount (+$99, 25 % of $396)", 396, 495, false],
    ["the minimum amount below the percentage (+$100, 10 % of $1,000)", 1000, 1100, false],
    ["at the monthly amount on a large base", 10_000, 11_000, true],
    ["just under the monthly amount on a large base", 10_000, 10_990, false],
    ["a decrease never is", 10_000, 100, false],
  ])("threshold: %s", (_name, base, head, exceeded) => {
    // A PVC at $0.10 per GiB-month: size = amount × 10 GiB.
    const size = (amount: number) => `${Math.round(amount * 10)}Gi`;
    const cost = estimateCost({ targets: [{ id: "a", path: "a", base: [pvc("d", size(base))], head: [pvc("d", size(head))] }], config: costConfig() });
    expect(cost.threshold).toEqual({ monthly: 1000, percent: 25, minimumMonthly: 100, exceeded });
  });

  it("has no percentage when the base costs nothing, and judges the threshold by amount alone", () => {
    const cost = estimateCost({ targets: headOnly([pvc("d", "100Gi")]), config: costConfig() });
    expect(cost.deltaPercent).toBeNull();
    expect(cost.threshold.exceeded).toBe(false);
  });
});
