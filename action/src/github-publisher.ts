/**
 * The Action's publisher: the same src/github code the App uses, over @octokit/core with
 * retries and rate-limit handling. It posts as `github-actions[bot]` and adopts the App's
 * comment (same marker), so moving between the App and the Action never leaves two. On
 * `issue_comment` and `pull_request_review` events it also runs the comment's commands
 * (`/shipshape approve`, …) and re-evaluates approvals against the fresh analysis.
 */
import { explainRule } from "../../src/analysis/explain.js";
import { silentLogger, type Logger } from "../../src/core/ports.js";
import type { GitHubApi, PullRequestRef } from "../../src/github/api.js";
import { handleCommandComment, type CommandComment } from "../../src/github/commands/handle.js";
import { createDirectory } from "../../src/github/directory.js";
import { ACTIONS_BOT, type Identity } from "../../src/github/identity.js";
import { publishAnalysis, type PublishRequest } from "../../src/github/publish.js";
import { scrubbingApi } from "../../src/app/github-api.js";
import { createOctokitApi } from "./octokit.js";
import type { ActionPublishContext, ActionPublisher } from "./publisher.js";

/** The App's default login: its comment is adopted, its state is not trusted. */
const APP_LOGIN = "shipshape[bot]";

export function createGitHubPublisher(options: { api?: (ctx: ActionPublishContext) => GitHubApi; logger?: Logger; now?: () => Date } = {}): ActionPublisher {
  return async (ctx) => {
    const client = options.api?.(ctx) ?? createOctokitApi(ctx.apiUrl, ctx.token);
    // Every comment, check run, annotation and reply goes through the run's secret set.
    const api = ctx.secrets ? scrubbingApi(client, ctx.secrets) : client;
    const logger = options.logger ?? silentLogger;
    const now = (options.now?.() ?? new Date()).toISOString();
    const pr: PullRequestRef = {
      owner: ctx.owner,
      repo: ctx.repo,
      number: ctx.pullNumber,
      headSha: ctx.headSha,
      baseSha: ctx.baseSha,
      author: ctx.author ?? "",
      htmlUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/pull/${ctx.pullNumber}`,
    };
    const self: Identity = { login: ACTIONS_BOT, slug: "shipshape" };
    const others = [{ login: APP_LOGIN }];
    // One for the whole run: each person's repository role and teams are asked once.
    const dir = createDirectory(api, pr);
    const request: PublishRequest = {
      api,
      pr,
      self,
      others,
      report: ctx.report,
      toolErrors: ctx.toolErrors,
      config: ctx.config,
      failOn: ctx.failOn,
      targets: { checks: ctx.checkRun ? {} : false, comment: ctx.comment },
      logger,
      now,
      approveButton: false,
      dir,
    };
    await publishAnalysis(request);
    const comment = commandComment(ctx);
    if (!comment || !ctx.comment) return;
    // Commands need the state the publish just wrote (approvals bind to this head's items).
    const handled = await handleCommandComment(comment, {
      api,
      pr,
      self,
      others,
      config: ctx.config,
      logger,
      now,
      explain: (rule) => explainRule(rule),
      checks: ctx.checkRun,
      comment: ctx.comment,
      approveButton: false,
      dir,
    });
    // A waiver changes what fails: publish once more so the checks and comment apply it.
    if (handled.some((h) => (h.name === "waive" || h.name === "unwaive") && h.outcome === "done")) await publishAnalysis(request);
  };
}

/** The comment of an `issue_comment` (on a pull request) or a review-comment event. */
function commandComment(ctx: ActionPublishContext): CommandComment | undefined {
  const payload = ctx.payload as { action?: string; comment?: { id: number; body?: string; user?: { login: string; type?: string }; in_reply_to_id?: number } };
  const c = payload.comment;
  if (!c?.body || !c.user || payload.action !== "created") return undefined;
  const kind = ctx.eventName === "pull_request_review_comment" ? "review-comment" : ctx.eventName === "issue_comment" ? "issue-comment" : undefined;
  if (!kind) return undefined;
  return { kind, id: c.id, body: c.body, user: c.user, ...(c.in_reply_to_id ? { inReplyTo: c.in_reply_to_id } : {}) };
}
