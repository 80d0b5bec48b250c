/**
 * Compares a JSON report with what a correct review of a real case shows. Returns every
 * mismatch as one readable line, so a failing case says all that is wrong with it at once.
 */
import type { CaseExpectations, ExpectedChange, FileAccount, FindingPattern, RealCase, RiskLevel } from "./cases.js";

const RISK_ORDER: RiskLevel[] = ["none", "low", "medium", "high", "critical"];

/** The parts of the report this check reads; `coverage` is the section issue 12 adds. */
export interface ReportView {
  targets: { id: string; status: string; error?: string }[];
  changes: { target: string; action: string; kind: string; namespace: string; name: string; diff?: string }[];
  findings: { ruleId: string; file?: string; line?: number; introduced: boolean; message: string; target: string }[];
  risk?: { level: RiskLevel; reasons: { ruleId: string; level: RiskLevel; kind: string; namespace: string; name: string; target: string }[] };
  coverage?: {
    changedFiles: number;
    reviewed: { file: string; targets: string[] }[];
    notInfrastructure: number;
    notReviewed: { file: string; reason: string; message: string; targets?: string[] }[];
  };
}

export interface Mismatch {
  expectation: "report" | "changes" | "diff" | "noFalseRemoval" | "maxRisk" | "minRisk" | "files" | "requiredFindings" | "forbiddenFindings" | "introduced" | "exitCode";
  text: string;
}

export function compareCase(c: RealCase, report: ReportView, exitCode: number, changed: string[]): Mismatch[] {
  const e = c.expect;
  return [
    ...compareChanges(e.changes, report),
    ...falseRemovals(report),
    ...compareRisk(e.maxRisk, e.minRisk, report),
    ...compareFiles(e.files, changed, report),
    ...compareFindings(e, report),
    ...compareDiffs(e, report),
    ...(e.exitCode !== undefined && e.exitCode !== exitCode
      ? [{ expectation: "exitCode" as const, text: `exit code ${exitCode}, expected ${e.exitCode}` }]
      : []),
  ];
}

const changeKey = (c: { kind: string; namespace?: string; name: string; action: string }): string =>
  `${c.action} ${c.kind} ${c.namespace === undefined ? "*" : c.namespace || "-"}/${c.name}`;

function compareChanges(expected: ExpectedChange[], report: ReportView): Mismatch[] {
  const out: Mismatch[] = [];
  const actual = new Map<string, ReportView["changes"][number]>();
  for (const ch of report.changes) actual.set(`${ch.target}\u0000${changeKey(ch)}`, ch);
  const matches = (exp: ExpectedChange, ch: ReportView["changes"][number]): boolean =>
    changeKey({ ...exp, namespace: exp.namespace ?? ch.namespace }) === changeKey(ch) && (exp.target === undefined || exp.target === ch.target);
  const unexpected = [...actual.values()].filter((ch) => !expected.some((exp) => matches(exp, ch)));
  const missing = expected.filter((exp) => ![...actual.values()].some((ch) => matches(exp, ch)));
  for (const exp of missing) out.push({ expectation: "changes", text: `missing change: ${changeKey(exp)} in ${exp.target ?? "any target"}` });
  const shown = unexpected.slice(0, 12);
  for (const ch of shown) out.push({ expectation: "changes", text: `unexpected change: ${changeKey(ch)} in ${ch.target}` });
  if (unexpected.length > shown.length) {
    out.push({ expectation: "changes", text: `… and ${unexpected.length - shown.length} more unexpected changes (${summarise(unexpected.slice(shown.length).map((c) => c.action))})` });
  }
  return out;
}

/** A removal of an identity that the same target still shows as added or modified. */
function falseRemovals(report: ReportView): Mismatch[] {
  const id = (c: ReportView["changes"][number]): string => `${c.target}\u0000${c.kind}\u0000${c.namespace}\u0000${c.name}`;
  const present = new Set(report.changes.filter((c) => c.action !== "removed").map(id));
  return report.changes
    .filter((c) => c.action === "removed" && present.has(id(c)))
    .map((c) => ({ expectation: "noFalseRemoval" as const, text: `${c.kind} ${c.namespace || "-"}/${c.name} in ${c.target} is reported removed and also still there` }));
}

function compareDiffs(e: CaseExpectations, report: ReportView): Mismatch[] {
  const out: Mismatch[] = [];
  for (const x of e.diffExcludes ?? []) {
    const re = new RegExp(x.pattern);
    for (const ch of report.changes.filter((c) => c.kind === x.kind && c.name === x.name)) {
      const lines = (ch.diff ?? "").split("\n").filter((l) => /^[-+](?![-+]{2} )/.test(l) && re.test(l));
      if (lines.length) out.push({ expectation: "diff", text: `${x.kind} ${x.name} in ${ch.target}: the diff shows ${lines.length} lines matching /${x.pattern}/, e.g. ${(lines[0] ?? "").trim()}` });
    }
  }
  return out;
}

function compareRisk(max: RiskLevel, min: RiskLevel | undefined, report: ReportView): Mismatch[] {
  const level = report.risk?.level ?? "none";
  if (min !== undefined && RISK_ORDER.indexOf(level) < RISK_ORDER.indexOf(min)) {
    return [{ expectation: "minRisk", text: `risk ${level}, the real changes reach at least ${min}` }];
  }
  if (RISK_ORDER.indexOf(level) <= RISK_ORDER.indexOf(max)) return [];
  const over = (report.risk?.reasons ?? []).filter((r) => RISK_ORDER.indexOf(r.level) > RISK_ORDER.indexOf(max));
  const why = over.slice(0, 4).map((r) => `${r.ruleId} on ${r.kind} ${r.namespace || "-"}/${r.name}`);
  return [{ expectation: "maxRisk", text: `risk ${level}, at most ${max} is justified (${over.length} reasons above: ${why.join("; ")}${over.length > 4 ? "; …" : ""})` }];
}

function compareFiles(expected: Record<string, FileAccount>, changed: string[], report: ReportView): Mismatch[] {
  const out: Mismatch[] = [];
  const listed = Object.keys(expected).sort();
  // The case itself must account for exactly the files that differ between base/ and head/.
  for (const f of changed) if (!(f in expected)) out.push({ expectation: "files", text: `case.json does not account for changed file ${f}` });
  for (const f of listed) if (!changed.includes(f)) out.push({ expectation: "files", text: `case.json lists ${f}, which the change does not touch` });
  const cov = report.coverage;
  if (!cov) return [...out, { expectation: "files", text: "the report has no coverage section" }];
  if (cov.changedFiles !== changed.length) out.push({ expectation: "files", text: `coverage.changedFiles is ${cov.changedFiles}, the change touches ${changed.length} files` });
  const reviewed = new Map(cov.reviewed.map((r) => [r.file, r]));
  const notReviewed = new Map(cov.notReviewed.map((r) => [r.file, r]));
  let notInfra = 0;
  for (const [f, want] of Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))) {
    const got = reviewed.has(f) ? "reviewed" : notReviewed.has(f) ? `notReviewed(${notReviewed.get(f)?.reason})` : "not-infrastructure";
    const wanted = typeof want === "string" ? want : `notReviewed(${want.notReviewed})`;
    if (want === "not-infrastructure") notInfra++;
    if (got !== wanted) out.push({ expectation: "files", text: `${f}: ${got}, expected ${wanted}` });
  }
  if (cov.notInfrastructure !== notInfra) out.push({ expectation: "files", text: `coverage.notInfrastructure is ${cov.notInfrastructure}, expected ${notInfra}` });
  for (const f of [...reviewed.keys(), ...notReviewed.keys()]) {
    if (!changed.includes(f)) out.push({ expectation: "files", text: `coverage lists ${f}, which the change does not touch` });
  }
  return out;
}

const matchesPattern = (p: FindingPattern, f: ReportView["findings"][number]): boolean =>
  p.ruleId === f.ruleId && (p.file === undefined || p.file === f.file) && (p.filePrefix === undefined || (f.file ?? "").startsWith(p.filePrefix));

const patternText = (p: FindingPattern): string => `${p.ruleId}${p.file ? ` at ${p.file}` : ""}${p.filePrefix ? ` under ${p.filePrefix}` : ""}`;
const findingText = (f: ReportView["findings"][number]): string => `${f.ruleId} at ${f.file ?? "-"}${f.line ? `:${f.line}` : ""} (${f.target})`;

function compareFindings(e: CaseExpectations, report: ReportView): Mismatch[] {
  const out: Mismatch[] = [];
  for (const p of e.requiredFindings ?? []) {
    if (!report.findings.some((f) => matchesPattern(p, f))) {
      const near = report.findings.filter((f) => f.ruleId === p.ruleId || f.file === p.file).slice(0, 3).map(findingText);
      out.push({ expectation: "requiredFindings", text: `missing finding ${patternText(p)}${near.length ? ` (nearest: ${near.join("; ")})` : ""}` });
    }
  }
  for (const p of e.forbiddenFindings ?? []) {
    const hits = report.findings.filter((f) => matchesPattern(p, f));
    if (hits.length) out.push({ expectation: "forbiddenFindings", text: `${hits.length} × ${patternText(p)}, e.g. ${hits.slice(0, 1).map(findingText).join("")}` });
  }
  const allowed = new Set(e.introducedAllowed ?? []);
  const intro = report.findings.filter((f) => f.introduced && !allowed.has(f.ruleId));
  if (intro.length) {
    out.push({ expectation: "introduced", text: `${intro.length} findings introduced that the change does not cause: ${summarise(intro.map((f) => f.ruleId))}; e.g. ${intro.slice(0, 1).map(findingText).join("")}` });
  }
  return out;
}

function summarise(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(", ");
}
