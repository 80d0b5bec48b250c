/**
 * Approving a risky change without write access (found item 7 used an approving review, the
 * button and the command by read-only users and outsiders with no approvers configured).
 * These use other roles and answers (triage, `none`, a 404), other paths (a mention, an
 * upper-case command, a review-thread reply, an edited comment, bot-looking accounts), and
 * forged approval state: in a comment by an outsider, in one by github-actions[bot], and
 * inside repository content that Shipshape's own comment quotes.
 */
import { decodeState, encodeState, type StickyState } from "../../../../src/github/state.js";
import { HEAD_SHA, issueCommentPayload, pullRequestPayload, requestedActionPayload, reviewCommentReplyPayload, reviewPayload } from "../../../app/helpers/payloads.js";
import type { CorpusGitHub } from "../harness/app.js";
import { reviewOnce, type AppCase, type AppCaseContext, type Reviewed } from "../harness/app-case.js";
import type { Host } from "../harness/host.js";
import { configMap, CRB } from "./fixtures.js";

const BASE = { "app/cm.yaml": configMap("settings", { a: "b" }) };
const HEAD = { ...BASE, "app/crb.yaml": CRB };
const HEAD2 = "5".repeat(40);

let risky: Promise<Reviewed> | undefined;
/** The pull request every approval case starts from: the head adds a ClusterRoleBinding to everyone. */
export function riskyPullRequest(host: Host): Promise<Reviewed> {
  risky ??= reviewOnce(host, BASE, HEAD);
  return risky;
}

export function stickyState(comments: CorpusGitHub["comments"]): StickyState {
  const own = comments.find((c) => c.user.login === "shipshape[bot]" && c.body.includes("<!-- shipshape:sticky -->"));
  const decoded = own ? decodeState(own.body) : undefined;
  if (!decoded?.ok) throw new Error("the review left no readable state: the corpus cannot forge one");
  return decoded.state;
}

/** What a forger writes: the sticky markers and a state in which `user` approved every current item. */
function forgedSticky(state: StickyState, user: string, headSha = state.headSha): string {
  const hashes = state.reasons.map((r) => r.itemHash);
  const forged: StickyState = { ...state, headSha, approvals: [{ user, itemHashes: hashes, via: "command", at: "2026-11-23T12:00:00Z" }] };
  return `<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n${encodeState(forged)}\n`;
}

function approvalCase(id: string, attack: string, act: (ctx: AppCaseContext) => Promise<void>, prepare?: (gh: CorpusGitHub) => void): AppCase {
  return {
    id,
    attack,
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await riskyPullRequest(host)).restore(gh);
      prepare?.(gh);
    },
    act,
  };
}

const approvingReview = (login: string) => async ({ gh, app }: AppCaseContext) => {
  gh.reviews.push({ id: 9001, user: { login }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-11-23T12:01:00Z" });
  await app.receive("pull_request_review", reviewPayload(login, "approved"));
};

const comment = (body: string, login: string, type = "User") => async ({ app }: AppCaseContext) => {
  await app.receive("issue_comment", issueCommentPayload(body, login, type));
};

export const approvalCases: AppCase[] = [
  approvalCase("approval/review-by-triage-role", "an approving review by a user with the triage role (permission read)", approvingReview("tim")),
  approvalCase("approval/review-by-public-outsider", "an approving review by a non-collaborator of a public repository (GitHub reports read)", approvingReview("mallory")),
  approvalCase("approval/review-by-permission-none", "an approving review by a user whose permission is `none`", approvingReview("nadia")),
  approvalCase("approval/review-by-unknown-user", "an approving review by a user the permission endpoint answers 404 for", approvingReview("ghost")),
  approvalCase("approval/button-by-triage-role", "the Approve button pressed by a triage user", async ({ app }) => app.receive("check_run", requestedActionPayload("tim"))),
  approvalCase("approval/button-by-unknown-user", "the Approve button pressed by a user the permission endpoint answers 404 for", async ({ app }) => app.receive("check_run", requestedActionPayload("ghost"))),
  approvalCase("approval/mention-command-by-read-only", "`@shipshape approve` by a read-only user", comment("LGTM\n@shipshape approve", "rita")),
  approvalCase("approval/uppercase-command-by-triage", "`/SHIPSHAPE APPROVE` by a triage user", comment("/SHIPSHAPE APPROVE", "tim")),
  approvalCase("approval/review-thread-reply-by-read-only", "`/shipshape approve` as a reply in a review thread by a read-only user", async ({ app }) => {
    await app.receive("pull_request_review_comment", reviewCommentReplyPayload("/shipshape approve", "rita", 424242));
  }),
  approvalCase("approval/author-with-other-letter-case", "`/shipshape approve` by the author written as Alice-Author", comment("/shipshape approve", "Alice-Author")),
  approvalCase("approval/edited-comment-by-read-only", "a read-only user edits an old comment into `/shipshape approve`", async ({ app }) => {
    const p = issueCommentPayload("/shipshape approve", "rita");
    p.action = "edited";
    p.changes = { body: { from: "thanks" } };
    await app.receive("issue_comment", p);
  }),
  approvalCase("approval/commands-from-bot-looking-accounts", "`/shipshape approve` from `renovate[bot]` typed User and from a Bot-typed account", async (ctx) => {
    await comment("/shipshape approve", "renovate[bot]")(ctx);
    await comment("/shipshape approve", "deploy-bot", "Bot")(ctx);
  }),
  approvalCase(
    "approval/forged-state-in-outsider-comment",
    "an outsider's comment carrying the sticky markers and a state approving every item, then a review event",
    async ({ app }) => app.receive("pull_request_review", reviewPayload("mallory", "commented")),
    (gh) => {
      const forged = gh.addComment(forgedSticky(stickyState(gh.comments), "mallory"), { login: "mallory", type: "User" });
      // Older than Shipshape's own comment: first in every listing.
      gh.comments = [forged, ...gh.comments.filter((c) => c !== forged)];
    },
  ),
  approvalCase(
    "approval/forged-state-by-github-actions-bot",
    "Shipshape's comment replaced by one from github-actions[bot] (any workflow can post as it) with a forged approving state",
    async ({ app }) => app.receive("pull_request_review", reviewPayload("mallory", "commented")),
    (gh) => {
      const state = stickyState(gh.comments);
      gh.comments = [];
      gh.addComment(forgedSticky(state, "mallory"), { login: "github-actions[bot]", type: "Bot" });
    },
  ),
  approvalCase("approval/approve-with-forged-state-in-reason", "a read-only user's `/shipshape approve` whose reason holds a forged state line", async (ctx) => {
    const line = forgedSticky(stickyState(ctx.gh.comments), "rita").split("\n")[2]!;
    await comment(`/shipshape approve ${line}`, "rita")(ctx);
  }),
  {
    id: "approval/forged-state-inside-repository-content",
    attack: "a push adding a ConfigMap whose value is the sticky markers with a state approving every item; Shipshape's comment quotes it, then a review event",
    targets: ["approval"],
    prepare: async (gh, host) => {
      const first = await riskyPullRequest(host);
      const forged = forgedSticky(stickyState(first.comments), "mallory", HEAD2);
      const head2 = { ...HEAD, "app/note.yaml": configMap("note", { note: forged }) };
      const second = await reviewOnce(host, BASE, HEAD, undefined, [[HEAD2, head2]]);
      second.restore(gh);
    },
    act: async ({ gh, app }) => {
      gh.pull.headSha = HEAD2;
      await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: HEAD2 }));
      await app.app.idle();
      const review = reviewPayload("mallory", "commented", HEAD2);
      review.pull_request.head.sha = HEAD2;
      await app.receive("pull_request_review", review);
    },
  },
];

/** A writer's approval turns the check green: proof the corpus would see an approval happen. */
export const writerApproves = approvalCase("control/writer-approves", "control: a user with write access approves", comment("/shipshape approve", "bob"));
