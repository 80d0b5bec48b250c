/**
 * An in-memory GitHub for one repository and one pull request, served through nock: every
 * request the App makes goes through it, is recorded, and a request it does not know is
 * recorded as unexpected (and answered 599 so the test fails loudly). Tests assert on the
 * resulting state — comments, check runs, reviews — and on the recorded calls.
 */
import nock from "nock";
import { API, REPO_PATH } from "./github.js";
import { AUTHOR, BASE_SHA, HEAD_SHA, OWNER, PR_NUMBER, prFields } from "./payloads.js";

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}

export interface FakeReviewComment extends FakeComment {
  path?: string;
  line?: number;
  in_reply_to_id?: number;
  commit_id?: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] };
  annotations: any[];
  actions?: unknown[];
  updates: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
}

export const BOT = { login: "shipshape[bot]", type: "Bot" };

export class FakeGitHub {
  comments: FakeComment[] = [];
  reviewComments: FakeReviewComment[] = [];
  reviews: { id: number; user: { login: string }; state: string; commit_id: string; submitted_at: string; body?: string; comments?: unknown[] }[] = [];
  checkRuns: FakeCheckRun[] = [];
  requests: RecordedRequest[] = [];
  unexpected: string[] = [];
  reactions: { commentId: number; content: string; kind: string }[] = [];
  requestedReviewers: { reviewers?: string[]; team_reviewers?: string[] }[] = [];
  graphql: any[] = [];
  pull = { headSha: HEAD_SHA, baseSha: BASE_SHA, author: AUTHOR };
  /** `.github/shipshape.yml` on the default branch; undefined: no file. */
  config?: string;
  /** The organisation-wide file in `<owner>/.github`, for `_extends`. */
  orgConfig?: string;
  tarballs = new Map<string, Buffer>();
  tarballStatus?: number;
  files: { filename: string; status: string; patch?: string }[] = [];
  teams = new Map<string, Set<string>>();
  permissions = new Map<string, string>();
  /** Who the token posts as: the App's bot, or `github-actions[bot]` for the Action. */
  actor: { login: string; type: string } = BOT;
  private nextId = 100;

  install(): void {
    const scope = nock(API).persist();
    for (const method of ["get", "post", "patch", "delete", "put"] as const) {
      scope[method](/.*/).reply((uri, body) => this.handle(method.toUpperCase(), uri, body));
    }
  }

  byPath(method: string, pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  check(name: string, sha = this.pull.headSha): FakeCheckRun | undefined {
    return [...this.checkRuns].reverse().find((c) => c.name === name && c.head_sha === sha);
  }

  addComment(body: string, user: { login: string; type: string } = this.actor): FakeComment {
    const c = { id: this.nextId++, body, user, html_url: `https://github.com/${OWNER}/demo/pull/${PR_NUMBER}#issuecomment-${this.nextId}` };
    this.comments.push(c);
    return c;
  }

  /**
   * `GET /repos/{owner}/{repo}/commits/{sha}/pulls`: the open pull requests whose branch holds the
   * commit. Here: this fake's pull request, when the commit is its head.
   */
  pullsOfCommit(sha: string): unknown[] {
    const p = this.pull;
    return sha === p.headSha ? [prFields({ headSha: p.headSha, baseSha: p.baseSha, author: p.author })] : [];
  }

  private handle(method: string, uri: string, rawBody: unknown): [number, any, Record<string, string>?] {
    const body: any = typeof rawBody === "string" && rawBody ? safeJson(rawBody) : rawBody;
    const url = new URL(uri, API);
    const path = url.pathname;
    this.requests.push({ method, path: path + url.search, body });
    const page = Number(url.searchParams.get("page") ?? "1");
    const paged = <T>(items: T[]): [number, T[]] => [200, page === 1 ? items : []];
    const pr = `${REPO_PATH}/pulls/${PR_NUMBER}`;
    const route = `${method} ${path}`;
    let m: RegExpExecArray | null;

    if (route === `GET ${REPO_PATH}/contents/.github%2Fshipshape.yml` || route === `GET ${REPO_PATH}/contents/.github/shipshape.yml`) {
      return this.config === undefined ? [404, { message: "Not Found" }] : [200, this.config, { "content-type": "text/plain; charset=utf-8" }];
    }
    if (route === `GET /repos/${OWNER}/.github/contents/.github%2Fshipshape.yml` || route === `GET /repos/${OWNER}/.github/contents/.github/shipshape.yml`) {
      return this.orgConfig === undefined ? [404, { message: "Not Found" }] : [200, this.orgConfig, { "content-type": "text/plain; charset=utf-8" }];
    }
    if ((m = new RegExp(`^GET ${REPO_PATH}/tarball/([0-9a-f]{40})$`).exec(route))) {
      if (this.tarballStatus) return [this.tarballStatus, { message: "Server Error" }];
      const tar = this.tarballs.get(m[1]!);
      return tar ? [200, tar, { "content-type": "application/x-gzip" }] : [404, { message: "Not Found" }];
    }
    if (route === `GET ${pr}`) return [200, prFields({ headSha: this.pull.headSha, baseSha: this.pull.baseSha, author: this.pull.author })];
    if (route === `POST ${REPO_PATH}/check-runs`) {
      const run: FakeCheckRun = { id: this.nextId++, name: body.name, head_sha: body.head_sha, status: body.status ?? "queued", output: body.output, annotations: [...(body.output?.annotations ?? [])], updates: 0 };
      if (body.conclusion) Object.assign(run, { status: "completed", conclusion: body.conclusion });
      this.checkRuns.push(run);
      return [201, { id: run.id }];
    }
    if ((m = new RegExp(`^PATCH ${REPO_PATH}/check-runs/(\\d+)$`).exec(route))) {
      const run = this.checkRuns.find((c) => c.id === Number(m![1]));
      if (!run) return [404, { message: "Not Found" }];
      run.updates++;
      if (body.status) run.status = body.status;
      if (body.conclusion) Object.assign(run, { conclusion: body.conclusion, status: "completed" });
      if (body.output) run.output = body.output;
      run.annotations.push(...(body.output?.annotations ?? []));
      if (body.actions) run.actions = body.actions;
      return [200, { id: run.id }];
    }
    if ((m = new RegExp(`^GET ${REPO_PATH}/commits/([0-9a-f]{40})/check-runs$`).exec(route))) {
      const name = url.searchParams.get("check_name");
      const runs = this.checkRuns.filter((c) => c.head_sha === m![1] && (!name || c.name === name)).reverse();
      return [200, { total_count: runs.length, check_runs: runs.map((r) => ({ id: r.id, name: r.name })) }];
    }
    if (route === `GET ${REPO_PATH}/issues/${PR_NUMBER}/comments`) return paged(this.comments);
    if (route === `POST ${REPO_PATH}/issues/${PR_NUMBER}/comments`) {
      return [201, this.addComment(body.body)];
    }
    if ((m = new RegExp(`^PATCH ${REPO_PATH}/issues/comments/(\\d+)$`).exec(route))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return [404, { message: "Not Found" }];
      c.body = body.body;
      return [200, c];
    }
    if ((m = new RegExp(`^DELETE ${REPO_PATH}/issues/comments/(\\d+)$`).exec(route))) {
      this.comments = this.comments.filter((x) => x.id !== Number(m![1]));
      return [204, ""];
    }
    if ((m = new RegExp(`^POST ${REPO_PATH}/(issues|pulls)/comments/(\\d+)/reactions$`).exec(route))) {
      this.reactions.push({ kind: m[1]!, commentId: Number(m[2]), content: body.content });
      return [201, { id: this.nextId++, content: body.content }];
    }
    if ((m = new RegExp(`^GET ${REPO_PATH}/commits/([0-9a-f]{40})/pulls$`).exec(route))) return paged(this.pullsOfCommit(m[1]!));
    if (route === `GET ${pr}/reviews`) return paged(this.reviews);
    if (route === `GET ${pr}/comments`) return paged(this.reviewComments);
    if (route === `GET ${pr}/files`) return paged(this.files);
    if (route === `POST ${pr}/reviews`) {
      const review = { id: this.nextId++, user: { login: this.actor.login }, state: "COMMENTED", commit_id: body.commit_id, submitted_at: "2026-11-23T12:00:00Z", body: body.body, comments: body.comments };
      for (const c of body.comments ?? []) {
        this.reviewComments.push({ id: this.nextId++, body: c.body, user: this.actor, path: c.path, line: c.line, commit_id: body.commit_id, html_url: "" });
      }
      return [200, review];
    }
    if ((m = new RegExp(`^POST ${pr}/comments/(\\d+)/replies$`).exec(route))) {
      const reply = { id: this.nextId++, body: body.body, user: this.actor, in_reply_to_id: Number(m[1]), html_url: "" };
      this.reviewComments.push(reply);
      return [201, reply];
    }
    if ((m = new RegExp(`^GET ${REPO_PATH}/pulls/comments/(\\d+)$`).exec(route))) {
      const c = this.reviewComments.find((x) => x.id === Number(m![1]));
      return c ? [200, c] : [404, { message: "Not Found" }];
    }
    if (route === `POST ${pr}/requested_reviewers`) {
      this.requestedReviewers.push(body);
      return [201, {}];
    }
    if ((m = /^GET \/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(route))) {
      const members = this.teams.get(`${m[1]}/${m[2]}`);
      return members?.has(decodeURIComponent(m[3]!)) ? [200, { state: "active", role: "member" }] : [404, { message: "Not Found" }];
    }
    if ((m = new RegExp(`^GET ${REPO_PATH}/collaborators/([^/]+)/permission$`).exec(route))) {
      const login = decodeURIComponent(m[1]!);
      const role = this.permissions.get(login);
      // "status:502": GitHub failing to answer for this user.
      if (role?.startsWith("status:")) return [Number(role.slice(7)), { message: "Server Error" }];
      return role ? [200, permissionResponse(login, role)] : [404, { message: "Not Found" }];
    }
    if (route === "POST /graphql") {
      this.graphql.push(body);
      if (String(body.query).includes("reviewThreads")) {
        const roots = this.reviewComments.filter((c) => !c.in_reply_to_id);
        return [200, { data: { repository: { pullRequest: { reviewThreads: { nodes: roots.map((c) => ({ id: `T_${c.id}`, isResolved: false, comments: { nodes: [{ databaseId: c.id }] } })) } } } } }];
      }
      return [200, { data: { resolveReviewThread: { thread: { id: body.variables?.threadId, isResolved: true } } } }];
    }
    this.unexpected.push(route);
    return [599, { message: `unexpected request ${route}` }];
  }
}

/**
 * `GET /repos/{owner}/{repo}/collaborators/{username}/permission` as GitHub answers it: the
 * legacy `permission` maps maintain to write and triage to read, `role_name` is the role
 * itself (a custom role's own name), and `user.permissions` says which base role it carries.
 * A custom role is given as "name:base", e.g. "release-manager:maintain".
 */
function permissionResponse(login: string, role: string): unknown {
  const [name, base = name] = role.split(":") as [string, string?];
  const rank = ["read", "triage", "write", "maintain", "admin"].indexOf(base);
  const legacy: Record<string, string> = { read: "read", triage: "read", write: "write", maintain: "write", admin: "admin" };
  return {
    permission: legacy[base] ?? "none",
    role_name: name,
    user: { login, type: "User", permissions: { pull: rank >= 0, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 }, role_name: name },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
