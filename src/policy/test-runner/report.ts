/**
 * Printing a `policy test` run: text (a line per entry, the unsupported reasons, a closing
 * `N passed, N failed, N skipped` line), JSON (a summary and one record per entry) or JUnit XML
 * (a testsuite per test file, a testcase per entry) for CI systems that show test reports.
 */
import type { EntryRecord, TestReport } from "./run.js";

export type ReportFormat = "text" | "json" | "junit";
export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "junit"];

const LABELS: Record<EntryRecord["outcome"], string> = { pass: "PASS", fail: "FAIL", skip: "SKIP", unsupported: "UNSUPPORTED" };
const SHOWN_REASONS = 10;

const FORMATTERS: Record<ReportFormat, (report: TestReport) => string> = { text, json, junit };

export function formatReport(report: TestReport, format: ReportFormat): string {
  return FORMATTERS[format](report);
}

function text(report: TestReport): string {
  const out: string[] = [];
  for (const f of report.files) {
    out.push(`--- ${f.file}${f.test ? ` (${f.test})` : ""}`);
    for (const e of f.entries) out.push(`${LABELS[e.outcome].padEnd(11)} ${e.policy}/${e.rule} ${e.resource} (${e.detail})`);
  }
  for (const e of report.setupErrors) out.push(`ERROR       ${e.file}: test could not run: ${e.message}`);
  const s = report.summary;
  out.push(`${s.unsupported} unsupported${s.unsupported > 0 ? ":" : ""}`);
  for (const r of s.unsupportedReasons.slice(0, SHOWN_REASONS)) out.push(`  ${String(r.count).padStart(4)}  ${r.reason}`);
  const more = s.unsupportedReasons.slice(SHOWN_REASONS);
  if (more.length > 0) out.push(`  ${String(more.reduce((n, r) => n + r.count, 0)).padStart(4)}  (${more.length} other reasons; --format json lists every entry)`);
  if (s.errors > 0) out.push(`${s.errors} test file${s.errors === 1 ? "" : "s"} could not run`);
  out.push(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  return `${out.join("\n")}\n`;
}

function json(report: TestReport): string {
  const { exitCode: _exit, ...summary } = report.summary;
  const entries = report.files.flatMap((f) =>
    f.entries.map((e) => ({ file: e.file, test: e.test, policy: e.policy, rule: e.rule, kind: e.kind, resource: e.resource, expected: e.expected, actual: e.actual, outcome: e.outcome, detail: e.detail })),
  );
  return `${JSON.stringify({ summary, entries, setupErrors: report.setupErrors }, null, 2)}\n`;
}

function xml(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; markup characters are escaped.
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function testcase(e: EntryRecord): string {
  const open = `    <testcase classname="${xml(e.policy)}" name="${xml(`${e.rule} ${e.resource} (want ${e.expected})`)}"`;
  if (e.outcome === "fail") return `${open}>\n      <failure message="${xml(e.detail)}"/>\n    </testcase>`;
  if (e.outcome === "unsupported") return `${open}>\n      <skipped message="${xml(`unsupported: ${e.detail}`)}"/>\n    </testcase>`;
  return `${open}/>`;
}

function junit(report: TestReport): string {
  const s = report.summary;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="shipshape policy test" tests="${s.entries + s.errors}" failures="${s.failed}" errors="${s.errors}" skipped="${s.unsupported}">`,
  ];
  for (const f of report.files) {
    const failures = f.entries.filter((e) => e.outcome === "fail").length;
    const skipped = f.entries.filter((e) => e.outcome === "unsupported").length;
    lines.push(`  <testsuite name="${xml(f.file)}" tests="${f.entries.length}" failures="${failures}" errors="0" skipped="${skipped}">`);
    lines.push(...f.entries.map(testcase));
    lines.push(`  </testsuite>`);
  }
  for (const e of report.setupErrors) {
    lines.push(`  <testsuite name="${xml(e.file)}" tests="1" failures="0" errors="1" skipped="0">`);
    lines.push(`    <testcase classname="setup" name="${xml(e.file)}">\n      <error message="${xml(e.message)}"/>\n    </testcase>`);
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`);
  return `${lines.join("\n")}\n`;
}
