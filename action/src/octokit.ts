/**
 * The Action's GitHub client: @octokit/rest with retries and rate-limit handling, seen through
 * the GitHubApi port the publishing code shares with the App (which keeps Probot's client).
 */
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { GitHubApi } from "../../src/github/api.js";

const ShipshapeOctokit = Octokit.plugin(retry, throttling);

/** Tests turn retries and throttling off (the throttler spaces writes a second apart). */
export function createOctokitApi(apiUrl: string, token: string, options: { retry?: boolean; throttle?: boolean } = {}): GitHubApi {
  const octokit = new ShipshapeOctokit({
    auth: token,
    baseUrl: apiUrl,
    userAgent: "shipshape-action",
    retry: { enabled: options.retry ?? true },
    throttle: {
      enabled: options.throttle ?? true,
      // Wait out primary and secondary rate limits twice, then give up (the step reports it).
      onRateLimit: (_after: number, _options: unknown, _o: unknown, retryCount: number) => retryCount < 2,
      onSecondaryRateLimit: (_after: number, _options: unknown, _o: unknown, retryCount: number) => retryCount < 2,
    },
  });
  return { request: (route, params) => octokit.request(route, params) as never, graphql: (query, vars) => octokit.graphql(query, vars) as never };
}
