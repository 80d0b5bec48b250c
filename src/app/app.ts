/**
 * The Shipshape GitHub App (a Probot app function). Pull request events start a review
 * (check runs in progress at once, then a queued analysis); comments and review replies
 * carry commands; reviews and the Approve button update the approval check. The shared
 * publishing code lives in src/github; this file only wires events to it.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { explainRule } from "../analysis/explain.js";
import { pullRequestRef, type GitHubApi, type PullRequestRef, type RepoRef } from "../github/api.js";
import { approveRefusal, currentHashes } from "../github/approvals.js";
import { APPROVE_ACTION } from "../github/checks.js";
import { ConfigError } from "../config/errors.js";
import type { ShipshapeConfig } from "../config/types.js";
import { handleCommandComment } from "../github/commands/handle.js";
import { parseComment } from "../github/commands/parse.js";
import { createDirectory } from "../github/directory.js";
import { escapeMarkdown } from "../present/markdown/escape.js";
import { ACTIONS_BOT, appIdentity, type Identity } from "../github/identity.js";
import { refreshApprovals } from "../github/publish.js";
import { loadSticky } from "../github/sticky-comment.js";
import { readAppConfig } from "./config.js";
import { readAppEnvironment, type AppEnvironment } from "./environment.js";
import { toGitHubApi } from "./github-api.js";
import { fromPino } from "./logger.js";
import type { Logger } from "../core/ports.js";
import { SecretSet } from "../core/secrets/secret-set.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { QueueFullError } from "./queue.js";
import { createReviewQueue } from "./queue/index.js";
import { pullRequestKey, type ReviewJobData, type ReviewQueue } from "./queue/port.js";
import { QUEUE_DEFAULTS, SettingError, type QueueSettings } from "./queue/settings.js";
import { isTransient } from "./queue/transient.js";
import { failChecks, startChecks, type CheckIds } from "./review-job.js";
import { createReviewRunner } from "./review-runner.js";
import { operationsHandler } from "./operations.js";

export interface ShipshapeAppOptions {
  env?: AppEnvironment;
  metrics?: Metrics;
}

export type ShipshapeApp = ApplicationFunction & {
  /** Resolves when no review is queued or running (tests). */
  idle(): Promise<void>;
  /** Graceful shutdown: no new jobs; running ones finish within the grace period or are handed back. */
  close(graceMs?: number): Promise<void>;
  /** The queue, once Probot has loaded the app. */
  queue(): ReviewQueue | undefined;
  metrics: Metrics;
  settings: QueueSettings;
};

const PR_ACTIONS = ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"] as const;

export function createShipshapeApp(options: ShipshapeAppOptions = {}): ShipshapeApp {
  const env = options.env ?? readAppEnvironment();
  const metrics = options.metrics ?? createMetrics();
  const self: Identity = appIdentity(env.slug, env.stateKey);
  const others = [{ login: ACTIONS_BOT }];
  // The operator's own secrets (PRIVATE_KEY, WEBHOOK_SECRET…): scrubbed from every request and log line.
  const secrets = SecretSet.ofCredentials(env.operatorSecrets ?? []);
  const settings: QueueSettings = env.queue ?? { role: "all", ...QUEUE_DEFAULTS };
  // Checked here, before Probot starts: a web with nobody to hand reviews to, or a worker with nothing to take.
  if (settings.role !== "all" && !settings.redisUrl) throw new SettingError("SHIPSHAPE_ROLE", settings.role, "`all` (the default) unless REDIS_URL is set");
  let queue: ReviewQueue | undefined;

  const appFn: ApplicationFunction = (app: Probot, appOptions) => {
    const log = fromPino(app.log, secrets);
    const runner = createReviewRunner({ app, env, metrics, secrets, self });
    queue = createReviewQueue({ settings, runner, concurrency: env.concurrency, limit: env.queueLimit, metrics, log });
    const reviews = queue;
    try {
      appOptions?.addHandler?.(operationsHandler(metrics, { role: settings.role, queue: reviews }));
    } catch {
      // Loaded without Probot's HTTP server (tests, serverless adapters): no /healthz or /metrics here.
    }
    // A worker takes its jobs from Redis: no webhook reaches it (server.ts serves it no route).
    if (settings.role === "worker") return;
    app.onAny(async (context) => {
      metrics.webhooks.inc({ event: context.name });
    });

    /**
     * Check runs at once, then the review in the queue; a newer event for the PR replaces it.
     * The job holds references only; what this event already has (its installation's client,
     * the config read for the draft check) is handed along to an in-process run.
     */
    const schedule = async (context: Context, api: GitHubApi, pr: PullRequestRef, config?: ShipshapeConfig): Promise<void> => {
      const logger = fromPino(context.log, secrets);
      // GitHub redelivers; with Redis, a delivery is reviewed once whichever web replica gets it.
      const delivery = `${context.id}/${pullRequestKey(pr)}`;
      if (!(await reviews.firstDelivery(delivery))) {
        logger.info("delivery already queued", { pr: pr.number, delivery: context.id });
        return;
      }
      try {
        await enqueue(context, api, pr, logger, config);
      } catch (err) {
        // Not queued: a redelivery of this event (from the App's settings) must be taken again.
        await reviews.forgetDelivery(delivery);
        throw err;
      }
    };

    const enqueue = async (context: Context, api: GitHubApi, pr: PullRequestRef, logger: Logger, config?: ShipshapeConfig): Promise<void> => {
      let checks: CheckIds | undefined;
      try {
        checks = await startChecks(api, pr);
      } catch (err) {
        // A shared queue's worker starts them itself (with retries) when GitHub answers again.
        if (reviews.engine !== "redis" || !isTransient(err)) throw err;
        logger.warn("check runs not started; the worker will start them", { pr: pr.number, error: (err as Error)?.message });
      }
      const payload = context.payload as { installation?: { id?: number }; action?: string };
      const job: ReviewJobData = {
        v: 1,
        installationId: Number(payload.installation?.id ?? 0),
        pr,
        event: payload.action ? `${context.name}.${payload.action}` : context.name,
        deliveryId: context.id,
        ...(checks ? { checks } : {}),
      };
      // A config already read for this event (the draft check) is not fetched again.
      const readConfig = config ? () => Promise.resolve(config) : () => readAppConfig(context, env.cpus);
      try {
        await reviews.enqueue(job, { api, logger, readConfig });
      } catch (err) {
        if (!checks) throw err;
        if (err instanceof QueueFullError) {
          logger.warn("review queue full", { pr: pr.number, limit: err.limit });
          await failChecks(api, pr, checks, "Shipshape is busy", `${err.message}.`, "neutral");
          return;
        }
        // Redis is unreachable: the checks say so instead of staying in progress, and GitHub
        // records the delivery as failed (it can be redelivered from the App's settings).
        logger.warn("review not queued", { pr: pr.number, error: (err as Error)?.message });
        await failChecks(api, pr, checks, "Shipshape could not queue this review", "Shipshape's queue is unavailable. Comment `/shipshape recheck` to try again.", "neutral");
        throw err;
      }
    };

    const reviewPullRequest = async (context: Context<(typeof PR_ACTIONS)[number] | "pull_request.edited">): Promise<void> => {
      const payload = context.payload;
      const api = toGitHubApi(context.octokit, metrics, secrets);
      const pr = pullRequestRef(context.repo(), payload.pull_request);
      if (!payload.pull_request.draft) return schedule(context, api, pr);
      const config = await readAppConfig(context, env.cpus).catch(() => undefined);
      if (!config?.github.drafts) {
        context.log.info({ pr: pr.number }, "draft pull request skipped (github.drafts is off)");
        return;
      }
      await schedule(context, api, pr, config);
    };

    app.on([...PR_ACTIONS], reviewPullRequest);

    // A new base is a new diff: the review (and its approval check on the shared head commit)
    // must be redone against it, as for a push. Title and body edits change nothing reviewed.
    app.on("pull_request.edited", async (context) => {
      if (!context.payload.changes?.base || context.payload.pull_request.state !== "open") return;
      await reviewPullRequest(context);
    });

    app.on(["check_run.rerequested", "check_suite.rerequested"], async (context) => {
      const api = toGitHubApi(context.octokit, metrics, secrets);
      const prs = "check_run" in context.payload ? context.payload.check_run.pull_requests : context.payload.check_suite.pull_requests;
      for (const p of prs) await schedule(context, api, await fetchPullRequest(api, context.repo(), p.number));
    });

    app.on(["issue_comment.created", "pull_request_review_comment.created"], async (context) => {
      const api = toGitHubApi(context.octokit, metrics, secrets);
      const repo = context.repo();
      const isReview = context.name === "pull_request_review_comment";
      const payload = context.payload as any;
      if (!isReview && !payload.issue.pull_request) return;
      const c = payload.comment;
      // Most comments carry no command: answer those without a single API call.
      if (!c.body || c.user?.type === "Bot") return;
      // Parsed once, here, on the event loop: the handler reuses the result.
      const parsed = parseComment(c.body, { appSlug: self.slug });
      if (parsed.results.length === 0) return;
      const pr = isReview ? pullRequestRef(repo, payload.pull_request) : await fetchPullRequest(api, repo, payload.issue.number);
      let config: ShipshapeConfig;
      try {
        config = await readAppConfig(context, env.cpus);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        // Who may approve or waive is in the config: without it no command can be judged.
        await api.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          ...repo,
          issue_number: pr.number,
          body: `@${c.user.login} Shipshape cannot run commands until its config is fixed: ${escapeMarkdown(err.message)}`,
        });
        return;
      }
      await handleCommandComment(
        { kind: isReview ? "review-comment" : "issue-comment", id: c.id, body: c.body, user: c.user, parsed, ...(c.in_reply_to_id ? { inReplyTo: c.in_reply_to_id } : {}) },
        {
          api,
          pr,
          self,
          others,
          config,
          logger: fromPino(context.log, secrets),
          now: env.now().toISOString(),
          recheck: () => schedule(context, api, pr),
          explain: (rule) => explainRule(rule),
          checks: true,
          comment: true,
        },
      );
    });

    app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], async (context) => {
      const api = toGitHubApi(context.octokit, metrics, secrets);
      const pr = pullRequestRef(context.repo(), context.payload.pull_request as any);
      const config = await readAppConfig(context, env.cpus).catch(() => undefined);
      if (!config) return;
      await refreshApprovals({ api, pr, self, others, logger: fromPino(context.log, secrets), now: env.now().toISOString(), config, checks: true, comment: true });
    });

    app.on("check_run.requested_action", async (context) => {
      if (context.payload.requested_action?.identifier !== APPROVE_ACTION) return;
      const api = toGitHubApi(context.octokit, metrics, secrets);
      const first = context.payload.check_run.pull_requests[0];
      if (!first) return;
      const pr = await fetchPullRequest(api, context.repo(), first.number);
      const user = context.payload.sender.login;
      const config = await readAppConfig(context, env.cpus).catch(() => undefined);
      if (!config) return;
      // The button belongs to one commit's check run, and GitHub keeps showing it there: a click
      // on an older commit's run approves what that commit showed, never what a push added since.
      const clicked = String(context.payload.check_run.head_sha ?? "");
      const sticky = await loadSticky(api, pr, self, others);
      const state = sticky.state?.headSha === pr.headSha ? sticky.state : undefined;
      // One directory for the check and the refresh: the sender's role is asked once.
      const dir = createDirectory(api, pr);
      const refusal =
        clicked !== pr.headSha
          ? staleButton(clicked, pr.headSha)
          : state
            ? await approveRefusal(user, state, { dir, pr })
            : "Shipshape is still reviewing the latest commit";
      if (refusal) {
        // The button cannot answer by itself: say why on the pull request.
        await api.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: pr.owner, repo: pr.repo, issue_number: pr.number, body: `@${user} your approval was not recorded: ${refusal}.` });
        return;
      }
      const now = env.now().toISOString();
      await refreshApprovals({ api, pr, self, others, logger: fromPino(context.log, secrets), now, config, checks: true, comment: true, dir }, (s) => ({
        ...s,
        approvals: [...s.approvals, { user, itemHashes: currentHashes(s), via: "button", at: now }],
      }));
    });
  };

  return Object.assign(appFn, {
    idle: () => queue?.idle() ?? Promise.resolve(),
    close: (graceMs = settings.shutdownGraceMs) => queue?.close(graceMs) ?? Promise.resolve(),
    queue: () => queue,
    metrics,
    settings,
  });
}

/** Why a click on the Approve button of another commit's check run is not recorded. */
function staleButton(clicked: string, head: string): string {
  const short = (sha: string) => escapeMarkdown(sha.slice(0, 12) || "an unknown commit");
  return `you clicked Approve on the check run of ${short(clicked)}, but the pull request's head is now ${short(head)}, which may change what needs approval; review the latest changes and approve on the newest \`Shipshape / approval\` check (or comment \`/shipshape approve\`)`;
}

async function fetchPullRequest(api: GitHubApi, repo: RepoRef, number: number): Promise<PullRequestRef> {
  const { data } = await api.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { ...repo, pull_number: number });
  return pullRequestRef(repo, data);
}


/**
 * The app function for `probot run` and other tooling (package.json exports["./app"]). The
 * environment is read when Probot loads the app, not when this module is imported.
 */
const shipshapeApp: ApplicationFunction = (app, options) => createShipshapeApp()(app, options);
export default shipshapeApp;
