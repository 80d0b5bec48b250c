/**
 * The report as a SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.
 *
 * Only findings the change introduces go in: pre-existing ones are not the pull request's
 * doing (they are counted in the run's properties). Waived findings go in with a
 * suppression, which code scanning shows as dismissed. Output is a pure function of the
 * report: results and rules are sorted, so two runs on the same input diff cleanly.
 */
import { severityRank, type Finding, type Severity, type Waiver } from "../../core/model/finding.js";
import type { CoverageReport, Report } from "../../core/model/report.js";
import { describeRef } from "../../core/model/resource.js";
import { controllerOf, type Controller } from "../../core/model/target.js";
import { describeRule } from "./rule-help.js";
import type { SarifInvocation, SarifLevel, SarifLocation, SarifLog, SarifReportingDescriptor, SarifResult, SarifSuppression } from "./sarif-log.js";

export interface SarifOptions {
  /** Shipshape's version: `semanticVersion` when it is SemVer, else `version`; left out when absent. */
  toolVersion?: string;
  /** Where to read about Shipshape (an absolute URI); left out when absent. */
  informationUri?: string;
}

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
/** Key of the finding's stable id in `partialFingerprints`; bump the version if the id's recipe changes. */
export const FINDING_ID_FINGERPRINT = "shipshapeFindingId/v2";
/** Paths are repository-relative; code scanning resolves this base to the checkout. */
const SOURCE_ROOT = "%SRCROOT%";

const LEVELS: Readonly<Record<Severity, SarifLevel>> = { error: "error", warning: "warning", info: "note" };
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function renderSarif(report: Report, options: SarifOptions = {}): string {
  const findings = sortForSarif(report.findings.filter((f) => f.introduced));
  const rules = ruleDescriptors(findings);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const targetPaths = new Map(report.targets.map((t) => [t.id, t.path]));
  const controllers = new Map(report.targets.flatMap((t) => (controllerOf(t.type) ? [[t.id, controllerOf(t.type)!] as const] : [])));
  const version = options.toolVersion;
  const log: SarifLog = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Shipshape",
            ...(version === undefined ? {} : SEMVER.test(version) ? { semanticVersion: version } : { version }),
            ...(options.informationUri === undefined ? {} : { informationUri: options.informationUri }),
            rules,
          },
        },
        ...(report.coverage && report.coverage.notReviewed.length > 0 ? { invocations: [notReviewedInvocation(report.coverage)] } : {}),
        results: findings.map((f) => toResult(f, ruleIndex.get(f.ruleId) ?? 0, targetPaths, controllers.get(f.target))),
        properties: {
          base: report.base.ref,
          head: report.head.ref,
          preExistingFindings: report.findings.length - findings.length,
          ...(report.resolved ? { resolvedFindings: report.resolved.length } : {}),
          ...(report.outcome ? { outcome: { exitCode: report.outcome.exitCode, failOn: report.outcome.failOn, reason: report.outcome.reason } } : {}),
          ...(report.coverage ? { coverage: coverageCounts(report.coverage) } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * Files the change touches that were not reviewed are facts about this run, not problems in
 * the code: they go in as tool notifications, never as alerts a later run would "fix".
 */
function notReviewedInvocation(coverage: CoverageReport): SarifInvocation {
  return {
    executionSuccessful: true,
    toolExecutionNotifications: coverage.notReviewed.map((e) => ({
      level: "warning",
      message: { text: `${e.file} was not reviewed: ${e.message}` },
      descriptor: { id: `coverage/${e.reason}` },
      locations: [physicalLocation(e.file, undefined)],
    })),
  };
}

function coverageCounts(coverage: CoverageReport): Record<string, number> {
  return {
    changedFiles: coverage.changedFiles,
    reviewed: coverage.reviewed.length,
    notInfrastructure: coverage.notInfrastructure,
    notReviewed: coverage.notReviewed.length,
  };
}

/**
 * Most severe first, then by rule, place and id: an order that does not depend on the
 * order the pipeline happened to produce findings in.
 */
function sortForSarif(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [f.ruleId, f.file ?? f.target, String(f.line ?? 0).padStart(9, "0"), f.id];
  return [...findings].sort((a, b) => {
    const bySeverity = severityRank(b.severity) - severityRank(a.severity);
    if (bySeverity !== 0) return bySeverity;
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i]! !== kb[i]!) return ka[i]! < kb[i]! ? -1 : 1;
    }
    return 0;
  });
}

/** One descriptor per rule id, sorted by id; its default level is the most severe seen. */
function ruleDescriptors(findings: readonly Finding[]): SarifReportingDescriptor[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const ids = [...byRule.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.map((id) => {
    const group = byRule.get(id)!;
    const first = group[0]!;
    const severity = group.reduce<Severity>((max, f) => (severityRank(f.severity) > severityRank(max) ? f.severity : max), "info");
    const docs = describeRule(id, first.message);
    return {
      id,
      shortDescription: { text: docs.shortDescription },
      fullDescription: docs.fullDescription,
      help: docs.help,
      defaultConfiguration: { level: LEVELS[severity] },
      properties: { tags: [first.source] },
    };
  });
}

function toResult(finding: Finding, ruleIndex: number, targetPaths: ReadonlyMap<string, string>, controller: Controller | undefined): SarifResult {
  const locations = findingLocations(finding, targetPaths);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: finding.resource ? `${describeRef(finding.resource)}: ${finding.message}` : finding.message },
    ...(locations ? { locations } : {}),
    partialFingerprints: { [FINDING_ID_FINGERPRINT]: finding.id },
    ...(finding.waived ? { suppressions: [toSuppression(finding.waived)] } : {}),
    properties: resultProperties(finding, controller),
  };
}

/**
 * The finding's file and line; without a file, the target's folder (a render failure is
 * about the target as a whole); without either, none. Code scanning rejects a whole upload
 * holding a result without a location, which is why the target is used when it can be.
 */
function findingLocations(finding: Finding, targetPaths: ReadonlyMap<string, string>): SarifLocation[] | undefined {
  if (finding.file) return [physicalLocation(finding.file, finding.line)];
  const targetPath = targetPaths.get(finding.target) ?? finding.target.replace(/#.*$/, "");
  if (targetPath === "" || targetPath === ".") return undefined;
  return [physicalLocation(targetPath, undefined)];
}

function physicalLocation(path: string, line: number | undefined): SarifLocation {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(path), uriBaseId: SOURCE_ROOT },
      // SARIF lines start at 1; a 0 or a fraction means "unknown" here.
      ...(line !== undefined && Number.isInteger(line) && line >= 1 ? { region: { startLine: line } } : {}),
    },
  };
}

/** A repository path as a relative URI reference: each segment percent-encoded, so `#`, `?`, `%` and spaces stay part of the path. */
function toUri(path: string): string {
  return path
    .replace(/^(?:\.\/)+/, "")
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/**
 * An annotation on the resource is a suppression in the source; a config waiver or a
 * waive command in the pull request is external to it. Config and annotation waivers are
 * written at a `file:line`, which becomes the suppression's location.
 */
function toSuppression(waiver: Waiver): SarifSuppression {
  const where = waiver.source === "config" || waiver.source === "annotation" ? /^(.+):(\d+)$/.exec(waiver.where) : null;
  return {
    kind: waiver.source === "annotation" ? "inSource" : "external",
    status: "accepted",
    justification: waiver.reason,
    ...(where ? { location: physicalLocation(where[1]!, Number(where[2])) } : {}),
    properties: { source: waiver.source, where: waiver.where, ...(waiver.expires ? { expires: waiver.expires } : {}) },
  };
}

/** `controller` (argocd, flux) when the finding's target is a GitOps application, as in the JSON report. */
function resultProperties(finding: Finding, controller: Controller | undefined): Record<string, unknown> {
  const r = finding.resource;
  return {
    source: finding.source,
    severity: finding.severity,
    target: finding.target,
    ...(controller ? { controller } : {}),
    ...(r ? { resource: { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name } } : {}),
    ...(finding.path ? { path: finding.path } : {}),
  };
}
