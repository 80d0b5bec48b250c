/**
 * Probot's octokit as the publishing code's GitHubApi, counting API errors for /metrics, and
 * the scrubbing wrapper every GitHubApi of the App and the Action goes through: each string
 * parameter of each request (comment bodies, check-run titles, summaries, annotations,
 * replies, GraphQL variables) is scrubbed with the run's secret set, so whatever the
 * publishing code builds, no secret value is sent to GitHub.
 */
import type { GitHubApi } from "../github/api.js";
import { httpStatus } from "../github/api.js";
import type { SecretSet } from "../core/secrets/secret-set.js";
import type { Metrics } from "./metrics.js";

interface OctokitLike {
  request: (route: string, params?: Record<string, unknown>) => Promise<any>;
  graphql: (query: string, variables?: Record<string, unknown>) => Promise<any>;
}

export function toGitHubApi(octokit: OctokitLike, metrics: Metrics, secrets?: SecretSet): GitHubApi {
  const counted = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      metrics.githubApiErrors.inc({ status: String(httpStatus(err) ?? "network") });
      throw err;
    });
  const api: GitHubApi = {
    request: (route, params) => counted(octokit.request(route, params)),
    graphql: (query, variables) => counted(octokit.graphql(query, variables)),
  };
  return secrets ? scrubbingApi(api, secrets) : api;
}

/**
 * Parameters that name things on GitHub rather than carry text: left as they are, so a pull
 * request cannot break a request (or a check's conclusion) by making a secret of a word
 * like "failure" or "success".
 */
const STRUCTURAL_PARAMS: ReadonlySet<string> = new Set([
  "owner",
  "repo",
  "head_sha",
  "commit_id",
  "sha",
  "ref",
  "status",
  "conclusion",
  "event",
  "state",
  "annotation_level",
  "path",
  "identifier",
  "content",
  "side",
  "subject_type",
  "threadId",
]);

/** Fails closed: a request whose parameters cannot be scrubbed is not sent (its promise rejects with a ScrubError). */
export function scrubbingApi(api: GitHubApi, secrets: SecretSet): GitHubApi {
  const clean = async (params: Record<string, unknown> | undefined) => params && secrets.scrubDeep(params, { keep: STRUCTURAL_PARAMS });
  return {
    request: async (route, params) => api.request(route, await clean(params)),
    graphql: async (query, variables) => api.graphql(query, await clean(variables)),
  };
}
