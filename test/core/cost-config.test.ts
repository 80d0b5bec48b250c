import { describe, expect, it } from "vitest";
import { configErrorOf, parse } from "../helpers/config.js";

const errorOf = configErrorOf;

describe("cost config", () => {
  it("has documented defaults: AWS us-east-1 on-demand prices, 730 hours, 3 nodes, Jobs left out", () => {
    expect(parse("").cost).toEqual({
      enabled: true,
      currency: "USD",
      hoursPerMonth: 730,
      daemonSetNodes: 3,
      includeJobs: false,
      prices: { cpuCoreHour: 0.031247, memoryGiBHour: 0.004188, storageGiBMonth: { default: 0.08 }, loadBalancerHour: 0.0225 },
      environments: [],
      threshold: { monthly: 1000, percent: 25, minimumMonthly: 100 },
    });
  });

  it("splits an m5.large's hourly price exactly: 2 vCPU + 8 GiB ≈ $0.096", () => {
    const { cpuCoreHour, memoryGiBHour } = parse("").cost.prices;
    expect(2 * cpuCoreHour + 8 * memoryGiBHour).toBeCloseTo(0.096, 5);
  });

  it("reads a full section, keeping environment prices partial", () => {
    const c = parse(`
cost:
  currency: EUR
  hoursPerMonth: 720
  daemonSetNodes: 12
  includeJobs: true
  prices:
    cpuCoreHour: 0.03
    storageGiBMonth: { premium-rwo: 0.17 }
  environments:
    - match: "**/dev/**"
      prices: { cpuCoreHour: 0.01 }
    - match: ["**/staging", "**/staging/**"]
      prices: { storageGiBMonth: { default: 0.05 } }
  threshold: { monthly: 250, minimumMonthly: 50 }
`).cost;
    expect(c).toMatchObject({ currency: "EUR", hoursPerMonth: 720, daemonSetNodes: 12, includeJobs: true });
    expect(c.prices).toEqual({ cpuCoreHour: 0.03, memoryGiBHour: 0.004188, storageGiBMonth: { default: 0.08, "premium-rwo": 0.17 }, loadBalancerHour: 0.0225 });
    expect(c.environments).toEqual([
      { match: ["**/dev/**"], prices: { cpuCoreHour: 0.01 } },
      { match: ["**/staging", "**/staging/**"], prices: { storageGiBMonth: { default: 0.05 } } },
    ]);
    expect(c.threshold).toEqual({ monthly: 250, percent: 25, minimumMonthly: 50 });
  });

  it.each([
    ["unknown key", "cost:\n  prics: {}\n", "cost.prics", 2, 'unknown key "prics"'],
    ["unknown price", "cost:\n  prices:\n    gpuHour: 1\n", "cost.prices.gpuHour", 3, 'unknown key "gpuHour"'],
    ["negative price", "cost:\n  prices:\n    cpuCoreHour: -1\n", "cost.prices.cpuCoreHour", 3, "must be >= 0"],
    ["storage price not a number", "cost:\n  prices:\n    storageGiBMonth:\n      gp3: cheap\n", "cost.prices.storageGiBMonth.gp3", 4, "must be number"],
    ["lower-case currency", "cost:\n  currency: usd\n", "cost.currency", 2, "must match pattern"],
    ["zero hours", "cost:\n  hoursPerMonth: 0\n", "cost.hoursPerMonth", 2, "must be > 0"],
    ["fractional node count", "cost:\n  daemonSetNodes: 2.5\n", "cost.daemonSetNodes", 2, "must be integer"],
    ["environment without prices", "cost:\n  environments:\n    - match: x\n", "cost.environments[0]", 3, 'missing required key "prices"'],
    ["environment typo", "cost:\n  environments:\n    - match: x\n      price: {}\n", "cost.environments[0].price", 4, 'unknown key "price"'],
    ["empty match list", "cost:\n  environments:\n    - match: []\n      prices: {}\n", "cost.environments[0].match", 3, "must NOT have fewer than 1 items"],
    ["threshold typo", "cost:\n  threshold:\n    monthy: 5\n", "cost.threshold.monthy", 3, 'unknown key "monthy"'],
  ])("rejects %s with its key path", (_name, text, keyPath, line, detail) => {
    const err = errorOf(text);
    expect(err.keyPath).toBe(keyPath);
    expect(err.line).toBe(line);
    expect(err.message).toContain(detail);
  });
});
