/**
 * Approvals in combination: `count: 2` met by one writer approving three ways (command, review,
 * button) and once more under another letter case, and team approvers when GitHub fails to
 * answer the membership lookup. Neither may turn the approval check green.
 */
import { HEAD_SHA, issueCommentPayload, requestedActionPayload, reviewPayload } from "../../../app/helpers/payloads.js";
import { reviewOnce, type AppCase, type Reviewed } from "../harness/app-case.js";
import type { Host } from "../harness/host.js";
import { configMap, CRB } from "./fixtures.js";

const BASE = { "app/cm.yaml": configMap("settings", { a: "b" }) };
const HEAD = { ...BASE, "app/crb.yaml": CRB };
const TWO = "risk:\n  approvals:\n    count: 2\n";
const TEAM = "risk:\n  approvals:\n    rbac:\n      teams: [platform]\n";

const reviewed = new Map<string, Promise<Reviewed>>();
const reviewedWith = (host: Host, config: string) => {
  let r = reviewed.get(config);
  if (!r) reviewed.set(config, (r = reviewOnce(host, BASE, HEAD, config)));
  return r;
};

export const approvalComboCases: AppCase[] = [
  {
    id: "approval/count-2-one-writer-four-ways",
    attack: "with `count: 2`, bob approves by command, by an approving review, by the button, and as `BOB` by command",
    targets: ["approval"],
    prepare: async (gh, host) => (await reviewedWith(host, TWO)).restore(gh),
    act: async ({ gh, app }) => {
      await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "bob"));
      gh.reviews.push({ id: 9201, user: { login: "bob" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-11-23T12:02:00Z" });
      await app.receive("pull_request_review", reviewPayload("bob", "approved"));
      await app.receive("check_run", requestedActionPayload("bob"));
      await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "BOB"));
    },
  },
  {
    id: "approval/team-approvers-lookup-fails",
    attack: "with `rbac: {teams: [platform]}`, GitHub answers 502 to every team-membership lookup while a writer approves",
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await reviewedWith(host, TEAM)).restore(gh);
      gh.teamLookupStatus = 502;
    },
    act: async ({ app }) => {
      await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "bob")).catch(() => undefined);
      await app.receive("check_run", requestedActionPayload("bob")).catch(() => undefined);
    },
  },
];
