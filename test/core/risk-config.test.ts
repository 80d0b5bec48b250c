import { describe, expect, it } from "vitest";
import schema from "../../schema/shipshape-config.schema.json" with { type: "json" };
import { CONFIG_FILE, configErrorOf, parse } from "../helpers/config.js";
import { RISK_CATEGORIES, RISK_RULES } from "../../src/core/risk/index.js";

const file = CONFIG_FILE;
const errorOf = configErrorOf;

const anyReviewer = { users: [], teams: [], count: 1, allowAuthor: false, acceptReviews: true, minPermission: "write" };

describe("risk config", () => {
  it("has documented defaults: production raised by one, approval from high, anyone with write access but the author", () => {
    expect(parse("").risk).toEqual({
      enabled: true,
      rules: {},
      environments: [{ name: "production", match: ["**/prod/**", "**/production/**", "**/prod", "**/production", "**/*#prod", "**/*#production"], raise: 1 }],
      approvals: { requiredAt: "high", default: anyReviewer, categories: {} },
    });
  });

  it("lets categories inherit from approvals.default, which inherits from approvals", () => {
    const r = parse(`
risk:
  rules:
    image-only: { enabled: false }
    quota-changed: { level: high }
  environments:
    - { name: live, match: "clusters/live/**", raise: 2 }
    - { match: ["**/staging/**"] }
  approvals:
    requiredAt: medium
    count: 2
    acceptReviews: false
    default: { teams: [platform] }
    rbac: { teams: [org/security], users: ["@alice"], count: 1, minPermission: admin }
    statefulset: { users: [dba] }
`).risk;
    expect(r.rules).toEqual({ "image-only": { enabled: false }, "quota-changed": { level: "high" } });
    expect(r.environments).toEqual([
      { name: "live", match: ["clusters/live/**"], raise: 2 },
      { match: ["**/staging/**"], raise: 1 },
    ]);
    expect(r.approvals).toEqual({
      requiredAt: "medium",
      default: { users: [], teams: ["platform"], count: 2, allowAuthor: false, acceptReviews: false, minPermission: "write" },
      categories: {
        rbac: { users: ["@alice"], teams: ["org/security"], count: 1, allowAuthor: false, acceptReviews: false, minPermission: "admin" },
        statefulset: { users: ["dba"], teams: ["platform"], count: 2, allowAuthor: false, acceptReviews: false, minPermission: "write" },
      },
    });
  });

  it("turns the production raise off with an empty list", () => {
    expect(parse("risk:\n  environments: []\n").risk.environments).toEqual([]);
  });

  it.each([
    ["unknown rule id", "risk:\n  rules:\n    statefulset-chnged: { enabled: false }\n", "risk.rules.statefulset-chnged", 3, 'unknown key "statefulset-chnged"'],
    ["unknown rule setting", "risk:\n  rules:\n    image-only:\n      severity: low\n", "risk.rules.image-only.severity", 4, 'unknown key "severity"'],
    ["bad level", "risk:\n  rules:\n    image-only:\n      level: severe\n", "risk.rules.image-only.level", 4, 'must be one of "low", "medium", "high", "critical"'],
    ["level none", "risk:\n  rules:\n    image-only: { level: none }\n", "risk.rules.image-only.level", 3, "must be one of"],
    ["bad requiredAt", "risk:\n  approvals:\n    requiredAt: urgent\n", "risk.approvals.requiredAt", 3, "must be one of"],
    ["unknown category", "risk:\n  approvals:\n    databases: { users: [a] }\n", "risk.approvals.databases", 3, 'unknown key "databases"'],
    ["typo in a category", "risk:\n  approvals:\n    rbac:\n      team: [x]\n", "risk.approvals.rbac.team", 4, 'unknown key "team"'],
    ["count below 1", "risk:\n  approvals:\n    count: 0\n", "risk.approvals.count", 3, "must be >= 1"],
    ["minPermission below write", "risk:\n  approvals:\n    minPermission: read\n", "risk.approvals.minPermission", 3, 'must be one of "write", "maintain", "admin"'],
    ["minPermission triage on a category", "risk:\n  approvals:\n    rbac: { minPermission: triage }\n", "risk.approvals.rbac.minPermission", 3, "must be one of"],
    ["a login with a space", "risk:\n  approvals:\n    rbac: { users: [\"al ice\"] }\n", "risk.approvals.rbac.users[0]", 3, "must match pattern"],
    ["raise too large", "risk:\n  environments:\n    - match: x\n      raise: 9\n", "risk.environments[0].raise", 4, "must be <= 4"],
    ["environment without match", "risk:\n  environments:\n    - raise: 1\n", "risk.environments[0]", 3, 'missing required key "match"'],
    ["unknown key", "risk:\n  approval: {}\n", "risk.approval", 2, 'unknown key "approval"'],
  ])("rejects %s with its key path", (_name, text, keyPath, line, detail) => {
    const err = errorOf(text);
    expect(err.keyPath).toBe(keyPath);
    expect(err.line).toBe(line);
    expect(err.message).toContain(detail);
    expect(err.message.startsWith(`${file}:${line}: ${keyPath}: `)).toBe(true);
  });

  it("lists exactly the registered rule ids and categories in the schema", () => {
    const risk = (schema as { properties: { risk: { properties: { rules: { properties: object }; approvals: { properties: object } } } } }).properties.risk;
    expect(Object.keys(risk.properties.rules.properties).sort()).toEqual([...RISK_RULES.keys()].sort());
    const categories = Object.keys(risk.properties.approvals.properties).filter((k) => !["requiredAt", "count", "allowAuthor", "acceptReviews", "minPermission", "default"].includes(k));
    expect(categories.sort()).toEqual([...RISK_CATEGORIES].sort());
    for (const rule of RISK_RULES.values()) expect(RISK_CATEGORIES).toContain(rule.category);
  });
});
