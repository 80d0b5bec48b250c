// A fake GitHub (Enterprise Server layout: REST under /api/v3, GraphQL at /api/graphql) as a
// real HTTP server on 127.0.0.1, for running the App as separate processes with
// GHE_HOST=127.0.0.1:<port> and GHE_PROTOCOL=http (Probot builds `http://<GHE_HOST>/api/v3`).
// One repository, any number of pull requests; every request is recorded with the process that
// made it, every write changes the in-memory state the tests assert on, and a route it does
// not know is answered 404 and recorded as unexpected. Shared by test/app/multiprocess and the
// scaling bench (scripts/bench/scaling.mjs), so it is plain JavaScript.
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { create } from "tar";

export const BOT = { login: "shipshape[bot]", type: "Bot" };

/**
 * A gzipped tarball of `dir` laid out like GitHub's tarball endpoint: every entry under
 * `<prefix>/`, made by node-tar (a real tar writer).
 */
export async function githubTarball(dir, prefix) {
  const { readdir } = await import("node:fs/promises");
  const names = (await readdir(dir)).sort();
  const chunks = [];
  for await (const chunk of create({ cwd: dir, prefix, portable: true }, names)) chunks.push(chunk);
  return gzipSync(Buffer.concat(chunks));
}

export class FakeGitHubServer {
  /** @param {{ owner?: string, repo?: string, installation?: number, config?: string }} options */
  constructor({ owner = "octo", repo = "demo", installation = 42, config } = {}) {
    this.owner = owner;
    this.repo = repo;
    this.installation = installation;
    /** `.github/shipshape.yml` on the default branch; undefined: 404 (as the org's `.github` repo always is). */
    this.config = config;
    this.pulls = new Map();
    this.tarballs = new Map();
    this.checkRuns = [];
    this.comments = [];
    this.reviews = [];
    this.reviewComments = [];
    this.requests = [];
    this.unexpected = [];
    this.tokens = new Map();
    /** Called with each recorded request before it is answered (the tests kill a worker from here). */
    this.onRequest = undefined;
    /** Milliseconds added before every answer (a slower GitHub). */
    this.latencyMs = 0;
    this.nextId = 1000;
    this.server = undefined;
  }

  /** Listens on a free loopback port; resolves with the GHE_HOST value (`127.0.0.1:<port>`). */
  async start() {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", resolve);
    });
    this.host = `127.0.0.1:${this.server.address().port}`;
    return this.host;
  }

  async stop() {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(() => resolve()));
    this.server = undefined;
  }

  /** Adds (or moves) a pull request; its head's tarball must be registered with `addTarball`. */
  setPull(number, { headSha, baseSha, author = "alice-author", files = [] }) {
    const old = this.pulls.get(number);
    this.pulls.set(number, { number, headSha, baseSha, author, files: files.length ? files : (old?.files ?? []) });
  }

  addTarball(sha, bytes) {
    this.tarballs.set(sha, bytes);
  }

  /** The pull request as the REST API returns it (and as webhook payloads carry it). */
  pullFields(number) {
    const p = this.pulls.get(number);
    const repo = { name: this.repo, owner: { login: this.owner } };
    return {
      number,
      draft: false,
      state: "open",
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${number}`,
      user: { login: p.author, id: 1001, type: "User" },
      head: { ref: `feature-${number}`, sha: p.headSha, repo },
      base: { ref: "main", sha: p.baseSha, repo },
    };
  }

  /** Requests of one method whose path matches. */
  byPath(method, pattern) {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  /** The latest check run of that name on a commit. */
  check(name, sha) {
    return [...this.checkRuns].reverse().find((c) => c.name === name && c.head_sha === sha);
  }

  /** Check runs not completed (queued or in progress). */
  openChecks() {
    return this.checkRuns.filter((c) => c.status !== "completed");
  }

  async serve(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");
    let body = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: kept as text.
    }
    const url = new URL(req.url ?? "/", "http://fake");
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const record = { method: req.method ?? "GET", path: url.pathname + url.search, body, app: this.tokens.get(token) ?? appIdOfJwt(token), at: Date.now() };
    this.requests.push(record);
    let answer;
    try {
      this.onRequest?.(record);
      answer = this.route(record.method, url, body, record);
    } catch (err) {
      answer = [500, { message: String(err?.message ?? err) }];
    }
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const [status, payload, contentType = "application/json; charset=utf-8"] = answer;
    if (res.destroyed) return;
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload ?? ""));
    res.writeHead(status, { "content-type": contentType, "content-length": String(bytes.length) });
    res.end(status === 204 ? undefined : bytes);
  }

  route(method, url, body, record) {
    const path = decodeURIComponent(url.pathname);
    const route = `${method} ${path}`;
    const page = Number(url.searchParams.get("page") ?? "1");
    const paged = (items) => [200, page === 1 ? items : []];
    const repoPath = `/api/v3/repos/${this.owner}/${this.repo}`;
    let m;

    if ((m = /^POST \/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(route))) {
      if (Number(m[1]) !== this.installation) return [404, { message: "Not Found" }];
      // One token per process: the JWT's issuer (the App id each process was started with) says whose.
      const app = record.app;
      const token = `ghs_fake_${app ?? "x"}_${this.nextId++}`;
      this.tokens.set(token, app);
      return [201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: "all" }];
    }
    if (route === `GET ${repoPath}/contents/.github/shipshape.yml`) {
      return this.config === undefined ? [404, { message: "Not Found" }] : [200, this.config, "text/plain; charset=utf-8"];
    }
    if (route === `GET /api/v3/repos/${this.owner}/.github/contents/.github/shipshape.yml`) return [404, { message: "Not Found" }];
    if ((m = new RegExp(`^GET ${repoPath}/tarball/([0-9a-f]{40})$`).exec(route))) {
      const tar = this.tarballs.get(m[1]);
      return tar ? [200, tar, "application/x-gzip"] : [404, { message: "Not Found" }];
    }
    if ((m = new RegExp(`^GET ${repoPath}/pulls/(\\d+)$`).exec(route))) {
      return this.pulls.has(Number(m[1])) ? [200, this.pullFields(Number(m[1]))] : [404, { message: "Not Found" }];
    }
    if (route === `POST ${repoPath}/check-runs`) {
      const run = { id: this.nextId++, name: body.name, head_sha: body.head_sha, status: body.status ?? "queued", output: body.output, updates: [] };
      if (body.conclusion) Object.assign(run, { status: "completed", conclusion: body.conclusion });
      this.checkRuns.push(run);
      return [201, { id: run.id, name: run.name, head_sha: run.head_sha, status: run.status }];
    }
    if ((m = new RegExp(`^PATCH ${repoPath}/check-runs/(\\d+)$`).exec(route))) {
      const run = this.checkRuns.find((c) => c.id === Number(m[1]));
      if (!run) return [404, { message: "Not Found" }];
      run.updates.push(body);
      if (body.status) run.status = body.status;
      if (body.conclusion) Object.assign(run, { conclusion: body.conclusion, status: "completed" });
      if (body.output) run.output = body.output;
      return [200, { id: run.id, status: run.status, conclusion: run.conclusion }];
    }
    if ((m = new RegExp(`^GET ${repoPath}/commits/([0-9a-f]{40})/check-runs$`).exec(route))) {
      const name = url.searchParams.get("check_name");
      const runs = this.checkRuns.filter((c) => c.head_sha === m[1] && (!name || c.name === name)).reverse();
      return [200, { total_count: runs.length, check_runs: runs.map((r) => ({ id: r.id, name: r.name, head_sha: r.head_sha, status: r.status, conclusion: r.conclusion ?? null })) }];
    }
    if ((m = new RegExp(`^GET ${repoPath}/commits/([0-9a-f]{40})/pulls$`).exec(route))) {
      return paged([...this.pulls.values()].filter((p) => p.headSha === m[1]).map((p) => this.pullFields(p.number)));
    }
    if ((m = new RegExp(`^GET ${repoPath}/issues/(\\d+)/comments$`).exec(route))) return paged(this.comments.filter((c) => c.pr === Number(m[1])));
    if ((m = new RegExp(`^POST ${repoPath}/issues/(\\d+)/comments$`).exec(route))) {
      const pr = Number(m[1]);
      const c = { id: this.nextId++, pr, body: body.body, user: BOT, html_url: `https://github.com/${this.owner}/${this.repo}/pull/${pr}#issuecomment-${this.nextId}` };
      this.comments.push(c);
      return [201, c];
    }
    if ((m = new RegExp(`^PATCH ${repoPath}/issues/comments/(\\d+)$`).exec(route))) {
      const c = this.comments.find((x) => x.id === Number(m[1]));
      if (!c) return [404, { message: "Not Found" }];
      c.body = body.body;
      return [200, c];
    }
    if ((m = new RegExp(`^DELETE ${repoPath}/issues/comments/(\\d+)$`).exec(route))) {
      this.comments = this.comments.filter((x) => x.id !== Number(m[1]));
      return [204, ""];
    }
    if ((m = new RegExp(`^POST ${repoPath}/(issues|pulls)/comments/(\\d+)/reactions$`).exec(route))) return [201, { id: this.nextId++, content: body.content }];
    if ((m = new RegExp(`^GET ${repoPath}/pulls/(\\d+)/reviews$`).exec(route))) return paged(this.reviews.filter((r) => r.pr === Number(m[1])));
    if ((m = new RegExp(`^GET ${repoPath}/pulls/(\\d+)/comments$`).exec(route))) return paged(this.reviewComments.filter((c) => c.pr === Number(m[1])));
    if ((m = new RegExp(`^GET ${repoPath}/pulls/(\\d+)/files$`).exec(route))) return paged(this.pulls.get(Number(m[1]))?.files ?? []);
    if ((m = new RegExp(`^POST ${repoPath}/pulls/(\\d+)/reviews$`).exec(route))) {
      const pr = Number(m[1]);
      const review = { id: this.nextId++, pr, user: { login: BOT.login }, state: "COMMENTED", commit_id: body.commit_id, submitted_at: new Date().toISOString(), body: body.body };
      this.reviews.push(review);
      for (const c of body.comments ?? []) {
        this.reviewComments.push({ id: this.nextId++, pr, body: c.body, user: BOT, path: c.path, line: c.line, commit_id: body.commit_id, html_url: "" });
      }
      return [200, review];
    }
    if ((m = new RegExp(`^POST ${repoPath}/pulls/(\\d+)/comments/(\\d+)/replies$`).exec(route))) {
      const reply = { id: this.nextId++, pr: Number(m[1]), body: body.body, user: BOT, in_reply_to_id: Number(m[2]), html_url: "" };
      this.reviewComments.push(reply);
      return [201, reply];
    }
    if ((m = new RegExp(`^POST ${repoPath}/pulls/(\\d+)/requested_reviewers$`).exec(route))) return [201, {}];
    if ((m = new RegExp(`^GET ${repoPath}/collaborators/([^/]+)/permission$`).exec(route))) return [404, { message: "Not Found" }];
    if (/^GET \/api\/v3\/orgs\/[^/]+\/teams\/[^/]+\/memberships\/[^/]+$/.test(route)) return [404, { message: "Not Found" }];
    if (route === "POST /api/graphql") {
      if (String(body?.query).includes("reviewThreads")) {
        return [200, { data: { repository: { pullRequest: { reviewThreads: { nodes: [] } } } } }];
      }
      return [200, { data: { resolveReviewThread: { thread: { id: body?.variables?.threadId, isResolved: true } } } }];
    }
    this.unexpected.push(route);
    return [404, { message: `the fake GitHub does not know ${route}` }];
  }
}

/** The `iss` claim of an App JWT (unverified: the fake only needs to tell processes apart). */
export function appIdOfJwt(token) {
  const parts = String(token ?? "").split(".");
  if (parts.length !== 3) return undefined;
  try {
    const iss = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")).iss;
    return iss === undefined ? undefined : String(iss);
  } catch {
    return undefined;
  }
}
