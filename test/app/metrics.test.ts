import { describe, expect, it } from "vitest";
import { createMetrics, createRegistry, DURATION_BUCKETS, escapeLabelValue } from "../../src/app/metrics.js";

const EMPTY = [
  "# HELP shipshape_webhooks_total Webhook deliveries received, by event.",
  "# TYPE shipshape_webhooks_total counter",
  "# HELP shipshape_analysis_duration_seconds Time from the start of a review to its result, by outcome.",
  "# TYPE shipshape_analysis_duration_seconds histogram",
  "# HELP shipshape_renders_total Render targets of finished analyses, by type and status.",
  "# TYPE shipshape_renders_total counter",
  "# HELP shipshape_github_api_errors_total GitHub API requests that failed, by HTTP status.",
  "# TYPE shipshape_github_api_errors_total counter",
  "# HELP shipshape_queue_depth Reviews waiting to run.",
  "# TYPE shipshape_queue_depth gauge",
  "shipshape_queue_depth 0",
  "# HELP shipshape_queue_wait_seconds Time reviews waited in the queue before they started.",
  "# TYPE shipshape_queue_wait_seconds histogram",
  "# HELP shipshape_jobs_total Review jobs by outcome.",
  "# TYPE shipshape_jobs_total counter",
  "# HELP shipshape_job_retries_total Review attempts that failed transiently and were retried.",
  "# TYPE shipshape_job_retries_total counter",
  "shipshape_job_retries_total 0",
  "",
].join("\n");

describe("createMetrics", () => {
  it("lists every metric with HELP and TYPE before anything is recorded", () => {
    expect(createMetrics().render()).toBe(EMPTY);
  });

  it("renders counters, the gauge and the histogram in the exposition format", () => {
    const m = createMetrics();
    m.webhooks.inc({ event: "pull_request" });
    m.webhooks.inc({ event: "pull_request" });
    m.webhooks.inc({ event: "issue_comment" });
    m.analysisDuration.observe({ outcome: "success" }, 0.2);
    m.analysisDuration.observe({ outcome: "success" }, 7);
    m.analysisDuration.observe({ outcome: "success" }, 601);
    m.analysisDuration.observe({ outcome: "superseded" }, 1);
    m.renders.inc({ type: "helm", outcome: "rendered" });
    m.renders.inc({ type: "compose", outcome: "failed" }, 2);
    m.githubApiErrors.inc({ status: 502 });
    m.queueDepth.set(4);
    m.queueDepth.inc();
    m.queueDepth.dec(2);
    const bucket = (outcome: string, counts: number[]) =>
      [...DURATION_BUCKETS.map((b, i) => `shipshape_analysis_duration_seconds_bucket{outcome="${outcome}",le="${b}"} ${counts[i]}`)];
    expect(m.render()).toBe(
      [
        "# HELP shipshape_webhooks_total Webhook deliveries received, by event.",
        "# TYPE shipshape_webhooks_total counter",
        'shipshape_webhooks_total{event="issue_comment"} 1',
        'shipshape_webhooks_total{event="pull_request"} 2',
        "# HELP shipshape_analysis_duration_seconds Time from the start of a review to its result, by outcome.",
        "# TYPE shipshape_analysis_duration_seconds histogram",
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="0.5"} 1',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="1"} 1',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="2"} 1',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="5"} 1',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="10"} 2',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="30"} 2',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="60"} 2',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="120"} 2',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="300"} 2',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="600"} 2',
        'shipshape_analysis_duration_seconds_bucket{outcome="success",le="+Inf"} 3',
        'shipshape_analysis_duration_seconds_sum{outcome="success"} 608.2',
        'shipshape_analysis_duration_seconds_count{outcome="success"} 3',
        ...bucket("superseded", [0, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        'shipshape_analysis_duration_seconds_bucket{outcome="superseded",le="+Inf"} 1',
        'shipshape_analysis_duration_seconds_sum{outcome="superseded"} 1',
        'shipshape_analysis_duration_seconds_count{outcome="superseded"} 1',
        "# HELP shipshape_renders_total Render targets of finished analyses, by type and status.",
        "# TYPE shipshape_renders_total counter",
        'shipshape_renders_total{type="compose",outcome="failed"} 2',
        'shipshape_renders_total{type="helm",outcome="rendered"} 1',
        "# HELP shipshape_github_api_errors_total GitHub API requests that failed, by HTTP status.",
        "# TYPE shipshape_github_api_errors_total counter",
        'shipshape_github_api_errors_total{status="502"} 1',
        "# HELP shipshape_queue_depth Reviews waiting to run.",
        "# TYPE shipshape_queue_depth gauge",
        "shipshape_queue_depth 3",
        "# HELP shipshape_queue_wait_seconds Time reviews waited in the queue before they started.",
        "# TYPE shipshape_queue_wait_seconds histogram",
        "# HELP shipshape_jobs_total Review jobs by outcome.",
        "# TYPE shipshape_jobs_total counter",
        "# HELP shipshape_job_retries_total Review attempts that failed transiently and were retried.",
        "# TYPE shipshape_job_retries_total counter",
        "shipshape_job_retries_total 0",
        "",
      ].join("\n"),
    );
  });

  it("uses the fixed duration buckets, in seconds", () => {
    expect(DURATION_BUCKETS).toEqual([0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600]);
  });

  it("refuses to count down or record non-finite values", () => {
    const m = createMetrics();
    expect(() => m.webhooks.inc({ event: "ping" }, -1)).toThrow(RangeError);
    expect(() => m.analysisDuration.observe({ outcome: "failure" }, Number.NaN)).toThrow(RangeError);
    expect(() => m.queueDepth.set(Infinity)).toThrow(RangeError);
    expect(m.render()).toBe(EMPTY);
  });
});

describe("createRegistry", () => {
  it("escapes backslash, double quote and newline in label values, and backslash and newline in HELP", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const r = createRegistry();
    r.counter<{ path: string }>("t_total", 'Help with a \\ and\na "quote".', ["path"]).inc({ path: 'C:\\x "y"\nz' });
    expect(r.render()).toBe(['# HELP t_total Help with a \\\\ and\\na "quote".', "# TYPE t_total counter", 't_total{path="C:\\\\x \\"y\\"\\nz"} 1', ""].join("\n"));
  });

  it("renders a label-less counter at zero and histogram sums as plain numbers", () => {
    const r = createRegistry();
    r.counter("c_total", "C.", []);
    r.histogram("h_seconds", "H.", [], [1, 2.5]).observe({}, 0.25);
    expect(r.render()).toBe(
      [
        "# HELP c_total C.",
        "# TYPE c_total counter",
        "# HELP h_seconds H.",
        "# TYPE h_seconds histogram",
        'h_seconds_bucket{le="1"} 1',
        'h_seconds_bucket{le="2.5"} 1',
        'h_seconds_bucket{le="+Inf"} 1',
        "h_seconds_sum 0.25",
        "h_seconds_count 1",
        "",
      ].join("\n"),
    );
  });

  it("rejects bad names, duplicates, a reserved le label and unordered buckets", () => {
    const r = createRegistry();
    r.gauge("g", "G.");
    expect(() => r.gauge("g", "again")).toThrow(/registered twice/);
    expect(() => r.counter("bad-name", "x", [])).toThrow(/invalid metric name/);
    expect(() => r.counter("c", "x", ["bad-label"])).toThrow(/invalid label name/);
    expect(() => r.histogram("h", "x", ["le"], [1])).toThrow(/reserved/);
    expect(() => r.histogram("h2", "x", [], [2, 1])).toThrow(/increasing/);
  });
});
