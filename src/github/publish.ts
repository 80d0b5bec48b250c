/**
 * Publishing one analysis to a pull request, the same way from the App and the Action:
 * the `Shipshape` check with annotations, the `Shipshape / approval` check, the sticky
 * comment (with its state), inline review comments, and review requests to approvers.
 */
import type { ShipshapeConfig } from "../config/types.js";
import { applyCommandWaivers } from "../core/command-waivers.js";
import type { Report } from "../core/model/report.js";
import type { FailOn } from "../core/outcome.js";
import type { Logger } from "../core/ports.js";
import type { ApprovalState } from "../core/risk/approval-status.js";
import { renderApprovalCheck } from "../present/approval-check.js";
import { renderCheckRun } from "../present/check-run.js";
import { renderMarkdown } from "../present/markdown/render-markdown.js";
import { approvalSection, APPROVALS_END, APPROVALS_START, replaceApprovalSection, withApprovalSection } from "../present/markdown/approval-section.js";
import { httpStatus, type GitHubApi, type PullRequestRef } from "./api.js";
import { evaluateApprovals, foldReviews, loadReviews } from "./approvals.js";
import { APPROVE_ACTION, CHECK_NAMES, completeCheckRun, createCompletedCheckRun, findCheckRun, type CheckCompletion } from "./checks.js";
import { TEAM_PREFIX } from "../core/risk/approvers.js";
import { createDirectory, parseTeam, type Directory } from "./directory.js";
import type { Identity } from "./identity.js";
import { loadDiffLines } from "./pr-diff.js";
import { strictestForHead } from "./shared-head.js";
import { loadReviewComments, planReview, publishReview } from "./review-comments.js";
import { emptyState, encodeState, type StateKey, type StickyState } from "./state.js";
import { COMMENT_LIMIT, firstPartBody, loadSticky, publishSticky, readFirstPart, stickyBodies, type Sticky } from "./sticky-comment.js";

/**
 * The comment is at most this many parts: a report beyond that is shortened (the note at its
 * end says what was left out and where to find it), however long the repository's names and
 * values are.
 */
export const MAX_COMMENT_PARTS = 5;

export interface PublishTargets {
  /** Check runs already created in progress; missing ones are created completed. False: no check runs. */
  checks: { main?: number; approval?: number } | false;
  comment: boolean;
}

export interface PublishRequest {
  api: GitHubApi;
  pr: PullRequestRef;
  self: Identity;
  /** Other Shipshape publishers whose comment is adopted (App ↔ Action). */
  others: readonly Pick<Identity, "login">[];
  report: Report;
  toolErrors: readonly string[];
  config: ShipshapeConfig;
  failOn: FailOn;
  targets: PublishTargets;
  logger: Logger;
  now: string;
  /**
   * The approval check's Approve button. Only the App receives `requested_action` events, so
   * the Action leaves it out rather than show a button that does nothing.
   */
  approveButton?: boolean;
  /** Who people are on GitHub, shared by everything one event does (each role asked once). */
  dir?: Directory;
}

export interface PublishOutcome {
  state: StickyState;
  approval?: ApprovalState;
  report: Report;
}

export async function publishAnalysis(req: PublishRequest): Promise<PublishOutcome> {
  const { api, pr, config, logger } = req;
  const sticky = await loadSticky(api, pr, req.self, req.others);
  if (sticky.stateProblem) logger.warn("ignoring unreadable state in Shipshape's comment", { problem: sticky.stateProblem });
  const previous = sticky.state ?? emptyState(pr.headSha);
  // Command waivers (kept in our own comment's state) apply before anything is judged.
  const report: Report = { ...req.report, findings: applyCommandWaivers(req.report.findings, previous.waivers) };
  const risk = report.risk;
  // A fresh analysis has every reason again; an earlier state's "incomplete" mark does not carry over.
  const { incomplete: _wasIncomplete, ...kept } = previous;
  let state: StickyState = {
    ...kept,
    headSha: pr.headSha,
    riskDigest: risk?.digest ?? "",
    riskLevel: risk?.level ?? "none",
    reasons: (risk?.reasons ?? []).filter((r) => r.approval),
  };
  const dir = req.dir ?? createDirectory(api, pr);
  const needsApproval = state.reasons.length > 0;
  if (needsApproval) state = foldReviews(state, await loadReviews(api, pr), req.now);
  const approval = needsApproval ? await evaluateApprovals(state, { dir, pr }) : undefined;

  if (req.targets.checks) {
    const main = renderCheckRun(report, { failOn: req.failOn, toolErrors: [...req.toolErrors], maxAnnotations: config.github.maxAnnotations });
    await completeOrCreate(api, pr, CHECK_NAMES.main, req.targets.checks.main, {
      conclusion: main.conclusion,
      title: main.title,
      summary: main.summary,
      text: main.text,
      annotations: main.annotations,
    });
    const completion = await strictestForHead({ ...req, dir }, approvalCompletion(approval, needsApproval, pr, sticky, req.approveButton ?? true));
    await completeOrCreate(api, pr, CHECK_NAMES.approval, req.targets.checks.approval, completion);
  }
  if (approval && !approval.complete && config.github.requestReviews) state = await requestReviewsOnce(api, pr, state, approval, logger);
  if (req.targets.comment) {
    await publishSticky(api, pr, sticky, commentBodies(report, approvalSection(approval), state, req.self.stateKey));
    if (config.github.reviewComments) await publishInline(req, report);
  }
  return { state, report, ...(approval ? { approval } : {}) };
}

export function approvalCompletion(approval: ApprovalState | undefined, requiresApproval: boolean, pr: PullRequestRef, sticky?: Pick<Sticky, "url">, approveButton = true): CheckCompletion {
  const out = renderApprovalCheck(approval, { requiresApproval });
  return {
    conclusion: out.conclusion,
    title: out.title,
    summary: out.summary,
    ...(out.text ? { text: out.text } : {}),
    // GitHub shows details for action_required at details_url: the conversation, where people approve.
    detailsUrl: sticky?.url ?? pr.htmlUrl,
    ...(out.conclusion === "action_required" && approveButton
      ? { actions: [{ label: "Approve", description: "Approve the risky changes (eligible approvers only)", identifier: APPROVE_ACTION }] }
      : {}),
  };
}

async function completeOrCreate(api: GitHubApi, pr: PullRequestRef, name: (typeof CHECK_NAMES)[keyof typeof CHECK_NAMES], id: number | undefined, result: CheckCompletion): Promise<void> {
  if (id !== undefined) {
    try {
      await completeCheckRun(api, pr, id, result);
      return;
    } catch (err) {
      // A run of the same name by another app (the Action's, say) cannot be updated by us.
      const status = httpStatus(err);
      if (status !== 403 && status !== 404) throw err;
    }
  }
  await createCompletedCheckRun(api, pr, name, pr.headSha, result);
}

/** Asks the approvers for a review once per pull request: the state remembers whom. */
async function requestReviewsOnce(api: GitHubApi, pr: PullRequestRef, state: StickyState, approval: ApprovalState, logger: Logger): Promise<StickyState> {
  const wanted = [...new Set(approval.pending.flatMap((r) => r.approvers))].filter((a) => !state.reviewsRequested.includes(a));
  const reviewers = wanted.filter((a) => !a.startsWith(TEAM_PREFIX) && a.replace(/^@/, "").toLowerCase() !== pr.author.toLowerCase()).map((a) => a.replace(/^@/, ""));
  const teamReviewers = wanted.filter((a) => a.startsWith(TEAM_PREFIX)).flatMap((a) => {
    const t = parseTeam(a, pr.owner);
    return t && t.org.toLowerCase() === pr.owner.toLowerCase() ? [t.slug] : [];
  });
  if (reviewers.length + teamReviewers.length === 0) return state;
  try {
    await api.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      ...(reviewers.length ? { reviewers } : {}),
      ...(teamReviewers.length ? { team_reviewers: teamReviewers } : {}),
    });
  } catch (err) {
    // 422: someone is not a collaborator. Say so in the logs; the approval check still names them.
    logger.warn("could not request reviews from approvers", { status: httpStatus(err), reviewers, teamReviewers });
  }
  return { ...state, reviewsRequested: [...state.reviewsRequested, ...wanted] };
}

async function publishInline(req: PublishRequest, report: Report): Promise<void> {
  const introduced = report.findings.filter((f) => f.introduced && !f.waived && f.file && f.line);
  const [existing, lines] = await Promise.all([loadReviewComments(req.api, req.pr), introduced.length ? loadDiffLines(req.api, req.pr) : Promise.resolve(new Map())]);
  const plan = planReview(report.findings, existing, lines, req.self);
  await publishReview(req.api, req.pr, plan, req.self.slug, req.logger);
}

/** Room each part's header and reopened blocks take, at most (the state line is counted apart). */
const PART_OVERHEAD = 2_000;

/**
 * The sticky comment's parts, at most MAX_COMMENT_PARTS, with the approvals block right
 * after the heading in part 1. The report is fitted to what that many parts hold; a split
 * that still needs more (cuts land at block ends, so parts are not always full) is retried
 * with less, and a report that never fits goes in one part.
 */
export function commentBodies(report: Report, section: string, state: StickyState, key?: StateKey): string[] {
  const stateLength = encodeState(state, key).length;
  const room = MAX_COMMENT_PARTS * (COMMENT_LIMIT - PART_OVERHEAD) - stateLength - section.length;
  const render = (maxLength: number) => stickyBodies(withApprovalSection(renderMarkdown(report, { maxLength, limitLabel: `Shipshape's comment (at most ${MAX_COMMENT_PARTS} parts)`, seeAlso: SEE_ALSO }), section), state, key);
  let maxLength = room;
  for (let attempt = 0; attempt < 4; attempt++) {
    const bodies = render(maxLength);
    if (bodies.length <= MAX_COMMENT_PARTS) return bodies;
    maxLength = Math.floor((maxLength * MAX_COMMENT_PARTS * 0.9) / bodies.length);
  }
  return render(COMMENT_LIMIT - PART_OVERHEAD - stateLength - section.length);
}

const SEE_ALSO = "The `Shipshape` check run annotates new findings on the lines they are about.";

/**
 * After a review, an `approve` command or the Approve button: recompute approvals from the
 * state alone (no new analysis), then refresh the approval check and the comment's block.
 */
export async function refreshApprovals(
  req: Pick<PublishRequest, "api" | "pr" | "self" | "others" | "logger" | "now" | "config" | "approveButton" | "dir"> & { checks: boolean; comment: boolean },
  update: (state: StickyState) => StickyState = (s) => s,
): Promise<{ state?: StickyState; approval?: ApprovalState }> {
  const { api, pr } = req;
  const sticky = await loadSticky(api, pr, req.self, req.others);
  // No review of this head yet, or a state that had to drop its risk items: nothing to judge by.
  if (!sticky.state || sticky.state.headSha !== pr.headSha || sticky.state.incomplete) return {};
  let state = update(sticky.state);
  const needsApproval = state.reasons.length > 0;
  if (needsApproval) state = foldReviews(state, await loadReviews(api, pr), req.now);
  const dir: Directory = req.dir ?? createDirectory(api, pr);
  const approval = needsApproval ? await evaluateApprovals(state, { dir, pr }) : undefined;
  if (req.checks) {
    const id = await findCheckRun(api, pr, pr.headSha, CHECK_NAMES.approval);
    const completion = await strictestForHead({ ...req, dir }, approvalCompletion(approval, needsApproval, pr, sticky, req.approveButton ?? true));
    await completeOrCreate(api, pr, CHECK_NAMES.approval, id, completion);
  }
  if (req.comment) {
    const first = sticky.parts.find((p) => p.part === 1 && p.own);
    const read = first ? readFirstPart(first.body) : undefined;
    // Only part 1 changes, in place: its approvals block (where Shipshape put it) and its state line.
    const markdown = read && replaceApprovalSection(read.markdown, approvalSection(approval));
    if (first && read && markdown !== undefined) {
      const key = req.self.stateKey;
      let body = firstPartBody(read.total, markdown, state, key);
      if (body.length > COMMENT_LIMIT) body = firstPartBody(read.total, replaceApprovalSection(read.markdown, SEE_CHECK)!, state, key);
      await publishSticky(api, pr, { ...sticky, parts: [first] }, [body]);
    } else if (first) {
      req.logger.warn("Shipshape's comment is not in the shape it writes; its approvals block was not refreshed", { comment: first.id });
    }
  }
  return { state, ...(approval ? { approval } : {}) };
}

const SEE_CHECK = `${APPROVALS_START}\n### Approvals\n\nSee the \`Shipshape / approval\` check.\n${APPROVALS_END}\n`;
