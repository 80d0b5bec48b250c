/**
 * Webhook payloads for the App tests: real examples from @octokit/webhooks-examples, pointed
 * at one test repository (octo/demo, installation 42) and one pull request (#7).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: any[] }[];

export const OWNER = "octo";
export const REPO = "demo";
export const PR_NUMBER = 7;
export const INSTALLATION = 42;
export const AUTHOR = "alice-author";
export const BASE_SHA = "b".repeat(40);
export const HEAD_SHA = "1".repeat(40);

function example(name: string, pick: (e: any) => boolean): any {
  const found = examples.find((x) => x.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
}

function retarget(payload: any): any {
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.owner.login = OWNER;
  payload.repository.default_branch = "main";
  return payload;
}

export function pullRequestPayload(fields: { action?: string; headSha?: string; baseSha?: string; draft?: boolean; author?: string } = {}): any {
  const p = retarget(example("pull_request", (e) => e.action === (fields.action ?? "opened")));
  p.number = PR_NUMBER;
  Object.assign(p.pull_request, prFields(fields));
  return p;
}

export function prFields(fields: { headSha?: string; baseSha?: string; draft?: boolean; author?: string } = {}): any {
  return {
    number: PR_NUMBER,
    draft: fields.draft ?? false,
    state: "open",
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}`,
    user: { login: fields.author ?? AUTHOR, id: 1001, type: "User" },
    head: { ref: "feature", sha: fields.headSha ?? HEAD_SHA, repo: { name: REPO, owner: { login: OWNER } } },
    base: { ref: "main", sha: fields.baseSha ?? BASE_SHA, repo: { name: REPO, owner: { login: OWNER } } },
  };
}

export function issueCommentPayload(body: string, login: string, type = "User"): any {
  const p = retarget(example("issue_comment", (e) => e.action === "created"));
  p.issue.number = PR_NUMBER;
  p.issue.pull_request = { url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}` };
  p.comment.id = 5001;
  p.comment.body = body;
  p.comment.user = { login, id: 2002, type };
  return p;
}

export function reviewCommentReplyPayload(body: string, login: string, inReplyTo: number, headSha = HEAD_SHA): any {
  const p = retarget(example("pull_request_review_comment", (e) => e.action === "created"));
  Object.assign(p.pull_request, prFields({ headSha }));
  p.comment.id = 6001;
  p.comment.body = body;
  p.comment.in_reply_to_id = inReplyTo;
  p.comment.user = { login, id: 2003, type: "User" };
  return p;
}

export function reviewPayload(login: string, state: string, commitId = HEAD_SHA): any {
  const p = retarget(example("pull_request_review", (e) => e.action === "submitted"));
  Object.assign(p.pull_request, prFields());
  p.review.state = state.toLowerCase();
  p.review.commit_id = commitId;
  p.review.user = { login, id: 3003, type: "User" };
  return p;
}

export function requestedActionPayload(login: string): any {
  const p = retarget(example("check_run", (e) => e.action === "requested_action"));
  p.requested_action = { identifier: "approve" };
  p.check_run.head_sha = HEAD_SHA;
  p.check_run.pull_requests = [{ number: PR_NUMBER, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA } }];
  p.sender = { login, id: 4004, type: "User" };
  return p;
}

/** The pull request as `GET /repos/{owner}/{repo}/pulls/{n}` returns it. */
export function pullResponse(fields: { headSha?: string; baseSha?: string; author?: string } = {}): any {
  return prFields(fields);
}
