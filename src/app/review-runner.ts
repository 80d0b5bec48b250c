/**
 * The worker side of a review job: from references to a published review. It authenticates as
 * the installation itself (the job holds no token), reads the config from the default branch
 * as the web side would, and runs the shared review. Both queue engines call it.
 */
import { Context } from "probot";
import type { SecretSet } from "../core/secrets/secret-set.js";
import type { Identity } from "../github/identity.js";
import { readAppConfig } from "./config.js";
import type { AppEnvironment } from "./environment.js";
import { toGitHubApi } from "./github-api.js";
import { fromPino, type PinoLike } from "./logger.js";
import type { Metrics } from "./metrics.js";
import type { LocalHints, ReviewJobData, ReviewRunner } from "./queue/port.js";
import { completeSuperseded, failChecks, reportCrash, runReview, startChecks } from "./review-job.js";

/** The part of Probot the runner needs: installation tokens and the log. */
export interface InstallationAuth {
  auth(installationId: number): Promise<any>;
  log: PinoLike & { child(bindings: Record<string, unknown>): PinoLike };
}

export interface RunnerDeps {
  app: InstallationAuth;
  env: AppEnvironment;
  metrics: Metrics;
  secrets: SecretSet;
  self: Identity;
}

type Connection = LocalHints;

export function createReviewRunner(deps: RunnerDeps): ReviewRunner {
  const { env, metrics, secrets } = deps;

  const connect = async (job: ReviewJobData, local?: LocalHints): Promise<Connection> => {
    if (local) return local;
    const octokit = await deps.app.auth(job.installationId);
    const api = toGitHubApi(octokit, metrics, secrets);
    const log = deps.app.log.child({ id: job.deliveryId, event: job.event, pr: job.pr.number });
    const context = new Context(
      { id: job.deliveryId, name: "pull_request", payload: { repository: { owner: { login: job.pr.owner }, name: job.pr.repo }, installation: { id: job.installationId } } } as any,
      octokit,
      log as any,
    );
    return { api, logger: fromPino(log, secrets), readConfig: () => readAppConfig(context, env.cpus) };
  };

  return {
    async run(job, controls, local) {
      const c = await connect(job, local);
      let checks = job.checks;
      if (!checks) {
        checks = await startChecks(c.api, job.pr);
        await controls.rememberChecks(checks);
      }
      const outcome = await runReview(
        { api: c.api, pr: job.pr, self: deps.self, readConfig: c.readConfig, logger: c.logger, env, metrics, secrets, guard: controls.guard },
        checks,
        controls.signal,
      );
      return outcome === "config-error" ? "failure" : outcome;
    },
    async superseded(job, local) {
      if (!job.checks) return;
      const c = await connect(job, local);
      await completeSuperseded(c.api, job.pr, job.checks);
    },
    async interrupted(job, local) {
      if (!job.checks) return;
      const c = await connect(job, local);
      await failChecks(c.api, job.pr, job.checks, "Shipshape stopped before finishing", `Shipshape was stopped (a restart or deploy) while reviewing ${job.pr.headSha.slice(0, 12)}. Comment \`/shipshape recheck\` to review it again.`, "neutral");
    },
    async errored(job, err, local, startedAt = Date.now()) {
      const c = await connect(job, local);
      const checks = job.checks ?? (await startChecks(c.api, job.pr));
      metrics.analysisDuration.observe({ outcome: "errored" }, (Date.now() - startedAt) / 1000);
      await reportCrash(c.api, job.pr, checks, err, c.logger);
    },
  };
}
