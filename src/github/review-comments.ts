/**
 * Inline review comments: each introduced finding whose head line is in the pull request's
 * diff gets one comment (posted together as a single COMMENT review per run), carrying the
 * finding id in a hidden marker so it is never posted twice. When a finding disappears, its
 * thread gets "Resolved in <sha>" and is resolved when the API allows it.
 *
 * Everything from the repository in a comment is escaped, and the markers are read only as
 * the exact last line of a comment Shipshape wrote: text in a finding's message can neither
 * forge a marker nor stand in for the real one (a `waive` in one thread waives that thread's
 * finding, never another).
 */
import type { Finding } from "../core/model/finding.js";
import type { Logger } from "../core/ports.js";
import { escapeMarkdown, markdownCode, MAX_NAME } from "../present/markdown/escape.js";
import type { GitHubApi, PullRequestRef } from "./api.js";
import { isAuthor, type Author, type Identity } from "./identity.js";
import { listAll } from "./paginate.js";
import type { DiffLines } from "./pr-diff.js";

/** GitHub takes many comments per review, but a wall of them helps nobody. */
export const MAX_REVIEW_COMMENTS = 30;

/** The last line of a finding's comment; `rule=` only for rule ids plain enough to sit in it. */
const FINDING_MARKER = /\r?\n<!-- shipshape:finding id=([0-9a-f]{6,64})(?: rule=([A-Za-z0-9][\w.-]*(?:\/[\w.-]+)*))? -->\s*$/;
const RESOLVED_MARKER = /\r?\n<!-- shipshape:resolved id=([0-9a-f]{6,64}) -->\s*$/;
const PLAIN_RULE = /^[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)*$/;
/** Comments written before the rule id went into the marker: it was the first code span of the first line. */
const LEGACY_RULE = /^(?:❌ \*\*error\*\*|⚠️ \*\*warning\*\*|ℹ️ \*\*info\*\*) · `([^`\n]+)`/;

export interface ReviewComment extends Author {
  id: number;
  node_id?: string;
  body?: string;
  in_reply_to_id?: number;
  path?: string;
  line?: number | null;
}

export function findingMarker(id: string, ruleId?: string): string {
  const rule = ruleId !== undefined && ruleId.length <= MAX_NAME && PLAIN_RULE.test(ruleId) ? ` rule=${ruleId}` : "";
  return `<!-- shipshape:finding id=${id}${rule} -->`;
}

/**
 * The finding a review comment of ours is about, from its last line only; undefined for
 * anyone else's comment, a reply, or a body that does not end in the marker.
 */
export function findingOf(comment: ReviewComment, self: Pick<Identity, "login">): { id: string; ruleId?: string } | undefined {
  if (!isAuthor(comment, self) || comment.in_reply_to_id) return undefined;
  const body = comment.body ?? "";
  const match = FINDING_MARKER.exec(body);
  if (!match) return undefined;
  const ruleId = match[2] ?? LEGACY_RULE.exec(body)?.[1];
  return { id: match[1]!, ...(ruleId && PLAIN_RULE.test(ruleId) ? { ruleId } : {}) };
}

/** The finding a review comment of ours is about; undefined for anyone else's comment. */
export function findingIdOf(comment: ReviewComment, self: Pick<Identity, "login">): string | undefined {
  return findingOf(comment, self)?.id;
}

const LEVEL: Record<Finding["severity"], string> = { error: "❌ **error**", warning: "⚠️ **warning**", info: "ℹ️ **info**" };

export function reviewCommentBody(f: Finding, slug: string): string {
  const ref = f.resource ? `${f.resource.kind}/${f.resource.name}` : "";
  const where = f.resource ? ` · ${markdownCode(ref)}${f.resource.namespace ? ` in ${markdownCode(f.resource.namespace)}` : ""}` : "";
  return [
    `${LEVEL[f.severity]} · ${markdownCode(f.ruleId)}${where}`,
    "",
    escapeMarkdown(f.message),
    "",
    `<sub>Reply \`/shipshape explain\` for details or \`/shipshape waive <reason>\` to accept it (@${slug} works too).</sub>`,
    findingMarker(f.id, f.ruleId),
  ].join("\n");
}

export interface ReviewPlan {
  post: Finding[];
  /** Our top-level comments whose finding is gone and that are not yet marked resolved. */
  resolve: ReviewComment[];
  /** Findings that fit the diff but were not posted because of MAX_REVIEW_COMMENTS. */
  skipped: number;
}

/** Pure: what to post and what to mark resolved, given what is already on the pull request. */
export function planReview(findings: readonly Finding[], existing: readonly ReviewComment[], lines: DiffLines, self: Pick<Identity, "login">): ReviewPlan {
  const commented = new Map<string, ReviewComment>();
  const resolved = new Set<string>();
  for (const c of existing) {
    if (!isAuthor(c, self)) continue;
    const done = c.in_reply_to_id ? RESOLVED_MARKER.exec(c.body ?? "")?.[1] : undefined;
    if (done) resolved.add(done);
    const id = findingIdOf(c, self);
    if (id && !commented.has(id)) commented.set(id, c);
  }
  const current = new Set(findings.filter((f) => f.introduced && !f.waived).map((f) => f.id));
  const candidates = findings.filter(
    (f) => f.introduced && !f.waived && f.file && f.line && lines.get(f.file)?.has(f.line) && !commented.has(f.id),
  );
  const unique = [...new Map(candidates.map((f) => [f.id, f])).values()];
  const post = unique.slice(0, MAX_REVIEW_COMMENTS);
  const resolve = [...commented].filter(([id]) => !current.has(id) && !resolved.has(id)).map(([, c]) => c);
  return { post, resolve, skipped: unique.length - post.length };
}

export async function loadReviewComments(api: GitHubApi, pr: PullRequestRef): Promise<ReviewComment[]> {
  return listAll<ReviewComment>(api, "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", { owner: pr.owner, repo: pr.repo, pull_number: pr.number });
}

export async function publishReview(api: GitHubApi, pr: PullRequestRef, plan: ReviewPlan, slug: string, logger: Logger): Promise<void> {
  const repo = { owner: pr.owner, repo: pr.repo };
  if (plan.post.length > 0) {
    const more = plan.skipped > 0 ? ` ${plan.skipped} more are listed in the Shipshape comment and check run.` : "";
    await api.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      ...repo,
      pull_number: pr.number,
      commit_id: pr.headSha,
      event: "COMMENT",
      body: `Shipshape found ${plan.post.length === 1 ? "a new problem" : `${plan.post.length} new problems`} on lines this pull request changes.${more}`,
      comments: plan.post.map((f) => ({ path: f.file!, line: f.line!, side: "RIGHT", body: reviewCommentBody(f, slug) })),
    });
  }
  for (const c of plan.resolve) {
    const id = FINDING_MARKER.exec(c.body ?? "")![1]!;
    await api.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies", {
      ...repo,
      pull_number: pr.number,
      comment_id: c.id,
      body: `Resolved in ${pr.headSha}.\n<!-- shipshape:resolved id=${id} -->`,
    });
  }
  if (plan.resolve.length > 0) await resolveThreads(api, pr, new Set(plan.resolve.map((c) => c.id)), logger);
}

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100) { nodes { id isResolved comments(first: 1) { nodes { databaseId } } } }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }`;

interface ThreadsResult {
  repository: { pullRequest: { reviewThreads: { nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number }[] } }[] } } };
}

/** Best effort: resolving needs GraphQL and may be refused; the reply already says it. */
async function resolveThreads(api: GitHubApi, pr: PullRequestRef, commentIds: Set<number>, logger: Logger): Promise<void> {
  try {
    const result = await api.graphql<ThreadsResult>(THREADS_QUERY, { owner: pr.owner, repo: pr.repo, number: pr.number });
    for (const thread of result.repository.pullRequest.reviewThreads.nodes) {
      const first = thread.comments.nodes[0]?.databaseId;
      if (thread.isResolved || first === undefined || !commentIds.has(first)) continue;
      await api.graphql(RESOLVE_MUTATION, { threadId: thread.id });
    }
  } catch (err) {
    logger.warn("could not resolve review threads", { error: (err as Error).message });
  }
}
