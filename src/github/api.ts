/**
 * The slice of Octokit the publishing code uses: `request` and `graphql`. Probot's octokit
 * (the App) and @octokit/rest (the Action) both provide it, so one implementation of the
 * publishing code serves both, and tests can drive it through nock.
 */
export interface GitHubResponse<T = any> {
  status: number;
  data: T;
  headers: Record<string, unknown>;
}

export interface GitHubApi {
  request<T = any>(route: string, params?: Record<string, unknown>): Promise<GitHubResponse<T>>;
  graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRequestRef extends RepoRef {
  number: number;
  headSha: string;
  baseSha: string;
  /** Login of the pull request's author. */
  author: string;
  htmlUrl: string;
}

/** The HTTP status of an Octokit RequestError, without depending on its class. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** Reading a pull-request payload (webhook or `GET /pulls/{n}`) into the fields Shipshape uses. */
export function pullRequestRef(repo: RepoRef, pr: { number: number; head: { sha: string }; base: { sha: string }; user: { login: string } | null; html_url: string }): PullRequestRef {
  return { ...repo, number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, author: pr.user?.login ?? "", htmlUrl: pr.html_url };
}
