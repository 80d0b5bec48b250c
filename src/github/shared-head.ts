/**
 * GitHub keeps check runs per commit, and branch protection reads the newest run of each name on
 * a pull request's head, whichever pull request it was computed for; Shipshape reviews per pull
 * request (the diff from its base). Two open pull requests with the same head (or one whose base
 * was changed) would otherwise let the review of the harmless diff paint the commit green while
 * the other pull request still needs approval. So a green `Shipshape / approval` is published
 * for a commit only when every other open pull request with that head is green too, by its own
 * state; anything unknown (not reviewed yet, a state that cannot be read, a lookup that fails)
 * keeps the check from turning green.
 */
import { escapeMarkdown } from "../present/markdown/escape.js";
import { httpStatus, pullRequestRef, type GitHubApi, type PullRequestRef } from "./api.js";
import { evaluateApprovals, foldReviews, loadReviews } from "./approvals.js";
import type { CheckCompletion } from "./checks.js";
import { createDirectory, type Directory } from "./directory.js";
import type { Identity } from "./identity.js";
import { loadSticky } from "./sticky-comment.js";

/** More pull requests sharing one head than this are not judged one by one: the check stays closed. */
export const MAX_SHARED_PULLS = 10;

export interface SharedHeadContext {
  api: GitHubApi;
  pr: PullRequestRef;
  self: Identity;
  others: readonly Pick<Identity, "login">[];
  now: string;
  dir?: Directory;
}

interface PullListing {
  number: number;
  state?: string;
  head: { sha: string };
  base: { sha: string; repo?: { full_name?: string } | null };
  user: { login: string } | null;
  html_url: string;
}

/**
 * `completion` when it is not green or no other open pull request shares the head; otherwise
 * the first other pull request that still needs approval (or cannot be judged) turns it into
 * `action_required` that names it.
 */
export async function strictestForHead(ctx: SharedHeadContext, completion: CheckCompletion): Promise<CheckCompletion> {
  if (completion.conclusion !== "success") return completion;
  let blocker: { pr?: PullRequestRef; why: string } | undefined;
  try {
    blocker = await firstBlocker(ctx);
  } catch (err) {
    // A commit this repository does not have cannot be the head of another of its pull requests.
    const status = httpStatus(err);
    if (status === 404 || status === 422) return completion;
    blocker = { why: `GitHub did not list the other pull requests of this commit (status ${status ?? "unknown"}); comment \`/shipshape recheck\` to try again` };
  }
  if (!blocker) return completion;
  const where = blocker.pr ? `#${blocker.pr.number}` : "another pull request";
  return {
    conclusion: "action_required",
    title: blocker.pr ? `Approval needed on #${blocker.pr.number}, which has the same head commit` : "Approval not confirmed for this commit",
    summary: `This pull request needs no approval by itself, but its head commit ${escapeMarkdown(ctx.pr.headSha.slice(0, 12))} is also the head of ${where}, and GitHub shows one \`Shipshape / approval\` check per commit: ${blocker.why}.`,
    detailsUrl: blocker.pr?.htmlUrl ?? completion.detailsUrl ?? ctx.pr.htmlUrl,
  };
}

async function firstBlocker(ctx: SharedHeadContext): Promise<{ pr?: PullRequestRef; why: string } | undefined> {
  const { api, pr } = ctx;
  const repo = { owner: pr.owner, repo: pr.repo };
  const { data } = await api.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", { ...repo, commit_sha: pr.headSha, per_page: 100 });
  const sharing = (data as PullListing[]).filter((p) => p.number !== pr.number && (p.state ?? "open") === "open" && p.head?.sha === pr.headSha);
  if (sharing.length > MAX_SHARED_PULLS) return { why: `${sharing.length} open pull requests share it, more than Shipshape judges together (${MAX_SHARED_PULLS})` };
  const dir = ctx.dir ?? createDirectory(api, pr);
  for (const listing of sharing) {
    const other = pullRequestRef(repo, listing);
    const why = await pending(ctx, other, dir);
    if (why) return { pr: other, why };
  }
  return undefined;
}

/** Why the other pull request is not green for this commit, by its own state; undefined when it is. */
async function pending(ctx: SharedHeadContext, other: PullRequestRef, dir: Directory): Promise<string | undefined> {
  const sticky = await loadSticky(ctx.api, other, ctx.self, ctx.others);
  const state = sticky.state;
  if (!state || state.headSha !== other.headSha || state.incomplete) return `Shipshape has no usable review of #${other.number} at this commit yet`;
  if (!state.reasons.some((r) => r.approval)) return undefined;
  const folded = foldReviews(state, await loadReviews(ctx.api, other), ctx.now);
  const status = await evaluateApprovals(folded, { dir, pr: other });
  return status.complete ? undefined : `#${other.number} still needs approval of its risky changes`;
}
