/**
 * One CLI case: its base and head written to a temp folder, `shipshape check` run in-process
 * (test/helpers/cli.ts: PATH empty, helm and kubectl from tools/bin) in every output format,
 * then every byte printed scanned, the loopback server and the sentinel folder inspected,
 * and both source folders compared with what was written.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Report } from "../../../../src/core/model/report.js";
import { operatorSecretValues } from "../../../../src/core/secrets/operator.js";
import { runCli, type CliRun } from "../../../helpers/cli.js";
import { changedEntries, listing, overlay, writeFiles, type FileMap } from "./files.js";
import { runCliWithHeap } from "./heap.js";
import { fanOutActive, withFormats, type FormatRun } from "./formats.js";
import { writeReport } from "../../../../src/cli/write-report.js";
import { slug, type Host } from "./host.js";
import { markersFor, scan, type Guarantee, type Violation } from "./scan.js";

export interface CliSetup {
  /**
   * Files of both sides. Unless `keepBase`, the base side holds only `config` and `trusted`,
   * so every target is new in the head: its output is shown whole and only the head renders.
   */
  base?: FileMap;
  /** Written over the base. */
  head: FileMap;
  keepBase?: boolean;
  /** `.github/shipshape.yml` of the base (the trusted side). */
  config?: string;
  /** Files the base side always holds (team policies, read from the base only). */
  trusted?: FileMap;
  /** Secrets the repository holds, besides values starting with SECRET_PREFIX. */
  secrets?: string[];
  /** Patterns whose presence in any output proves a lookup or request happened. */
  evidence?: RegExp[];
  /** For attacks that hide a change: why the report does not show it, or undefined when it does. */
  hidden?: (report: Report) => string | undefined;
  /** Any other judgement of the JSON report, naming the guarantee it breaks. */
  verdict?: (report: Report) => Violation[];
  /** Replaces `--base <dir> --head <dir>` (git revisions, a crafted working directory). */
  sources?: (dirs: { base: string; head: string; work: string }) => Promise<{ args: string[]; cwd?: string; watch?: string[] }>;
  /** Output formats to run, by name (default: all four); a timed case runs one. */
  formats?: string[];
  /** The JSON report must come out: a crash or an unreadable report is a violation. */
  mustReport?: boolean;
  /**
   * Seeds the run's secret set from this process's environment (its canary GITHUB_TOKEN…), as
   * the real entry point does with `operatorSecretValues(process.env)`.
   */
  operatorSecrets?: boolean;
  /**
   * A plain head of about the attack's size (written over the base like `head`): the attack's
   * first run may take at most SLOWDOWN times as long as this one's, plus SLACK_MS.
   */
  control?: FileMap;
  /**
   * Runs the CLI in a worker whose heap is capped at this many MiB (harness/heap.ts), for
   * attacks on Shipshape's own memory; running out of it is an availability violation.
   */
  heapMiB?: number;
}

/** How much slower than a plain input of the same size a crafted one may be before Shipshape counts as hung by it. */
export const SLOWDOWN = 5;
export const SLACK_MS = 2_500;

export interface CliCase {
  id: string;
  /** What the attack tries, in one line. */
  attack: string;
  /** The guarantees it aims at. */
  targets: Guarantee[];
  build(host: Host, id: string): CliSetup | Promise<CliSetup>;
}

export interface CliCaseResult {
  violations: Violation[];
  runs: Record<string, CliRun>;
  report?: Report;
  ms: number;
}

const FORMATS: FormatRun[] = [
  { name: "json", format: "json", verbose: false },
  { name: "sarif", format: "sarif", verbose: false },
  { name: "markdown", format: "markdown", verbose: false },
  { name: "text", format: "text", verbose: true },
];

function formatFlags(f: FormatRun): string[] {
  return ["--format", f.format, ...(f.verbose ? ["--verbose"] : [])];
}

/**
 * Timed cases run one at a time: an unfixed one blocks the event loop for seconds, and a fixed
 * one measured meanwhile would look slow too.
 */
let timedQueue: Promise<unknown> = Promise.resolve();

export interface RunOptions {
  /** One CLI run per format even where harness/formats.ts is active (to compare the two). */
  separateRuns?: boolean;
}

export async function runCliCase(c: CliCase, host: Host, options: RunOptions = {}): Promise<CliCaseResult> {
  const setup = await c.build(host, c.id);
  if (!setup.control) return runSetup(c, setup, host, options);
  const turn = timedQueue.then(() => runSetup(c, setup, host, options));
  timedQueue = turn.catch(() => undefined);
  return turn;
}

async function runSetup(c: CliCase, setup: CliSetup, host: Host, options: RunOptions): Promise<CliCaseResult> {
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), `corpus-${slug(c.id)}-`));
  const base = join(work, "base");
  const head = join(work, "head");
  const trusted: FileMap = { ...(setup.trusted ?? {}), ...(setup.config ? { ".github/shipshape.yml": setup.config } : {}) };
  const both: FileMap = { ...(setup.base ?? {}), ...trusted };
  await writeFiles(base, setup.keepBase ? both : trusted);
  await writeFiles(head, overlay(both, setup.head));
  const sources = setup.sources ? await setup.sources({ base, head, work }) : { args: ["--base", base, "--head", head] };
  const watched = [base, head, host.dir, ...(sources.watch ?? [])];
  const before = await Promise.all(watched.map(listing));
  const sentinelBefore = await listing(host.sentinel);

  const runs: Record<string, CliRun> = {};
  const violations: Violation[] = [];
  const overrides = { ...(sources.cwd ? { cwd: sources.cwd } : {}), ...(setup.operatorSecrets ? { operatorSecrets: operatorSecretValues(process.env) } : {}) };
  const formats = FORMATS.filter(({ name }) => !setup.formats || setup.formats.includes(name));
  const timed: number[] = [];
  try {
    if (formats.length > 1 && !setup.heapMiB && !options.separateRuns && fanOutActive(writeReport)) {
      // One review, printed in every format (harness/formats.ts); verbose when a format is, so
      // stderr holds every line any of the formats' runs would print.
      const verbose = formats.some((f) => f.verbose);
      const argv = ["check", ...sources.args, "--format", formats[0]!.format, ...(verbose ? ["--verbose"] : [])];
      const { result, stdout } = await withFormats(formats, (write) => crashAsRun(runCli(argv, { ...overrides, stdout: write }), formats.map((f) => f.name), violations));
      for (const f of formats) runs[f.name] = { ...result, stdout: stdout.get(f.name)! };
    } else {
      for (const f of formats) {
        const t0 = Date.now();
        const argv = ["check", ...sources.args, ...formatFlags(f)];
        runs[f.name] = await crashAsRun(setup.heapMiB ? runCliWithHeap(argv, setup.heapMiB, overrides) : runCli(argv, overrides), [f.name], violations);
        timed.push(Date.now() - t0);
      }
    }
    if (setup.control) {
      const control = join(work, "control");
      await writeFiles(control, overlay(both, setup.control));
      const first = formats[0]!;
      const name = first.name;
      const t0 = Date.now();
      await runCli(["check", "--base", base, "--head", control, ...formatFlags(first)], overrides);
      const controlMs = Date.now() - t0;
      if (timed[0]! > SLOWDOWN * controlMs + SLACK_MS) {
        violations.push({ guarantee: "availability", detail: `the crafted input took ${timed[0]} ms in ${name}, a plain one of the same size ${controlMs} ms (allowed: ${SLOWDOWN}× + ${SLACK_MS} ms)` });
      }
    }
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }

  const markers = markersFor(host, { ...(setup.evidence ? { evidence: setup.evidence } : {}), ...(setup.secrets ? { secrets: setup.secrets } : {}) });
  for (const [name, run] of Object.entries(runs)) {
    violations.push(...scan(run.stdout, `${name} stdout`, markers), ...scan(run.stderr, `${name} stderr`, markers));
  }
  const mine = `/c/${slug(c.id)}/`;
  for (const hit of host.loopback.hits.filter((h) => h.url.includes(mine))) {
    violations.push({ guarantee: "network", detail: `the loopback server received ${hit.method} ${hit.url}` });
  }
  const sentinelAfter = await listing(host.sentinel);
  for (const path of changedEntries(sentinelBefore, sentinelAfter)) {
    if (path.includes(slug(c.id))) violations.push({ guarantee: "write", detail: `written outside the scratch folder: ${join(host.sentinel, path)}` });
  }
  const after = await Promise.all(watched.map(listing));
  watched.forEach((dir, i) => {
    for (const path of changedEntries(before[i]!, after[i]!)) violations.push({ guarantee: "write", detail: `changed outside the scratch folder: ${join(dir, path)}` });
  });
  await rm(work, { recursive: true, force: true });

  let report: Report | undefined;
  try {
    report = runs.json ? (JSON.parse(runs.json.stdout) as Report) : undefined;
  } catch {
    report = undefined;
  }
  if (setup.mustReport && !report) violations.push({ guarantee: "availability", detail: `no JSON report came out (exit ${runs.json?.code ?? "?"})` });
  if (setup.hidden && report) {
    const why = setup.hidden(report);
    if (why) violations.push({ guarantee: "visible", detail: why });
  }
  if (setup.verdict && report) violations.push(...setup.verdict(report));
  return { violations, runs, ...(report ? { report } : {}), ms: Date.now() - started };
}

/**
 * A run that throws is what `bin/shipshape.js` would die of: Node prints the uncaught error's
 * stack on stderr, so that is what gets scanned.
 */
async function crashAsRun(run: Promise<CliRun>, formats: readonly string[], violations: Violation[]): Promise<CliRun> {
  try {
    return await run;
  } catch (err) {
    const e = err as Error;
    for (const format of formats) violations.push({ guarantee: "availability", detail: `the CLI crashed in ${format}: ${e.name}: ${String(e.message).slice(0, 60)}…` });
    return { code: -1, stdout: "", stderr: `${e.stack ?? String(e)}\n` };
  }
}

/** `hidden` for attacks that try to make a change of `kind` disappear without a loud finding. */
export function showsKind(kind: string): (report: Report) => string | undefined {
  return (report) => {
    if (report.changes.some((ch) => ch.kind === kind)) return undefined;
    if (report.findings.some((f) => f.severity === "error" && f.introduced)) return undefined;
    const targets = report.targets.filter((t) => t.affected).map((t) => `${t.id}: ${t.status}, ${t.resources.head} resources`);
    return `the ${kind} the head adds is not in the report and no error says why (risk ${report.risk?.level ?? "?"}; ${targets.join("; ") || "no affected target"})`;
  };
}
