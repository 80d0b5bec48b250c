/**
 * The GitHub Action: inputs and the runner's environment in, the shared analysis in the
 * middle, and out the job summary, annotations, step outputs, the JSON (and optional SARIF)
 * report and — with a token that may write — the App's comment and check runs. Mirrors
 * `shipshape check` (src/cli/check.ts), including its exit codes.
 */
import * as core from "@actions/core";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { analyze, type AnalysisResult } from "../../src/analysis/analyze.js";
import { loadConfig } from "../../src/analysis/load-config.js";
import { ConfigError } from "../../src/config/errors.js";
import type { ShipshapeConfig } from "../../src/config/types.js";
import type { Report } from "../../src/core/model/report.js";
import { EXIT, failingFindings, failingRisk, failsCheck, type FailOn } from "../../src/core/outcome.js";
import type { Logger } from "../../src/core/ports.js";
import { renderJson, renderMarkdown, renderSarif, renderText } from "../../src/present/index.js";
import { fencedBlock } from "../../src/present/markdown/escape.js";
import { SourceError } from "../../src/repo/errors.js";
import { openSource } from "../../src/analysis/sources.js";
import { SecretSet } from "../../src/core/secrets/secret-set.js";
import type { LazyTree } from "../../src/repo/lazy-tree.js";
import { UnknownKubernetesVersionError } from "../../src/schema/index.js";
import type { ActionEnvironment } from "./environment.js";
import { parseChartCredentialsInput, parseInputs, type ActionInputs } from "./inputs.js";
import { chartCredentialSecrets } from "../../src/render/chart-credentials.js";
import { actionOutputs, cappedNote, findingAnnotations, SUMMARY_LIMIT_BYTES, type Annotations } from "./outputs.js";
import { createGitHubPublisher } from "./github-publisher.js";
import { isPermissionDenied, type ActionPublisher } from "./publisher.js";
import {
  chooseRefs,
  ensureCommit,
  fetchPullRequest,
  gitSources,
  pullRequestFromEvent,
  readEventPayload,
  runGit,
  type CommitPair,
  type EventPayload,
  type GitRunner,
  type PullRequestLookup,
  type PullRequestRef,
} from "./refs.js";
import { createToolkit, type Annotation, type Toolkit } from "./toolkit.js";

/** Adapters the tests replace; the defaults talk to git and GitHub. */
export interface ActionDependencies {
  publish?: ActionPublisher;
  lookupPullRequest?: PullRequestLookup;
  git?: GitRunner;
}

interface Run {
  env: ActionEnvironment;
  /** The runner's side: log, annotations, outputs, summary, all scrubbed with `secrets`. */
  out: Toolkit;
  /** The run's secret set: the operator's, the token, then what the analysis finds. */
  secrets: SecretSet;
  inputs: ActionInputs;
  /** The git repository: `working-directory` below the workspace. */
  cwd: string;
  payload: EventPayload;
  pr: PullRequestRef | undefined;
}

export async function run(env: ActionEnvironment, deps: ActionDependencies = {}): Promise<number> {
  // Every later line, file and request goes through the run's secret set: the operator's, the token and the chart credentials.
  const token = core.getInput("github-token");
  const chartText = core.getInput("chart-credentials");
  const charts = parseChartCredentialsInput(chartText);
  // Malformed, the input stops the run at once (runWith); its text is masked all the same.
  const chartSecrets = charts.ok ? chartCredentialSecrets(charts.credentials) : [chartText];
  const secrets = SecretSet.ofCredentials([...(env.operatorSecrets ?? []), ...(token ? [token] : []), ...chartSecrets]);
  const out = createToolkit(secrets);
  // Before anything else is printed, so no later line can show them (the runner prints `***`).
  out.mask();
  const code = await runWith(env, out, secrets, deps);
  // Fails closed: a line that could not be scrubbed was replaced by a fixed error; the step fails.
  return out.withheld ? EXIT.toolError : code;
}

async function runWith(env: ActionEnvironment, out: Toolkit, secrets: SecretSet, deps: ActionDependencies): Promise<number> {
  const parsed = parseInputs();
  if (!parsed.ok) {
    for (const e of parsed.errors) out.annotate({ level: "error", message: e, properties: { title: "Shipshape: bad input" } });
    return EXIT.usage;
  }
  const inputs = parsed.inputs;
  try {
    const payload = await readEventPayload(env.eventPath);
    const pr = pullRequestFromEvent(env.eventName, payload);
    if (env.eventName === "issue_comment" && !pr) {
      out.annotate({ level: "notice", message: "Shipshape: the comment is on an issue, not a pull request; nothing to review" });
      return EXIT.ok;
    }
    return await review({ env, out, secrets, inputs, cwd: resolve(env.workspace, inputs.workingDirectory), payload, pr }, deps);
  } catch (err) {
    return reportError(out, err);
  }
}

async function review(ctx: Run, deps: ActionDependencies): Promise<number> {
  const { env, out, inputs, cwd } = ctx;
  const git = deps.git ?? runGit;
  const pr = await completePullRequest(ctx, deps.lookupPullRequest ?? fetchPullRequest);
  const chosen = chooseRefs(inputs, pr, env.sha);
  if (!chosen.ok) throw new SourceError(chosen.error);
  const refs: CommitPair = {
    base: await ensureCommit(cwd, chosen.refs.base, "base", git),
    head: await ensureCommit(cwd, chosen.refs.head, "head", git),
  };
  out.log(`Shipshape: comparing ${refs.base} (base) with ${refs.head} (head) in ${cwd}`);

  const work = await mkdtemp(join(env.tmpDir, "shipshape-"));
  let trees: LazyTree[] = [];
  try {
    const sources = gitSources(cwd, refs);
    const opened = await Promise.allSettled([openSource(sources.base, join(work, "base")), openSource(sources.head, join(work, "head"))]);
    trees = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    for (const o of opened) if (o.status === "rejected") throw o.reason;
    const [base, head] = trees as [LazyTree, LazyTree];
    const config = await loadConfig(inputs.config, base, cwd, env.cpus);
    const result = await analyze(
      { base, head, config, ...(inputs.kubeVersion ? { kubernetesVersion: inputs.kubeVersion } : {}) },
      { path: env.path, binaries: env.binaries ?? {}, network: env.network, toolsDir: env.toolsDir, ...(inputs.chartCredentials ? { chartCredentials: inputs.chartCredentials } : {}), workDir: work, today: env.today, logger: workflowLogger(out), secrets: ctx.secrets },
    );
    // What the analysis found in the pull request joined the set: the runner hides it too.
    out.mask();
    const failOn = inputs.failOn ?? config.github.failOn;
    const published = await deliver(ctx, pr, config, failOn, result, deps.publish ?? createGitHubPublisher({ logger: workflowLogger(out) }));
    return exitCode(out, result, failOn, published);
  } finally {
    await Promise.all(trees.map((t) => t.close()));
    await rm(work, { recursive: true, force: true });
  }
}

/** `issue_comment` payloads carry no commits: ask the API, which needs the token. */
async function completePullRequest(ctx: Run, lookup: PullRequestLookup): Promise<PullRequestRef | undefined> {
  const { pr, inputs, env } = ctx;
  if (!pr || (pr.baseSha && pr.headSha) || (inputs.baseRef && inputs.headRef)) return pr;
  const repository = repositoryName(env, ctx.payload);
  if (!inputs.token || !repository) {
    throw new SourceError(`the ${env.eventName ?? "event"} payload names no commits; set github-token (to read pull request #${pr.number}) or base-ref and head-ref`);
  }
  const found = await lookup({ apiUrl: env.apiUrl, token: inputs.token, repository, number: pr.number });
  return { ...pr, ...found };
}

/** Everything the step produces; false when publishing failed for another reason than permissions. */
async function deliver(
  ctx: Run,
  pr: PullRequestRef | undefined,
  config: ShipshapeConfig,
  failOn: FailOn,
  result: AnalysisResult,
  publish: ActionPublisher,
): Promise<boolean> {
  const { env, out, inputs, cwd, secrets } = ctx;
  const { report, toolErrors } = result;
  const reportDir = env.runnerTemp ? await mkdtemp(join(env.runnerTemp, "shipshape-")) : cwd;
  const reportJson = join(reportDir, "shipshape-report.json");
  const annotations = findingAnnotations(report);
  // The report is scrubbed already; what is built from it is scrubbed again on the way out.
  const markdown = secrets.scrub(summaryMarkdown(report, toolErrors, annotations));
  await writeFile(reportJson, secrets.scrub(renderJson(report)));
  // The same Markdown beside the JSON, for a workflow that publishes from an artifact.
  await writeFile(join(reportDir, "shipshape-report.md"), markdown);
  if (inputs.sarif) {
    const sarifPath = resolve(cwd, inputs.sarif);
    await mkdir(dirname(sarifPath), { recursive: true });
    await writeFile(sarifPath, secrets.scrub(renderSarif(report, { toolVersion: env.version })));
  }

  out.startGroup("Shipshape report");
  out.log(renderText(report, { color: false }));
  out.endGroup();
  for (const a of annotations.list) out.annotate(a);
  await out.summary(markdown);
  out.setOutputs({ ...actionOutputs(report, reportJson) });

  const repository = repositoryName(env, ctx.payload);
  if (!inputs.token || !pr?.baseSha || !pr.headSha || !repository || !env.eventName) return true;
  if (!inputs.comment && !inputs.checkRun) return true;
  const [owner = "", repo = ""] = repository.split("/");
  try {
    await publish({
      apiUrl: env.apiUrl,
      serverUrl: env.serverUrl,
      token: inputs.token,
      owner,
      repo,
      pullNumber: pr.number,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      ...(pr.author ? { author: pr.author } : {}),
      report,
      toolErrors,
      config,
      failOn,
      comment: inputs.comment,
      checkRun: inputs.checkRun,
      eventName: env.eventName,
      payload: ctx.payload,
      secrets,
    });
    return true;
  } catch (err) {
    if (isPermissionDenied(err)) {
      out.annotate({
        level: "warning",
        message:
          "Shipshape could not publish the pull request comment or check run: the token may not write to this repository (a pull request from a fork gets a read-only token). The job summary, annotations and report carry the result.",
        properties: { title: "Shipshape: not published" },
      });
      return true;
    }
    out.annotate({ level: "error", message: `Shipshape could not publish the comment or check run: ${(err as Error).message}`, properties: { title: "Shipshape: publishing failed" } });
    return false;
  }
}

function exitCode(out: Toolkit, result: AnalysisResult, failOn: FailOn, published: boolean): number {
  const { report, toolErrors } = result;
  for (const e of toolErrors) out.annotate({ level: "error", message: `tool error: ${e}`, properties: { title: "Shipshape: tool error" } });
  if (toolErrors.length > 0 || !published) return EXIT.toolError;
  if (!failsCheck(report, failOn)) return EXIT.ok;
  out.annotate({ level: "error", message: failureReason(report, failOn), properties: { title: "Shipshape: check failed" } });
  return EXIT.failed;
}

function failureReason(report: Report, failOn: FailOn): string {
  const findings = failingFindings(report, failOn);
  if (findings.length > 0) {
    return `${findings.length} finding${findings.length === 1 ? "" : "s"} introduced by this change at or above severity ${failOn} (fail-on: ${failOn})`;
  }
  const risk = failingRisk(report, failOn);
  return `the change's risk level is ${report.risk?.level ?? "none"}, at or above ${failOn} (fail-on: ${failOn}), for ${risk.length} reason${risk.length === 1 ? "" : "s"}`;
}

/**
 * The Markdown report, plus the notes only the Action has, kept within GitHub's 1 MiB step
 * summary limit. The renderer bounds UTF-16 length and the limit is in UTF-8 bytes, so it
 * is asked again for a proportionally shorter report until the bytes fit.
 */
export function summaryMarkdown(report: Report, toolErrors: readonly string[], annotations: Annotations): string {
  const notes = [cappedNote(annotations.capped), toolErrorsNote(toolErrors)].filter(Boolean).join("\n");
  const budget = SUMMARY_LIMIT_BYTES - Buffer.byteLength(notes) - 16;
  let maxLength = budget;
  for (;;) {
    const text = renderMarkdown(report, { maxLength });
    const bytes = Buffer.byteLength(text);
    if (bytes <= budget || maxLength <= 0) return notes ? `${text.trimEnd()}\n\n${notes}` : text;
    maxLength = Math.min(maxLength - 1, Math.floor((maxLength * budget) / bytes));
  }
}

function toolErrorsNote(toolErrors: readonly string[]): string {
  if (toolErrors.length === 0) return "";
  const shown = toolErrors.slice(0, 20).map((e) => (e.length > 2000 ? `${e.slice(0, 2000)}…` : e));
  const more = toolErrors.length > shown.length ? `\n…and ${toolErrors.length - shown.length} more (see the step log).` : "";
  return `### Tool errors\n\nShipshape or a tool it runs broke; this is not a problem with the change.\n\n${fencedBlock(shown.join("\n"))}${more}\n`;
}

function repositoryName(env: ActionEnvironment, payload: EventPayload): string | undefined {
  if (env.repository) return env.repository;
  const repository = payload.repository;
  if (typeof repository === "object" && repository !== null && "full_name" in repository && typeof repository.full_name === "string") return repository.full_name;
  return undefined;
}

/** Static messages with fields, through the toolkit: debug lines show with step debug logging on. */
function workflowLogger(out: Toolkit): Logger {
  const text = (message: string, fields?: Record<string, unknown>) => {
    const details = fields ? Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`) : [];
    return `${message}${details.length ? ` ${details.join(" ")}` : ""}`;
  };
  return {
    debug: (m, f) => out.debug(text(m, f)),
    info: (m, f) => out.log(`Shipshape: ${text(m, f)}`),
    warn: (m, f) => out.annotate({ level: "warning", message: text(m, f), properties: { title: "Shipshape" } }),
  };
}

/** Usage problems (exit 2) name what to fix; anything else is Shipshape breaking (exit 3). */
async function reportError(out: Toolkit, err: unknown): Promise<number> {
  let annotation: Annotation;
  let code: number;
  if (err instanceof ConfigError) {
    annotation = { level: "error", message: err.message, properties: { title: "Shipshape: config error", file: err.file, ...(err.line !== undefined ? { startLine: err.line } : {}) } };
    code = EXIT.usage;
  } else if (err instanceof UnknownKubernetesVersionError) {
    annotation = { level: "error", message: `kube-version: ${err.message}`, properties: { title: "Shipshape: bad input" } };
    code = EXIT.usage;
  } else if (err instanceof SourceError) {
    annotation = { level: "error", message: err.message, properties: { title: "Shipshape: cannot read the commits" } };
    code = EXIT.usage;
  } else {
    annotation = { level: "error", message: `internal error: ${(err as Error)?.stack ?? String(err)}`, properties: { title: "Shipshape: internal error" } };
    code = EXIT.toolError;
  }
  out.annotate(annotation);
  const why = code === EXIT.usage ? "Fix the input, config or checkout named below and run it again." : "Shipshape broke; this is not a problem with the change.";
  const text = `## Shipshape\n\nShipshape could not review this change. ${why}\n\n${fencedBlock(err instanceof Error ? err.message : String(err))}\n`;
  await out.summary(text).catch(() => undefined);
  return code;
}
