/**
 * Which two commits to compare. `base-ref`/`head-ref` win; otherwise a pull request event's
 * payload names them (`pull_request.base.sha`, `pull_request.head.sha`). actions/checkout
 * fetches one commit by default, so a commit missing from the checkout is fetched by SHA
 * (bounded in time); when that fails too, the error says to set `fetch-depth: 0`.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { SourceSpec } from "../../src/analysis/sources.js";
import { SourceError } from "../../src/repo/errors.js";
import type { ActionInputs } from "./inputs.js";
import { httpStatus } from "../../src/github/api.js";
import { createOctokitApi } from "./octokit.js";

export type EventPayload = Readonly<Record<string, unknown>>;

/** Events whose payload is about one pull request. */
export const PULL_REQUEST_EVENTS: readonly string[] = [
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "issue_comment",
];

export interface PullRequestRef {
  number: number;
  /** Absent for `issue_comment`: its payload carries the issue, not the commits. */
  baseSha?: string;
  headSha?: string;
  author?: string;
}

export interface CommitPair {
  base: string;
  head: string;
}

export type RefsResult = { ok: true; refs: CommitPair } | { ok: false; error: string };

export const FETCH_TIMEOUT_MS = 60_000;
const LOCAL_TIMEOUT_MS = 15_000;

/** The payload at GITHUB_EVENT_PATH; empty when there is none (a local run). */
export async function readEventPayload(path: string | undefined): Promise<EventPayload> {
  if (!path) return {};
  const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
  return isRecord(parsed) ? parsed : {};
}

/** The pull request an event is about, or undefined (a push, or a comment on a plain issue). */
export function pullRequestFromEvent(eventName: string | undefined, payload: EventPayload): PullRequestRef | undefined {
  if (!eventName || !PULL_REQUEST_EVENTS.includes(eventName)) return undefined;
  if (eventName === "issue_comment") {
    const issue = payload.issue;
    if (!isRecord(issue) || !isRecord(issue.pull_request) || typeof issue.number !== "number") return undefined;
    return withoutUndefined({ number: issue.number, author: login(issue.user) });
  }
  const pr = payload.pull_request;
  if (!isRecord(pr)) return undefined;
  const number = typeof pr.number === "number" ? pr.number : typeof payload.number === "number" ? payload.number : undefined;
  if (number === undefined) return undefined;
  return withoutUndefined({ number, baseSha: sha(pr.base), headSha: sha(pr.head), author: login(pr.user) });
}

/**
 * Inputs first, then the pull request. Outside a pull request the head defaults to the
 * commit the workflow runs on, and the base must be given.
 */
export function chooseRefs(inputs: Pick<ActionInputs, "baseRef" | "headRef">, pr: PullRequestRef | undefined, workflowSha: string | undefined): RefsResult {
  const base = inputs.baseRef ?? pr?.baseSha;
  const head = inputs.headRef ?? pr?.headSha ?? (pr ? undefined : (workflowSha ?? "HEAD"));
  if (!base) {
    return { ok: false, error: pr ? "input base-ref: the event payload names no base commit; set base-ref" : "input base-ref is required outside pull request events (e.g. base-ref: ${{ github.event.before }})" };
  }
  if (!head) return { ok: false, error: "input head-ref: the event payload names no head commit; set head-ref" };
  return { ok: true, refs: { base, head } };
}

/**
 * Both sides as git revisions, said explicitly: the Action never takes a side from a
 * directory, so a folder the pull request adds (`origin/main/`) cannot stand in for a
 * commit. `repo` is the absolute path of the checkout.
 */
export function gitSources(repo: string, refs: CommitPair): { base: SourceSpec; head: SourceSpec } {
  return { base: { kind: "git", repo, rev: refs.base }, head: { kind: "git", repo, rev: refs.head } };
}

export interface PullRequestLookupRequest {
  apiUrl: string;
  token: string;
  /** owner/name */
  repository: string;
  number: number;
}

/** Reads a pull request's commits from the REST API: `issue_comment` payloads lack them. */
export type PullRequestLookup = (request: PullRequestLookupRequest) => Promise<Required<Pick<PullRequestRef, "baseSha" | "headSha">> & Pick<PullRequestRef, "author">>;

export const fetchPullRequest: PullRequestLookup = async ({ apiUrl, token, repository, number }) => {
  const [owner = "", repo = ""] = repository.split("/");
  let body: unknown;
  try {
    body = (await createOctokitApi(apiUrl, token).request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: number })).data;
  } catch (err) {
    throw new SourceError(`cannot read pull request #${number} of ${repository} to find its commits (HTTP ${httpStatus(err) ?? "error"}); set base-ref and head-ref`);
  }
  const pr = isRecord(body) ? body : {};
  const baseSha = sha(pr.base);
  const headSha = sha(pr.head);
  if (!baseSha || !headSha) throw new SourceError(`pull request #${number} of ${repository}: the API response names no base or head commit`);
  return withoutUndefined({ baseSha, headSha, author: login(pr.user) });
};

export interface GitResult {
  code: number;
  stdout: string;
}

export type GitRunner = (args: readonly string[], options: { cwd: string; timeoutMs: number }) => Promise<GitResult>;

/**
 * git inherits the step's environment on purpose: actions/checkout leaves the credentials
 * for `git fetch` in the repository's config, and `safe.directory` in the global one.
 */
export const runGit: GitRunner = (args, { cwd, timeoutMs }) =>
  new Promise((resolvePromise) => {
    execFile("git", ["-C", cwd, ...args], { timeout: timeoutMs, maxBuffer: 1024 * 1024, encoding: "utf8" }, (err, stdout) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolvePromise({ code, stdout });
    });
  });

/**
 * Makes sure `ref` names a commit in the repository at `repo`, fetching it from `origin` when
 * the checkout lacks it. Returns the revision to read: `ref` itself, or the fetched commit's
 * SHA when `ref` was a name git only knows as FETCH_HEAD.
 */
export async function ensureCommit(repo: string, ref: string, side: "base" | "head", git: GitRunner = runGit): Promise<string> {
  const local = { cwd: repo, timeoutMs: LOCAL_TIMEOUT_MS };
  if ((await git(["cat-file", "-e", `${ref}^{commit}`], local)).code === 0) return ref;
  const fetched = await git(["fetch", "--no-tags", "--depth=1", "origin", ref], { cwd: repo, timeoutMs: FETCH_TIMEOUT_MS });
  // Checked even when the fetch failed: another step's fetch may have brought it meanwhile.
  if ((await git(["cat-file", "-e", `${ref}^{commit}`], local)).code === 0) return ref;
  if (fetched.code === 0) {
    const head = await git(["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"], local);
    if (head.code === 0 && head.stdout.trim()) return head.stdout.trim();
  }
  throw new SourceError(
    `the ${side} commit ${ref} is not in the checkout at ${repo} and could not be fetched from origin; ` +
      "set `fetch-depth: 0` on actions/checkout (or check out the repository before this step)",
  );
}

function sha(side: unknown): string | undefined {
  return isRecord(side) && typeof side.sha === "string" && side.sha ? side.sha : undefined;
}

function login(user: unknown): string | undefined {
  return isRecord(user) && typeof user.login === "string" ? user.login : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
