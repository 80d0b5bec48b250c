/**
 * Approving reviews that must not count for the current head: a writer's APPROVED review left
 * on an older commit (before the risky change was pushed), and a writer's approval that was
 * dismissed afterwards (GitHub then reports the review itself as DISMISSED), each followed by
 * a review event that makes Shipshape recount.
 */
import { BASE_SHA, reviewPayload } from "../../../app/helpers/payloads.js";
import type { AppCase } from "../harness/app-case.js";
import { riskyPullRequest } from "./approvals.js";

export const approvalReviewCases: AppCase[] = [
  {
    id: "approval/writer-review-on-older-commit",
    attack: "a writer's APPROVED review on the base commit (before the risky push), then a review event",
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await riskyPullRequest(host)).restore(gh);
      gh.reviews.push({ id: 9101, user: { login: "bob" }, state: "APPROVED", commit_id: BASE_SHA, submitted_at: "2026-11-23T11:00:00Z" });
    },
    act: async ({ app }) => app.receive("pull_request_review", reviewPayload("mallory", "commented")),
  },
  {
    id: "approval/writer-review-dismissed",
    attack: "a writer's approving review on the head, dismissed since (GitHub lists it as DISMISSED), then the dismissal event",
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await riskyPullRequest(host)).restore(gh);
      gh.reviews.push({ id: 9102, user: { login: "bob" }, state: "DISMISSED", commit_id: gh.pull.headSha, submitted_at: "2026-11-23T11:00:00Z" });
    },
    act: async ({ app }) => {
      const p = reviewPayload("bob", "dismissed");
      p.action = "dismissed";
      await app.receive("pull_request_review", p);
    },
  },
];
