/**
 * One review of a pull request by the App: config from the default branch, both sides as
 * tarballs, the shared analysis, then — if the pull request's head is still the one analysed —
 * the shared publishing. Any crash completes the check runs as failed with an error id;
 * they are never left in progress.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { analyze } from "../analysis/analyze.js";
import { ConfigError } from "../config/errors.js";
import type { ShipshapeConfig } from "../config/types.js";
import type { Logger } from "../core/ports.js";
import type { GitHubApi, PullRequestRef } from "../github/api.js";
import { CHECK_NAMES, completeCheckRun, startCheckRun } from "../github/checks.js";
import type { Identity } from "../github/identity.js";
import { ACTIONS_BOT } from "../github/identity.js";
import { publishAnalysis } from "../github/publish.js";
import { escapeMarkdown } from "../present/markdown/escape.js";
import { SourceError } from "../repo/errors.js";
import type { LazyTree } from "../repo/lazy-tree.js";
import { normalizeKubernetesVersion, UnknownKubernetesVersionError } from "../schema/index.js";
import { ScrubError, SecretSet } from "../core/secrets/secret-set.js";
import { scrubbingLogger } from "../core/secrets/scrubbing-logger.js";
import { downloadTree } from "./download.js";
import { scrubbingApi } from "./github-api.js";
import type { AppEnvironment } from "./environment.js";
import type { Metrics } from "./metrics.js";
import { HandBackError, isHandBack, type Verdict } from "./queue/port.js";

export interface ReviewJobContext {
  api: GitHubApi;
  pr: PullRequestRef;
  self: Identity;
  readConfig: () => Promise<ShipshapeConfig>;
  logger: Logger;
  env: AppEnvironment;
  metrics: Metrics;
  /** The operator's secrets; each review extends a copy with the pull request's. */
  secrets?: SecretSet;
  /** The queue's last word right before publishing (a newer head enqueued, the job taken over). */
  guard?: () => Promise<Verdict>;
}

export interface CheckIds {
  main: number;
  approval: number;
}

/** Created at once when the event arrives, so the pull request shows Shipshape at work. */
export async function startChecks(api: GitHubApi, pr: PullRequestRef): Promise<CheckIds> {
  const main = await startCheckRun(api, pr, CHECK_NAMES.main, pr.headSha, pr.htmlUrl);
  const approval = await startCheckRun(api, pr, CHECK_NAMES.approval, pr.headSha, pr.htmlUrl);
  return { main, approval };
}

export async function runReview(ctx: ReviewJobContext, checks: CheckIds, signal: AbortSignal): Promise<"published" | "superseded" | "config-error" | "lost"> {
  const started = Date.now();
  const { pr, env } = ctx;
  // This review's secret set: filled by the analysis, applied to every request and log line
  // after it (the sets of two reviews running at once never mix).
  const secrets = ctx.secrets?.fork() ?? new SecretSet();
  const api = scrubbingApi(ctx.api, secrets);
  const logger = scrubbingLogger(ctx.logger, secrets);
  const work = await mkdtemp(join(env.tmpDir, "shipshape-app-"));
  const trees: LazyTree[] = [];
  try {
    let config: ShipshapeConfig;
    try {
      config = await ctx.readConfig();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      await failChecks(api, pr, checks, "Shipshape's config is invalid", `${escapeMarkdown(err.message)}\n\nFix \`.github/shipshape.yml\` on the default branch; Shipshape never reads it from the pull request.`, "failure");
      ctx.metrics.analysisDuration.observe({ outcome: "failure" }, (Date.now() - started) / 1000);
      return "config-error";
    }
    const [base, head] = await Promise.all([
      downloadTree(api, pr, pr.baseSha, work, "base", signal),
      downloadTree(api, pr, pr.headSha, work, "head", signal),
    ]);
    trees.push(base, head);
    if (signal.aborted) return await stopped(ctx, checks, started, signal);
    const kubernetesVersion = config.kubernetesVersion ? normalizeKubernetesVersion(config.kubernetesVersion) : undefined;
    const { report, toolErrors } = await analyze(
      { base, head, config, ...(kubernetesVersion ? { kubernetesVersion } : {}) },
      { path: env.path, binaries: env.binaries ?? {}, network: env.network, toolsDir: env.toolsDir, ...(env.chartCredentials ? { chartCredentials: env.chartCredentials } : {}), workDir: work, today: env.now().toISOString().slice(0, 10), logger, secrets },
    );
    for (const t of report.targets) ctx.metrics.renders.inc({ type: t.type, outcome: t.status });
    if (signal.aborted || (await headMoved(api, pr))) return await stopped(ctx, checks, started, signal);
    const verdict = ctx.guard ? await ctx.guard() : "ok";
    if (verdict === "superseded") return await superseded(ctx, checks, started);
    // Another worker took the job over (this one stalled): its checks are that worker's now.
    if (verdict === "lost") return "lost";
    await publishAnalysis({
      api,
      pr,
      self: ctx.self,
      others: [{ login: ACTIONS_BOT }],
      report,
      toolErrors,
      config,
      failOn: config.github.failOn,
      targets: { checks, comment: true },
      logger,
      now: env.now().toISOString(),
    });
    ctx.metrics.analysisDuration.observe({ outcome: toolErrors.length ? "errored" : "success" }, (Date.now() - started) / 1000);
    logger.info("review published", { pr: pr.number, sha: pr.headSha, targets: report.targets.length, findings: report.findings.length, ms: Date.now() - started });
    return "published";
  } catch (err) {
    // An aborted download or render: a newer event replaced this review, nothing broke.
    if (signal.aborted) return await stopped(ctx, checks, started, signal);
    if (err instanceof SourceError || err instanceof UnknownKubernetesVersionError) {
      // The repository's content (too big, unsafe archive) or config value: the user can act on it.
      await failChecks(api, pr, checks, "Shipshape could not read this pull request", escapeMarkdown(err.message), "failure");
      ctx.metrics.analysisDuration.observe({ outcome: "failure" }, (Date.now() - started) / 1000);
      return "config-error";
    }
    // The crash is logged by the caller, outside this review's set: scrub it here.
    throw scrubbedError(err, secrets);
  } finally {
    await Promise.all(trees.map((t) => t.close()));
    await rm(work, { recursive: true, force: true });
  }
}

/** The crash path: both checks completed as failed with an id that finds the log entry. */
export async function reportCrash(api: GitHubApi, pr: PullRequestRef, checks: CheckIds, err: unknown, logger: Logger): Promise<string> {
  const errorId = randomUUID();
  logger.warn("review crashed", { errorId, pr: pr.number, sha: pr.headSha, error: (err as Error)?.stack ?? String(err) });
  await failChecks(api, pr, checks, "Shipshape errored", `Shipshape errored while reviewing ${pr.headSha.slice(0, 12)}. This is a problem in Shipshape, not in your change.\n\nError id: \`${errorId}\` (give it to whoever runs Shipshape; it finds the log entry). Comment \`/shipshape recheck\` to try again.`, "failure");
  return errorId;
}

export async function failChecks(api: GitHubApi, pr: PullRequestRef, checks: CheckIds, title: string, summary: string, conclusion: "failure" | "cancelled" | "neutral"): Promise<void> {
  await completeCheckRun(api, pr, checks.main, { conclusion, title, summary });
  await completeCheckRun(api, pr, checks.approval, { conclusion: conclusion === "failure" ? "neutral" : conclusion, title: `${title}: approvals not evaluated`, summary: "See the `Shipshape` check." });
}

/** An aborted run: handed back to the queue (checks untouched), else superseded. */
async function stopped(ctx: ReviewJobContext, checks: CheckIds, started: number, signal: AbortSignal): Promise<"superseded"> {
  if (isHandBack(signal)) throw new HandBackError();
  return superseded(ctx, checks, started);
}

/** A result for an old head is dropped; its checks say why instead of staying in progress. */
async function superseded(ctx: ReviewJobContext, checks: CheckIds, started: number): Promise<"superseded"> {
  ctx.metrics.analysisDuration.observe({ outcome: "superseded" }, (Date.now() - started) / 1000);
  await completeSuperseded(ctx.api, ctx.pr, checks);
  return "superseded";
}

export async function completeSuperseded(api: GitHubApi, pr: PullRequestRef, checks: CheckIds): Promise<void> {
  await failChecks(api, pr, checks, "Superseded by a newer commit", `The pull request moved on from ${pr.headSha.slice(0, 12)}; Shipshape reviews the newest commit instead.`, "neutral");
}

/** The error with its message and stack scrubbed; a ScrubError (saying nothing) if that fails. */
function scrubbedError(err: unknown, secrets: SecretSet): Error {
  try {
    return scrubbedCopy(err, secrets);
  } catch {
    return new ScrubError();
  }
}

function scrubbedCopy(err: unknown, secrets: SecretSet): Error {
  if (!(err instanceof Error)) return new Error(secrets.scrub(String(err)));
  const clean = new Error(secrets.scrub(err.message));
  clean.name = err.name;
  clean.stack = secrets.scrub(err.stack ?? err.message);
  // What the queue needs to tell a transient failure (retry) from a lasting one: a number
  // and a fixed code, never text.
  const { status, code } = err as { status?: unknown; code?: unknown };
  if (typeof status === "number") Object.assign(clean, { status });
  if (typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code)) Object.assign(clean, { code });
  return clean;
}

async function headMoved(api: GitHubApi, pr: PullRequestRef): Promise<boolean> {
  const { data } = await api.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: pr.owner, repo: pr.repo, pull_number: pr.number });
  return (data as { head: { sha: string } }).head.sha !== pr.headSha;
}
