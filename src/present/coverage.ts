/**
 * The words every format uses for coverage, so the terminal, the comment, the check run
 * and SARIF agree on what "not reviewed" means and how it is counted.
 */
import type { CoverageReport, NotReviewedFile, TargetReport } from "../core/model/report.js";
import { plural } from "./format.js";

/** Files listed by name in the human formats; the JSON report has them all. */
export const MAX_LISTED_FILES = 20;

/** "4 changed files: 2 reviewed, 1 not infrastructure, 1 not reviewed". */
export function coverageHeadline(coverage: CoverageReport): string {
  const parts = [
    `${coverage.reviewed.length} reviewed`,
    ...(coverage.notInfrastructure > 0 ? [`${coverage.notInfrastructure} not infrastructure`] : []),
    ...(coverage.notReviewed.length > 0 ? [`${coverage.notReviewed.length} not reviewed`] : []),
  ];
  return `${plural(coverage.changedFiles, "changed file")}: ${parts.join(", ")}`;
}

/**
 * Not-reviewed files that call for attention: all but those the config's `ignore` globs leave
 * out on purpose (still listed, never counted in a headline or a title).
 */
export function unexpectedNotReviewed(coverage: CoverageReport | undefined): number {
  return coverage?.notReviewed.filter((e) => e.reason !== "ignored").length ?? 0;
}

/** "2 changed files not reviewed"; empty when none call for attention. */
export function notReviewedPhrase(coverage: CoverageReport | undefined): string {
  const n = unexpectedNotReviewed(coverage);
  return n > 0 ? `${plural(n, "changed file")} not reviewed` : "";
}

/** "path: why [reason]", one line, for the plain formats. */
export function notReviewedLine(entry: NotReviewedFile): string {
  return `${entry.file}: ${entry.message} [${entry.reason}]`;
}

/** "overlays/kubeflow was rendered alone: example, which builds on it, did not render". */
export function standaloneLine(target: TargetReport): string {
  const users = target.standaloneFor ?? [];
  const verb = users.length === 1 ? "builds" : "build";
  const did = users.length === 1 ? "did not render" : "did not render either";
  return `${target.id} was rendered alone: ${users.join(", ")}, which ${verb} on it, ${did}`;
}

/**
 * "apps/billing/envs/prod-us is deployed by argocd:argocd/billing-prod-us from this change on:
 * its objects are reviewed there".
 */
export function handoverLine(target: TargetReport): string {
  const h = target.handover;
  if (!h) return "";
  const apps = h.applications.join(", ");
  return h.side === "head"
    ? `${target.id} is deployed by ${apps} from this change on: its objects are reviewed there, not listed as removed`
    : `${target.id} is no longer deployed by ${apps}: it is reviewed as a folder from now on, its objects not listed as added`;
}

/** "cluster/console: 1 object moved here from cluster (listed only where its content changed)". */
export function movedFromLine(target: TargetReport): string {
  const from = (target.movedFrom ?? []).map((m) => `${plural(m.objects, "object")} from ${m.target}`).join(", ");
  return from ? `${target.id}: ${from} moved here, not removed and added (listed only where their content changed)` : "";
}
