/**
 * The App's metrics in the Prometheus text exposition format (version 0.0.4), without a
 * client library: a handful of counters, a gauge and a histogram are all Shipshape needs.
 * Output is deterministic (series sorted by label values) so it can be tested as text.
 */
import type { TargetStatus } from "../core/model/report.js";
import type { TargetType } from "../core/model/target.js";
import type { JobOutcome } from "./queue/port.js";

/** The Content-Type to serve `render()` with. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Seconds; an analysis takes from under a second (nothing affected) to minutes (big charts). */
export const DURATION_BUCKETS: readonly number[] = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];

/** Label values by label name; numbers (an HTTP status) are written as they print. */
export type LabelSet = Record<string, string | number>;

export interface Counter<L extends LabelSet> {
  inc(labels: L, by?: number): void;
}

export interface Gauge {
  set(value: number): void;
  inc(by?: number): void;
  dec(by?: number): void;
}

export interface Histogram<L extends LabelSet> {
  observe(labels: L, value: number): void;
}

export interface Registry {
  counter<L extends LabelSet>(name: string, help: string, labelNames: readonly (keyof L & string)[]): Counter<L>;
  gauge(name: string, help: string): Gauge;
  histogram<L extends LabelSet>(name: string, help: string, labelNames: readonly (keyof L & string)[], buckets: readonly number[]): Histogram<L>;
  /** Every metric as Prometheus text, in registration order. */
  render(): string;
}

/** Seconds a review waited in the queue: from enqueued to started (a burst of pushes, too few workers). */
export const WAIT_BUCKETS: readonly number[] = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

export type AnalysisOutcome = "success" | "failure" | "errored" | "superseded";

export interface Metrics {
  /** shipshape_webhooks_total{event} */
  webhooks: Counter<{ event: string }>;
  /** shipshape_analysis_duration_seconds{outcome} */
  analysisDuration: Histogram<{ outcome: AnalysisOutcome }>;
  /** shipshape_renders_total{type,outcome}: one per target of a finished analysis. */
  renders: Counter<{ type: TargetType; outcome: TargetStatus }>;
  /** shipshape_github_api_errors_total{status} */
  githubApiErrors: Counter<{ status: string | number }>;
  /** shipshape_queue_depth: reviews waiting to run. */
  queueDepth: Gauge;
  /** shipshape_queue_wait_seconds: from enqueued to the first start. */
  queueWait: Histogram<Record<string, never>>;
  /** shipshape_jobs_total{outcome}: review jobs by how they ended (handed_back: to another worker on shutdown). */
  jobs: Counter<{ outcome: JobOutcome }>;
  /** shipshape_job_retries_total: attempts that failed transiently and were queued again. */
  retries: Counter<Record<string, never>>;
  render(): string;
}

export function createMetrics(): Metrics {
  const registry = createRegistry();
  const metrics: Metrics = {
    webhooks: registry.counter("shipshape_webhooks_total", "Webhook deliveries received, by event.", ["event"]),
    analysisDuration: registry.histogram(
      "shipshape_analysis_duration_seconds",
      "Time from the start of a review to its result, by outcome.",
      ["outcome"],
      DURATION_BUCKETS,
    ),
    renders: registry.counter("shipshape_renders_total", "Render targets of finished analyses, by type and status.", ["type", "outcome"]),
    githubApiErrors: registry.counter("shipshape_github_api_errors_total", "GitHub API requests that failed, by HTTP status.", ["status"]),
    queueDepth: registry.gauge("shipshape_queue_depth", "Reviews waiting to run."),
    queueWait: registry.histogram("shipshape_queue_wait_seconds", "Time reviews waited in the queue before they started.", [], WAIT_BUCKETS),
    jobs: registry.counter("shipshape_jobs_total", "Review jobs by outcome.", ["outcome"]),
    retries: registry.counter("shipshape_job_retries_total", "Review attempts that failed transiently and were retried.", []),
    render: () => registry.render(),
  };
  // A label-less counter shows its zero from the start, so a rate() over it never lacks a series.
  metrics.retries.inc({}, 0);
  return metrics;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Family {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  lines(): string[];
}

export function createRegistry(): Registry {
  const families: Family[] = [];
  const add = (family: Family) => {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name "${family.name}"`);
    if (families.some((f) => f.name === family.name)) throw new Error(`metric "${family.name}" registered twice`);
    families.push(family);
  };
  return {
    counter(name, help, labelNames) {
      checkLabelNames(name, labelNames);
      const series = new Series<number>(labelNames, () => 0);
      add({ name, help, type: "counter", lines: () => series.entries().map(([labels, value]) => sample(name, labels, value)) });
      return {
        inc(labels, by = 1) {
          if (!Number.isFinite(by) || by < 0) throw new RangeError(`${name}: a counter only goes up by a finite amount, got ${by}`);
          series.update(labels, (v) => v + by);
        },
      };
    },
    gauge(name, help) {
      let value = 0;
      add({ name, help, type: "gauge", lines: () => [sample(name, [], value)] });
      const set = (next: number) => {
        if (!Number.isFinite(next)) throw new RangeError(`${name}: a gauge takes finite values, got ${next}`);
        value = next;
      };
      return { set, inc: (by = 1) => set(value + by), dec: (by = 1) => set(value - by) };
    },
    histogram(name, help, labelNames, buckets) {
      checkLabelNames(name, labelNames);
      if (labelNames.some((l) => l === "le")) throw new Error(`${name}: "le" is reserved for histogram buckets`);
      const bounds = [...buckets];
      if (bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]!))) throw new Error(`${name}: buckets must be finite and increasing`);
      const series = new Series<HistogramValue>(labelNames, () => ({ counts: bounds.map(() => 0), sum: 0, count: 0 }));
      add({ name, help, type: "histogram", lines: () => series.entries().flatMap(([labels, h]) => histogramLines(name, labels, bounds, h)) });
      return {
        observe(labels, value) {
          if (!Number.isFinite(value)) throw new RangeError(`${name}: observations must be finite, got ${value}`);
          series.update(labels, (h) => ({
            counts: h.counts.map((c, i) => (value <= bounds[i]! ? c + 1 : c)),
            sum: h.sum + value,
            count: h.count + 1,
          }));
        },
      };
    },
    render() {
      return families.map((f) => [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`, ...f.lines()].join("\n") + "\n").join("");
    },
  };
}

interface HistogramValue {
  /** Observations at or below each bound: cumulative, as the format wants them. */
  counts: number[];
  sum: number;
  count: number;
}

type LabelPairs = readonly (readonly [string, string])[];

/** Values by label set; the key is the label values in the declared order. */
class Series<V> {
  private readonly values = new Map<string, { labels: LabelPairs; value: V }>();

  constructor(
    private readonly labelNames: readonly string[],
    private readonly initial: () => V,
  ) {}

  update(labels: LabelSet, change: (value: V) => V): void {
    const pairs = this.labelNames.map((n) => [n, String(labels[n] ?? "")] as const);
    const key = JSON.stringify(pairs.map(([, v]) => v));
    const entry = this.values.get(key);
    this.values.set(key, { labels: pairs, value: change(entry ? entry.value : this.initial()) });
  }

  entries(): [LabelPairs, V][] {
    return [...this.values]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => [e.labels, e.value]);
  }
}

function histogramLines(name: string, labels: LabelPairs, bounds: readonly number[], h: HistogramValue): string[] {
  const lines = bounds.map((b, i) => sample(`${name}_bucket`, [...labels, ["le", formatNumber(b)]], h.counts[i]!));
  lines.push(sample(`${name}_bucket`, [...labels, ["le", "+Inf"]], h.count));
  lines.push(sample(`${name}_sum`, labels, h.sum));
  lines.push(sample(`${name}_count`, labels, h.count));
  return lines;
}

function sample(name: string, labels: LabelPairs, value: number): string {
  const set = labels.length > 0 ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}` : "";
  return `${name}${set} ${formatNumber(value)}`;
}

function checkLabelNames(metric: string, labelNames: readonly string[]): void {
  for (const l of labelNames) {
    if (!LABEL_NAME.test(l) || l.startsWith("__")) throw new Error(`${metric}: invalid label name "${l}"`);
  }
  if (new Set(labelNames).size !== labelNames.length) throw new Error(`${metric}: duplicate label names`);
}

/** The exposition format: backslash, double quote and line feed are escaped in label values. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escapes only backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatNumber(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (Number.isNaN(value)) return "NaN";
  return String(value);
}
