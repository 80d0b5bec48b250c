/**
 * The App under attack: a Probot instance whose webhook secret, private key and installation
 * token are canaries, logging every line (trace level) into memory, against the fake GitHub of
 * test/app/helpers extended with what the corpus needs: collaborator permissions answered the
 * way GitHub answers them (maintain reads as "write", triage as "read", role_name beside it),
 * tarballs of repositories written at test time, and a record of every request body.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import pino from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createShipshapeApp, type ShipshapeApp } from "../../../../src/app/app.js";
import { pullFiles, tarballOf } from "../../../app/helpers/demo-repo.js";
import { FakeGitHub } from "../../../app/helpers/fake-github.js";
import { API, REPO_PATH, testEnvironment } from "../../../app/helpers/github.js";
import { BASE_SHA, HEAD_SHA, INSTALLATION, prFields } from "../../../app/helpers/payloads.js";
import { writeFiles, type FileMap } from "./files.js";
import type { Host } from "./host.js";

/** What GET /repos/{owner}/{repo}/collaborators/{username}/permission answers for a login. */
export type Access = { permission: "admin" | "write" | "read" | "none"; role_name: string } | "not-found";

export const PEOPLE: Record<string, Access> = {
  bob: { permission: "write", role_name: "write" },
  maya: { permission: "write", role_name: "maintain" },
  "alice-author": { permission: "write", role_name: "write" },
  rita: { permission: "read", role_name: "read" },
  tim: { permission: "read", role_name: "triage" },
  // Anyone may comment on a public repository; GitHub reports read access for them.
  mallory: { permission: "read", role_name: "read" },
  nadia: { permission: "none", role_name: "" },
  ghost: "not-found",
};

let instances = 0;

export class CorpusGitHub extends FakeGitHub {
  access = new Map<string, Access>(Object.entries(PEOPLE));
  /** Set: every team-membership lookup answers this status (GitHub failing). */
  teamLookupStatus?: number;
  /**
   * A second open pull request of the repository (the fake's own is #7), answered just enough
   * for a review of it to publish: itself, empty lists, and writes accepted. Check runs are
   * the fake's, shared per commit as on GitHub.
   */
  otherPull?: { number: number; headSha: string; baseSha: string };

  constructor() {
    super();
    // Ids of comments and check runs restored from an earlier review (another instance) must
    // not collide with new ones: each instance numbers from a range of its own.
    (this as unknown as { nextId: number }).nextId = 100_000 + 10_000 * instances++;
  }

  /** The second pull request shares its head commit's listing with the fake's own, as on GitHub. */
  override pullsOfCommit(sha: string): unknown[] {
    const other = this.otherPull;
    const extra = other && other.headSha === sha ? [{ ...prFields({ headSha: other.headSha, baseSha: other.baseSha }), number: other.number }] : [];
    return [...super.pullsOfCommit(sha), ...extra];
  }

  override install(): void {
    // Registered before the fake's catch-all, so it answers first.
    nock(API)
      .persist()
      // Octokit may append the route's unused parameters as a query string.
      .get(/^\/repos\/[^/]+\/[^/]+\/collaborators\/[^/]+\/permission(\?.*)?$/)
      .reply((uri) => {
        const login = decodeURIComponent(new URL(uri, API).pathname.split("/").at(-2)!).toLowerCase();
        this.requests.push({ method: "GET", path: uri, body: undefined });
        const a = this.access.get(login) ?? "not-found";
        return a === "not-found" ? [404, { message: "Not Found" }] : [200, { ...a, user: { login, type: "User" } }];
      })
      .get(/^\/orgs\/[^/]+\/teams\/[^/]+\/memberships\/[^/]+(\?.*)?$/)
      .reply((uri) => {
        this.requests.push({ method: "GET", path: uri, body: undefined });
        if (this.teamLookupStatus !== undefined) return [this.teamLookupStatus, { message: "Server Error" }];
        const [, , org, , team, , user] = new URL(uri, API).pathname.split("/");
        return this.teams.get(`${org}/${team}`)?.has(decodeURIComponent(user!)) ? [200, { state: "active", role: "member" }] : [404, { message: "Not Found" }];
      });
    const other = this.otherPull;
    if (other) {
      const prefix = new RegExp(`^${REPO_PATH}/(pulls|issues)/${other.number}(/[a-z_]+)?(\\?.*)?$`);
      const record = (method: string) => (uri: string, body: unknown): [number, unknown] => {
        this.requests.push({ method, path: uri, body: parsedBody(body) });
        const rest = prefix.exec(uri)?.[2];
        if (method === "GET" && rest === undefined) return [200, { ...prFields({ headSha: other.headSha, baseSha: other.baseSha }), number: other.number }];
        return method === "GET" ? [200, []] : [201, { id: 900_000 + this.requests.length }];
      };
      nock(API).persist().get(prefix).reply(record("GET")).post(prefix).reply(record("POST")).patch(prefix).reply(record("PATCH"));
    }
    super.install();
  }
}

export interface CorpusApp {
  app: ShipshapeApp;
  logs: string[];
  receive(name: string, payload: unknown): Promise<void>;
  /** The private key the App signs with: a leak of it is a leak of the App's identity. */
  privateKey: string;
}

let key: string | undefined;
function appKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return key;
}

export async function startCorpusApp(host: Host): Promise<CorpusApp> {
  nock.disableNetConnect();
  nock.enableNetConnect((h) => h.startsWith("127.0.0.1"));
  const logs: string[] = [];
  const log = pino({ level: "trace" }, { write: (line: string) => void logs.push(line) });
  const probot = new Probot({
    appId: 1,
    privateKey: appKey(),
    secret: host.envCanaries.WEBHOOK_SECRET!,
    log,
    Octokit: ProbotOctokit.defaults((o: any) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  const app = createShipshapeApp({ env: testEnvironment({ tmpDir: tmpdir() }) });
  await probot.load(app);
  nock(API).post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, { token: host.envCanaries.GITHUB_TOKEN, expires_at: "2099-01-01T00:00:00Z", permissions: {} }).persist();
  return {
    app,
    logs,
    privateKey: appKey(),
    receive: (name, payload) => probot.receive({ id: `evt-${Math.random()}`, name: name as any, payload: payload as any }),
  };
}

export function stopCorpusApp(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** A pull request over two file maps: tarballs for base and head, and its file list with patches. */
export async function pullRequestOf(base: FileMap, head: FileMap, extra: [string, FileMap][] = []): Promise<{ tarballs: Map<string, Buffer>; files: FakeGitHub["files"] }> {
  const work = await mkdtemp(join(tmpdir(), "corpus-pr-"));
  const dirs: [string, string][] = [];
  for (const [sha, files] of [[BASE_SHA, base], [HEAD_SHA, head], ...extra] as [string, FileMap][]) {
    const dir = join(work, sha);
    // GitHub's tarball of an empty tree still has its folder; node-tar needs one entry.
    await writeFiles(dir, { "README.md": "corpus\n", ...files });
    dirs.push([sha, dir]);
  }
  try {
    const tarballs = new Map<string, Buffer>();
    for (const [sha, dir] of dirs) tarballs.set(sha, await tarballOf(dir, sha));
    return { tarballs, files: await pullFiles(dirs[0]![1], dirs[1]![1]) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function parsedBody(body: unknown): unknown {
  if (typeof body !== "string" || body === "") return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
