import { describe, expect, it } from "vitest";
import type { RiskReport } from "../../src/core/model/risk.js";
import { approvalStatus, classifyRisk, type Approval } from "../../src/core/risk/index.js";
import { changesOf, pvc, resource, riskConfig, service } from "./risk-cost-fixtures.js";

const RBAC = "rbac.authorization.k8s.io/v1";
const roleWith = (verbs: string[]) => resource(RBAC, "Role", "deployer", "shop", { rules: [{ apiGroups: ["apps"], resources: ["deployments"], verbs }] });

/**
 * Three reasons: an RBAC change (high; approvers alice or team org/security, two needed,
 * reviews not accepted), a PVC resize (high; any reviewer), a NodePort Service (medium; no
 * approval needed).
 */
function risk(pvcSize = "2Gi"): RiskReport {
  const base = [roleWith(["get"]), pvc("data", "1Gi"), service("web")];
  const head = [roleWith(["get", "patch"]), pvc("data", pvcSize), service("web", "NodePort")];
  const config = riskConfig();
  return classifyRisk({
    changes: changesOf("platform", base, head),
    targets: [{ id: "platform", path: "platform", base, head }],
    config: {
      ...config,
      approvals: {
        ...config.approvals,
        categories: { rbac: { users: ["Alice"], teams: ["org/security"], count: 2, allowAuthor: false, acceptReviews: false, minPermission: "write" } },
      },
    },
  });
}

const report = risk();
const rbacHash = report.reasons.find((r) => r.category === "rbac")!.itemHash;
const pvcHash = report.reasons.find((r) => r.category === "storage")!.itemHash;
const all = [rbacHash, pvcHash];

function approve(user: string, overrides: Partial<Approval> = {}): Approval {
  return { user, teams: [], itemHashes: all, viaReview: false, permission: "write", ...overrides };
}

function status(approvals: Approval[], author = "bob") {
  const s = approvalStatus(report, approvals, author);
  const view = (list: typeof s.pending) => Object.fromEntries(list.map((r) => [r.category, { approvedBy: r.approvedBy, missing: r.missing, ignored: r.ignored }]));
  return { complete: s.complete, satisfied: view(s.satisfied), pending: view(s.pending) };
}

describe("approvalStatus", () => {
  it("lists every reason that needs approval, with who may give it, and nothing else", () => {
    const s = approvalStatus(report, [], "bob");
    expect(s.complete).toBe(false);
    expect(s.digest).toBe(report.digest);
    expect(s.satisfied).toEqual([]);
    expect(s.pending.map((p) => [p.ruleId, p.needed, p.missing, p.approvers])).toEqual([
      ["storage-changed", 1, 1, []],
      ["rbac-changed", 2, 2, ["Alice", "team:org/security"]],
    ]);
  });

  it("counts an eligible approver, and is complete when every reason has enough", () => {
    const s = status([approve("alice"), approve("carol", { teams: ["org/security"] })]);
    expect(s).toEqual({
      complete: true,
      satisfied: {
        storage: { approvedBy: ["alice", "carol"], missing: 0, ignored: [] },
        rbac: { approvedBy: ["alice", "carol"], missing: 0, ignored: [] },
      },
      pending: {},
    });
  });

  it("never counts the author unless allowAuthor is set", () => {
    expect(status([approve("bob")], "Bob").pending.storage).toEqual({ approvedBy: [], missing: 1, ignored: [{ user: "bob", because: "author" }] });
    const base = risk();
    const allowed = { ...base, reasons: base.reasons.map((r) => (r.approval ? { ...r, approval: { ...r.approval, allowAuthor: true } } : r)) };
    const s = approvalStatus(allowed, [approve("bob")], "bob");
    expect(s.satisfied.map((r) => r.category)).toEqual(["storage"]);
  });

  it("counts only listed users and members of listed teams", () => {
    const s = status([approve("mallory"), approve("dave", { teams: ["org/platform"] }), approve("erin", { teams: ["security"] })]);
    expect(s.pending.rbac).toEqual({
      approvedBy: ["erin"],
      missing: 1,
      ignored: [
        { user: "mallory", because: "not-an-approver" },
        { user: "dave", because: "not-an-approver" },
      ],
    });
    // Anyone but the author may approve a category without approvers.
    expect(s.satisfied.storage?.approvedBy).toEqual(["mallory", "dave", "erin"]);
  });

  it("counts each person once, and matches logins without regard to case or @", () => {
    const s = status([approve("@ALICE"), approve("alice"), approve("Alice", { viaReview: false })]);
    expect(s.pending.rbac).toEqual({ approvedBy: ["alice"], missing: 1, ignored: [] });
  });

  it("ignores reviews where the category does not accept them, but not explicit approvals", () => {
    const viaReview = status([approve("alice", { viaReview: true }), approve("carol", { viaReview: true, teams: ["org/security"] })]);
    expect(viaReview.pending.rbac?.ignored).toEqual([
      { user: "alice", because: "review-not-accepted" },
      { user: "carol", because: "review-not-accepted" },
    ]);
    expect(viaReview.satisfied.storage?.approvedBy).toEqual(["alice", "carol"]);
    const mixed = status([approve("alice", { viaReview: true }), approve("alice"), approve("carol", { teams: ["org/security"] })]);
    expect(mixed.satisfied.rbac?.approvedBy).toEqual(["alice", "carol"]);
  });

  it("treats an approval of other content as stale: it names the hash that was approved", () => {
    const before = risk("2Gi");
    const after = risk("5Gi");
    const oldPvc = before.reasons.find((r) => r.category === "storage")!.itemHash;
    const newPvc = after.reasons.find((r) => r.category === "storage")!.itemHash;
    const newRbac = after.reasons.find((r) => r.category === "rbac")!.itemHash;
    expect(newPvc).not.toBe(oldPvc);
    // The RBAC change did not move, so its hash (and any approval of it) survives.
    expect(newRbac).toBe(rbacHash);
    const s = approvalStatus(after, [approve("alice", { itemHashes: [oldPvc, rbacHash] })], "bob");
    expect(s.pending.find((r) => r.category === "storage")?.ignored).toEqual([{ user: "alice", because: "stale" }]);
    expect(s.pending.find((r) => r.category === "rbac")?.approvedBy).toEqual(["alice"]);
  });

  it("gives the most telling reason when someone is both the author and not an approver", () => {
    expect(status([approve("bob")]).pending.rbac?.ignored).toEqual([{ user: "bob", because: "author" }]);
  });

  it("counts nobody below write access, named approvers included, and says what access they have", () => {
    const s = status([
      approve("reader", { permission: "read" }),
      approve("triager", { permission: "triage" }),
      approve("outsider", { permission: "none" }),
      approve("unknown", { permission: "unknown" }),
      approve("alice", { permission: "read" }),
    ]);
    expect(s.pending.storage?.ignored).toEqual([
      { user: "reader", because: "insufficient-access", permission: "read" },
      { user: "triager", because: "insufficient-access", permission: "triage" },
      { user: "outsider", because: "insufficient-access", permission: "none" },
      { user: "unknown", because: "insufficient-access", permission: "unknown" },
      { user: "alice", because: "insufficient-access", permission: "read" },
    ]);
    // Not being named is said first: access would not make mallory an RBAC approver.
    expect(status([approve("mallory", { permission: "read" })]).pending.rbac?.ignored).toEqual([{ user: "mallory", because: "not-an-approver" }]);
  });

  it("raises the minimum per reason with minPermission", () => {
    const admins = { ...report, reasons: report.reasons.map((r) => (r.approval ? { ...r, approval: { ...r.approval, minPermission: "admin" as const } } : r)) };
    const s = approvalStatus(admins, [approve("alice", { permission: "maintain" }), approve("carol", { permission: "admin" })], "bob");
    const storage = [...s.pending, ...s.satisfied].find((r) => r.category === "storage")!;
    expect(storage.minPermission).toBe("admin");
    expect(storage.approvedBy).toEqual(["carol"]);
    expect(storage.ignored).toEqual([{ user: "alice", because: "insufficient-access", permission: "maintain" }]);
  });
});
