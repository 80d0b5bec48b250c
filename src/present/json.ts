/**
 * The machine-readable report. Keys come out in a fixed order, whatever order the
 * pipeline built the objects in, so two runs on the same input diff cleanly and the
 * JSON reads top-down like the other formats.
 */
import type { Report } from "../core/model/report.js";

const REPORT_KEYS = ["schemaVersion", "base", "head", "targets", "changes", "findings"];
const TARGET_KEYS = ["id", "type", "path", "affected", "status", "renderer", "resources", "durationMs", "error"];
const RENDERER_KEYS = ["name", "version", "path"];
const COUNT_KEYS = ["base", "head"];
const CHANGE_KEYS = ["target", "action", "apiVersion", "kind", "namespace", "name", "previousName", "summary", "diff"];
const FINDING_KEYS = [
  "id",
  "source",
  "ruleId",
  "severity",
  "message",
  "target",
  "resource",
  "file",
  "line",
  "introduced",
];
const REF_KEYS = ["apiVersion", "kind", "namespace", "name"];

export function renderJson(report: Report): string {
  return `${JSON.stringify(orderReport(report), null, 2)}\n`;
}

function orderReport(report: Report): Record<string, unknown> {
  const ordered = orderKeys(report, REPORT_KEYS);
  ordered.base = orderKeys(report.base, ["ref"]);
  ordered.head = orderKeys(report.head, ["ref"]);
  ordered.targets = report.targets.map((t) => {
    const target = orderKeys(t, TARGET_KEYS);
    target.renderer = orderKeys(t.renderer, RENDERER_KEYS);
    target.resources = orderKeys(t.resources, COUNT_KEYS);
    return target;
  });
  ordered.changes = report.changes.map((c) => orderKeys(c, CHANGE_KEYS));
  ordered.findings = report.findings.map((f) => {
    const finding = orderKeys(f, FINDING_KEYS);
    if (f.resource) finding.resource = orderKeys(f.resource, REF_KEYS);
    return finding;
  });
  return ordered;
}

/**
 * Known keys first in the given order, then any others (added by later features such
 * as cost or risk) sorted by name. Values are kept as they are.
 */
function orderKeys(value: object, known: readonly string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of known) {
    if (Object.hasOwn(source, key)) out[key] = source[key];
  }
  const rest = Object.keys(source)
    .filter((k) => !known.includes(k))
    .sort();
  for (const key of rest) out[key] = source[key];
  return out;
}
