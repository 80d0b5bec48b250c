import { describe, expect, it } from "vitest";
import type { RiskReason, RiskReport } from "../../src/core/model/risk.js";
import { approvalStatus, type Approval, type ApprovalState } from "../../src/core/risk/approval-status.js";
import { renderApprovalCheck } from "../../src/present/approval-check.js";
import { reason as baseReason } from "./builders.js";

function reason(overrides: Partial<RiskReason> = {}): RiskReason {
  return baseReason({ approvers: ["alice", "bob", "team:org/dba"], approval: { count: 2, allowAuthor: false, acceptReviews: false, minPermission: "write" }, ...overrides });
}

const quota = reason({
  ruleId: "quota-changed",
  level: "high",
  category: "quota",
  target: "platform/quotas",
  apiVersion: "v1",
  kind: "ResourceQuota",
  namespace: "shop",
  name: "compute",
  itemHash: "b".repeat(64),
  approvers: [],
  approval: { count: 1, allowAuthor: false, acceptReviews: true, minPermission: "write" },
});

const crd = reason({
  ruleId: "crd-changed",
  level: "high",
  category: "crd",
  target: "platform/crds",
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  namespace: "",
  name: "widgets.example.com",
  itemHash: "c".repeat(64),
  approvers: ["team:platform"],
  approval: { count: 1, allowAuthor: false, acceptReviews: true, minPermission: "write" },
});

function risk(reasons: RiskReason[]): RiskReport {
  return { level: "critical", requiresApproval: reasons.some((r) => r.approval), digest: "d".repeat(64), reasons, changes: [] };
}

function approval(user: string, itemHashes: string[], overrides: Partial<Approval> = {}): Approval {
  return { user, teams: [], itemHashes, viaReview: false, permission: "write", ...overrides };
}

const HOW =
  "To approve, comment `/shipshape approve` on the pull request or press the **Approve** button on this check. " +
  "An approving review counts too, unless a reason below says otherwise.";

describe("renderApprovalCheck", () => {
  it("is green when nothing needs approval", () => {
    const none = { conclusion: "success", title: "No approval needed", summary: "No change in this pull request is risky enough to need approval.\n" };
    expect(renderApprovalCheck(undefined, { requiresApproval: false })).toEqual(none);
    const state = approvalStatus(risk([reason({ approval: undefined })]), [], "dave");
    expect(renderApprovalCheck(state, { requiresApproval: false })).toEqual(none);
  });

  it("asks for approval when the report needs it but no state was worked out", () => {
    expect(renderApprovalCheck(undefined, { requiresApproval: true })).toEqual({
      conclusion: "action_required",
      title: "Approval needed",
      summary: `This change needs approval before merging, but who has approved it is not known yet.\n\n${HOW}\n`,
    });
  });

  it("names who must approve each pending reason, who did, and why other approvals did not count", () => {
    const state = approvalStatus(
      risk([reason(), quota, crd]),
      [
        approval("alice", ["a".repeat(64), "b".repeat(64)]),
        approval("dave", ["a".repeat(64), "b".repeat(64), "c".repeat(64)]),
        approval("bob", ["a".repeat(64)], { viaReview: true }),
        approval("carol", ["old"], { teams: ["org/dba"] }),
        approval("erin", ["c".repeat(64)], { teams: ["platform"] }),
      ],
      "dave",
    );
    const out = renderApprovalCheck(state, { requiresApproval: true });
    expect(out.conclusion).toBe("action_required");
    expect(out.title).toBe("1 more approval needed");
    expect(out.summary).toBe(
      [
        "1 of 3 risk reasons needs more approval before this pull request can merge.",
        "",
        HOW,
        "",
        "### Waiting for approval",
        "",
        "- 🔴 critical · <code>statefulset-immutable-fields</code> · StatefulSet <code>data/postgres</code> in <code>platform/db</code>",
        "  - needs 2 approvals from @&#8203;alice, @&#8203;bob or team <code>org/dba</code>: 1 more",
        "  - approved by @&#8203;alice",
        "  - @&#8203;dave's approval does not count: the pull request's author cannot approve their own change",
        "  - @&#8203;bob's approval does not count: an approving review does not count for this reason; comment `/shipshape approve` instead",
        "  - @&#8203;carol's approval does not count: approved before this item last changed or appeared",
        "  - @&#8203;erin's approval does not count: not one of the approvers named for this reason",
        "",
      ].join("\n"),
    );
    expect(out.text).toBe(
      [
        "### Already approved",
        "",
        "- 🟠 high · <code>quota-changed</code> · ResourceQuota <code>shop/compute</code> in <code>platform/quotas</code>",
        "  - needed 1 approval from anyone with write access other than the author",
        "  - approved by @&#8203;alice",
        "- 🟠 high · <code>crd-changed</code> · CustomResourceDefinition <code>widgets.example.com</code> in <code>platform/crds</code>",
        "  - needed 1 approval from team <code>platform</code>",
        "  - approved by @&#8203;erin",
        "",
      ].join("\n"),
    );
  });

  it("counts the approvals still missing over every pending reason, and says when there are none yet", () => {
    const state = approvalStatus(risk([reason(), quota]), [], "dave");
    const out = renderApprovalCheck(state, { requiresApproval: true });
    expect(out.title).toBe("3 more approvals needed");
    expect(out.summary.split("\n")[0]).toBe("2 of 2 risk reasons need more approval before this pull request can merge.");
    expect(out.summary).toContain("  - needs 1 approval from anyone with write access other than the author: 1 more\n  - no approvals yet\n");
    expect(out.text).toBeUndefined();
  });

  it("is green once every reason has enough approvals", () => {
    const state = approvalStatus(risk([quota]), [approval("alice", ["b".repeat(64)]), approval("bob", ["b".repeat(64)])], "dave");
    expect(renderApprovalCheck(state, { requiresApproval: true })).toEqual({
      conclusion: "success",
      title: "Approved (1 risk reason)",
      summary: [
        "Every risk reason that needs approval has enough approvals (1).",
        "",
        "- 🟠 high · <code>quota-changed</code> · ResourceQuota <code>shop/compute</code> in <code>platform/quotas</code>",
        "  - needed 1 approval from anyone with write access other than the author",
        "  - approved by @&#8203;alice and @&#8203;bob",
        "",
      ].join("\n"),
    });
  });

  it("escapes logins and keeps within GitHub's limit however many reasons are pending", () => {
    const pending = Array.from({ length: 2000 }, (_, i) => ({
      ruleId: "rbac-changed",
      level: "high" as const,
      category: "rbac",
      target: `t/${"x".repeat(200)}/${i}`,
      apiVersion: "v1",
      kind: "Role",
      namespace: "ns",
      name: `r${i}`,
      itemHash: `${i}`,
      needed: 1,
      approvedBy: [],
      missing: 1,
      approvers: ["evil_<b>name"],
      minPermission: "write" as const,
      ignored: [],
    }));
    const state: ApprovalState = { complete: false, digest: "d", satisfied: pending, pending };
    const out = renderApprovalCheck(state, { requiresApproval: true });
    expect(out.title).toBe("2000 more approvals needed");
    expect(out.summary.length).toBeLessThanOrEqual(65_535);
    expect(out.text!.length).toBeLessThanOrEqual(65_535);
    expect(out.summary).toContain("from @&#8203;evil\\_&lt;b&gt;name: 1 more");
    expect(out.summary).toMatch(/\n- _…and \d+ more risk reasons_\n$/);
  });
});
