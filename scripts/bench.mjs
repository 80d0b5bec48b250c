// Benchmark: `npm run bench` (builds, then `node --expose-gc scripts/bench.mjs`).
//
// Generates a synthetic monorepo (200 Kustomize overlays over 20 bases and one shared
// component, 30 Helm charts, 10 Compose projects) and times `shipshape check` on three pull
// requests: one that touches only a README, one that changes one overlay, and one that changes
// the shared component (every overlay affected). The last is compared with running
// `kubectl kustomize` sequentially for every affected overlay on both sides. Then: schema
// validation, the policy pack, a 500-overlay repository with 20 MB of CRDs (bench/crd-repo.mjs)
// and one target of 10,000 resources. Last, the App at scale (bench/scaling.mjs): reviews per
// minute of the demo repository with 1 and 2 workers on a real Redis, and the webhook
// acknowledgement latency of a burst of 200 signed deliveries.
//
// Options: --runs N (timed runs of head-none and head-one, default 5), --shared-runs N (default 1),
//          --keep (leave the temp dir), --strict (exit 1 when a goal is missed),
//          --rss-wrapper (measure RSS in process rather than with GNU time, which also sees children),
//          --baseline-only (generator and baseline only; no CLI needed),
//          --scaling-only (only the App at scale), --no-scaling (everything but it),
//          --scaling-pulls N (pull requests per throughput run, default 8), --burst N (default 200),
//          --bases N --overlays N --charts N --compose N (monorepo shape).
import { mkdtemp, rm } from "node:fs/promises";
import { rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findKubectl, runSequentialBaseline } from "./bench/baseline.mjs";
import { CliMissingError, prepareCli, runCheck } from "./bench/cli-runner.mjs";
import { generateMonorepo, parseShapeArgs } from "./bench/generate-monorepo.mjs";
import { median } from "./bench/measure.mjs";
import { formatTable, megabytes, ratio, seconds, verdict } from "./bench/table.mjs";
import { benchValidation } from "./bench/validation.mjs";
import { benchLargeTarget } from "./bench/large-target.mjs";
import { benchPolicies } from "./bench/policies.mjs";
import { benchCrdRepo } from "./bench/crd-repo.mjs";
import { benchScaling } from "./bench/scaling.mjs";

const GOALS = { noneVsOneRatio: 1.5, sharedVsBaselineRatio: 1.0, peakRssMb: 500, crdVsNoneRatio: 1.5, crdNoneSeconds: 1.5 };

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseOptions(argv) {
  const { shape, rest } = parseShapeArgs(argv);
  const opts = { shape, runs: 5, sharedRuns: 1, keep: false, strict: false, baselineOnly: false, rssWrapper: false, scaling: true, scalingOnly: false, scalingPulls: 8, burst: 200 };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--keep") opts.keep = true;
    else if (arg === "--strict") opts.strict = true;
    else if (arg === "--baseline-only") opts.baselineOnly = true;
    else if (arg === "--rss-wrapper") opts.rssWrapper = true;
    else if (arg === "--scaling-only") opts.scalingOnly = true;
    else if (arg === "--no-scaling") opts.scaling = false;
    else if (arg === "--scaling-pulls" || arg === "--burst") {
      const n = Number(rest[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a positive integer`);
      opts[arg === "--burst" ? "burst" : "scalingPulls"] = n;
    } else if (arg === "--runs" || arg === "--shared-runs") {
      const n = Number(rest[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} needs a positive integer`);
      opts[arg === "--runs" ? "runs" : "sharedRuns"] = n;
    } else throw new Error(`unknown option ${arg}`);
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`bench: ${err.message}`);
    return 2;
  }
  const workDir = await mkdtemp(join(tmpdir(), "shipshape-bench-"));
  const cleanup = () => {
    if (!opts.keep) rmSync(workDir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    cleanup();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await bench(opts, workDir);
  } catch (err) {
    if (err instanceof CliMissingError) {
      console.error(`bench: ${err.message}`);
      console.error("bench: to try the generator and the sequential baseline without the CLI, pass --baseline-only.");
      return 2;
    }
    console.error(`bench: ${err.message}`);
    return 1;
  } finally {
    cleanup();
    if (opts.keep) console.log(`\nkept ${workDir}`);
  }
}

async function bench(opts, workDir) {
  if (opts.scalingOnly) return printScaling(await scaling(opts));
  const env = { ...process.env };
  const cli = opts.baselineOnly ? null : await prepareCli({ projectRoot, scratchDir: workDir, forceWrapper: opts.rssWrapper });
  const kubectl = await findKubectl(projectRoot, env.PATH ?? "");
  if (!kubectl) throw new Error("kubectl not found in tools/bin or on PATH; run `node scripts/provision-tools.mjs`.");

  const { shape } = opts;
  const overlayCount = shape.bases * shape.overlaysPerBase;
  console.log(
    `Shipshape bench: ${overlayCount} Kustomize overlays (${shape.bases} bases × ${shape.overlaysPerBase}, one shared component), ` +
      `${shape.charts} Helm charts, ${shape.composeProjects} Compose projects`,
  );
  const repo = await generateMonorepo(join(workDir, "repo"), shape);
  console.log(
    `${repo.fileCount} files per tree; node ${process.version}, ${availableParallelism()} CPUs; kubectl ${kubectl}` +
      (cli ? `; peak RSS from ${cli.rssMethod}` : ""),
  );

  const heads = Object.fromEntries(repo.heads.map((h) => [h.name, h]));
  const results = Object.fromEntries(repo.heads.map((h) => [h.name, []]));
  if (cli) {
    const check = async (name) => {
      globalThis.gc?.();
      const outcome = await runCheck(cli, { baseDir: repo.baseDir, headDir: heads[name].dir, outputFile: join(workDir, `${name}.json`), env });
      if (!outcome.ok) {
        process.stdout.write("\n");
        throw new Error(`${name}: \`${outcome.commandLine}\` failed: ${outcome.error}`);
      }
      process.stdout.write(".");
      return outcome;
    };
    process.stdout.write("running shipshape check ");
    await check("head-none"); // warm-up: file cache, tool version probes
    for (let i = 0; i < opts.runs; i++) {
      results["head-none"].push(await check("head-none"));
      results["head-one"].push(await check("head-one"));
    }
    for (let i = 0; i < opts.sharedRuns; i++) results["head-shared"].push(await check("head-shared"));
    process.stdout.write("\n");
  }

  process.stdout.write(`running the sequential baseline (${heads["head-shared"].affected.length * 2} kubectl kustomize calls)… `);
  const baseline = await runSequentialBaseline({ kubectl, baseDir: repo.baseDir, headDir: heads["head-shared"].dir, overlays: heads["head-shared"].affected, env });
  process.stdout.write("done\n");

  const extraGoals = [];
  if (cli) {
    console.log("running the schema validation benchmark (warm throughput, cold 10,000 resources)…");
    const validation = await benchValidation({ projectRoot, log: () => {} });
    for (const g of validation.goals) extraGoals.push([g.goal, g.measured, g.target, verdict(g.pass)]);
    console.log("running the built-in policies over 10,000 resources…");
    const policy = await benchPolicies({ projectRoot });
    extraGoals.push([policy.goal.goal, policy.goal.measured, policy.goal.target, verdict(policy.goal.pass)]);
    console.log("running the 500-overlay repository with 50 CRD files (a custom resource whose CRD is elsewhere)…");
    const crd = await benchCrdRepo(cli, workDir);
    const crdRatio = crd.crdMs / crd.noneMs;
    extraGoals.push([
      `500 targets, ${(crd.crdBytes / 1e6).toFixed(0)} MB of CRDs: a change touching no infrastructure (median of 3)`,
      seconds(crd.noneMs),
      `< ${GOALS.crdNoneSeconds.toFixed(2)} s`,
      verdict(crd.noneMs / 1000 < GOALS.crdNoneSeconds),
    ]);
    extraGoals.push([
      "the same repository, a custom resource added to one overlay, its CRD elsewhere",
      `${ratio(crdRatio)} (${seconds(crd.crdMs)}, ${crd.report?.changes ?? "?"} change)`,
      `≤ ${GOALS.crdVsNoneRatio.toFixed(2)}× the no-op`,
      verdict(crdRatio <= GOALS.crdVsNoneRatio),
    ]);
    console.log("running the cold CLI on one target of 10,000 resources (one file changed)…");
    const large = await benchLargeTarget(cli, workDir);
    extraGoals.push([
      `cold CLI, ${large.resources.toLocaleString("en-US")} resources rendered, validated and diffed on both sides, policies off (median of ${large.runs.length})`,
      `${seconds(large.medianMs)} (${large.changes} changes)`,
      "< 1.00 s",
      verdict(large.medianMs < 1000),
    ]);
    extraGoals.push([
      "the same with the full built-in policy pack (every synthetic Deployment fails 2-3 policies)",
      seconds(large.withPoliciesMs),
      "(information)",
      "—",
    ]);
  }
  const scaled = cli && opts.scaling ? await scaling(opts) : null;
  console.log("");
  const code = printResults({ opts, heads, results, baseline, extraGoals });
  if (scaled) printScaling(scaled);
  return code;
}

async function scaling(opts) {
  console.log("running the App at scale (web and worker processes on a private redis-server, the fake GitHub over HTTP)…");
  return benchScaling({ projectRoot, pulls: opts.scalingPulls, burst: opts.burst });
}

function printScaling(result) {
  if (result.skipped) {
    console.log(`\nnote: the App at scale was not measured: ${result.skipped}.`);
    return 0;
  }
  const ms = (v) => `${v.toFixed(0)} ms`;
  console.log(
    `\n${formatTable(
      ["App at scale: throughput", "pull requests", "wall", "reviews/minute", "CPU/review", "writes/review", "worker peak RSS"],
      result.throughput.map((t) => [
        `web + ${t.workers} worker${t.workers > 1 ? "s" : ""} (concurrency 1 each)`,
        String(t.pulls),
        seconds(t.minutes * 60_000),
        t.perMinute.toFixed(1),
        t.cpuPerReview === null ? "n/a" : `${t.cpuPerReview.toFixed(2)} s`,
        t.writesPerReview.toFixed(1),
        t.peakRssMb === null ? "n/a" : `${t.peakRssMb.toFixed(0)} MB`,
      ]),
      { numeric: [1, 2, 3, 4, 5, 6] },
    )}`,
  );
  console.log(
    `\n${formatTable(
      ["App at scale: webhook acknowledgement", "deliveries", "failed", "202 after 9 s", "check runs started by then", "p50", "p95", "max"],
      result.latency.map((l) => [l.label, String(l.count), String(l.failed), String(l.late), `${l.checksStarted} of ${2 * l.count}`, ms(l.p50), ms(l.p95), ms(l.max)]),
      { numeric: [1, 2, 3, 4, 5, 6, 7] },
    )}`,
  );
  console.log(
    `(${availableParallelism()} CPUs; every worker at SHIPSHAPE_CONCURRENCY=1. A delivery is answered once its two check runs are started ` +
      "and its review queued, or with 202 after 9 s; Octokit's throttling sends one write at a time, a second apart, per process.)",
  );
  return 0;
}

function summarise(runs) {
  if (runs.length === 0) return null;
  const walls = runs.map((r) => r.wallMs);
  const rss = runs.map((r) => r.maxRssKb).filter((v) => v !== null);
  return { median: median(walls), min: Math.min(...walls), peakRssKb: rss.length ? Math.max(...rss) : null, report: runs.at(-1).report };
}

function printResults({ opts, heads, results, baseline, extraGoals }) {
  const stats = Object.fromEntries(Object.entries(results).map(([name, runs]) => [name, summarise(runs)]));
  const notes = [];
  const rows = Object.values(heads).map((h) => {
    const s = stats[h.name];
    const report = s?.report;
    if (s && !report) notes.push(`${h.name}: the JSON report was missing or not { targets, changes }; counts not checked.`);
    if (report && report.changes !== h.expectedChanges) notes.push(`${h.name}: report has ${report.changes} changes, expected ${h.expectedChanges}.`);
    return [
      h.name,
      h.description,
      s ? String(results[h.name].length) : "0",
      seconds(s?.median),
      seconds(s?.min),
      report ? `${report.affected}/${report.targets}` : "n/a",
      report ? String(report.changes) : "n/a",
      megabytes(s?.peakRssKb),
    ];
  });
  rows.push(["baseline", `kubectl kustomize × ${baseline.renders}, sequential`, "1", seconds(baseline.wallMs), seconds(baseline.wallMs), "", "", ""]);
  console.log(
    formatTable(["scenario", "change", "runs", "median", "min", "affected/targets", "changes", "peak RSS"], rows, { numeric: [2, 3, 4, 6, 7] }),
  );

  const none = stats["head-none"];
  const one = stats["head-one"];
  const shared = stats["head-shared"];
  const oneRatio = none && one ? one.median / none.median : null;
  const sharedRatio = shared ? shared.median / baseline.wallMs : null;
  const peakKb = Math.max(...Object.values(stats).map((s) => s?.peakRssKb ?? -1));
  const peakRss = peakKb >= 0 ? peakKb : null;
  const goals = [
    ["head-one vs head-none wall time (medians)", ratio(oneRatio), `≤ ${GOALS.noneVsOneRatio.toFixed(2)}×`, verdict(oneRatio === null ? null : oneRatio <= GOALS.noneVsOneRatio)],
    [
      "head-shared vs sequential kubectl baseline",
      sharedRatio === null ? "n/a" : `${ratio(sharedRatio)} (${seconds(shared.median)} vs ${seconds(baseline.wallMs)})`,
      `≤ ${GOALS.sharedVsBaselineRatio.toFixed(2)}×`,
      verdict(sharedRatio === null ? null : sharedRatio <= GOALS.sharedVsBaselineRatio),
    ],
    ["peak RSS of the Shipshape process", megabytes(peakRss), `< ${GOALS.peakRssMb} MB`, verdict(peakRss === null ? null : peakRss / 1024 < GOALS.peakRssMb)],
  ];
  goals.push(...extraGoals);
  console.log(`\n${formatTable(["goal", "measured", "target", "result"], goals)}`);
  if (opts.baselineOnly) notes.push("--baseline-only: the CLI was not run.");
  for (const note of notes) console.log(`note: ${note}`);
  const missed = goals.some((g) => g[3] === "MISS");
  return opts.strict && missed ? 1 : 0;
}

process.exitCode = await main();
