/** Probot's octokit as the publishing code's GitHubApi, counting API errors for /metrics. */
import type { GitHubApi } from "../github/api.js";
import { httpStatus } from "../github/api.js";
import type { Metrics } from "./metrics.js";

interface OctokitLike {
  request: (route: string, params?: Record<string, unknown>) => Promise<any>;
  graphql: (query: string, variables?: Record<string, unknown>) => Promise<any>;
}

export function toGitHubApi(octokit: OctokitLike, metrics: Metrics): GitHubApi {
  const counted = <T>(p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      metrics.githubApiErrors.inc({ status: String(httpStatus(err) ?? "network") });
      throw err;
    });
  return {
    request: (route, params) => counted(octokit.request(route, params)),
    graphql: (query, variables) => counted(octokit.graphql(query, variables)),
  };
}
