/**
 * The coverage part of the comment: how the changed files were accounted for, the parts
 * rendered alone, the folders handed to GitOps applications, objects moved between folders,
 * and each file not reviewed with why. Bounded (at most MAX_LISTED_FILES rows of each list), so it never needs cutting to fit.
 */
import type { Report } from "../../core/model/report.js";
import { coverageHeadline, handoverLine, movedFromLine, MAX_LISTED_FILES, notReviewedPhrase, standaloneLine } from "../coverage.js";
import { clipText, escapeMarkdown, markdownCode } from "./escape.js";

/** A reason is one sentence; a pathological one must not crowd out the rest. */
const MAX_MESSAGE = 400;

export function coverageMarkdown(report: Report): string {
  const coverage = report.coverage;
  if (!coverage || coverage.changedFiles === 0) return "";
  const alone = report.targets.filter((t) => t.standaloneFor).map((t) => `- 🔎 ${escapeMarkdown(standaloneLine(t))}\n`);
  const handovers = report.targets.filter((t) => t.handover);
  const handedOver = handovers.slice(0, MAX_LISTED_FILES).map((t) => `- ↪️ ${escapeMarkdown(clipText(handoverLine(t), MAX_MESSAGE))}\n`);
  const movedTo = report.targets.filter((t) => t.movedFrom);
  const movedIn = movedTo.slice(0, MAX_LISTED_FILES).map((t) => `- 🚚 ${escapeMarkdown(clipText(movedFromLine(t), MAX_MESSAGE))}\n`);
  if (movedTo.length > movedIn.length) movedIn.push(`- _…and ${movedTo.length - movedIn.length} more targets objects moved to; the JSON report lists them all_\n`);
  if (handovers.length > handedOver.length) handedOver.push(`- _…and ${handovers.length - handedOver.length} more folders handed to applications; the JSON report lists them all_\n`);
  const listed = coverage.notReviewed.slice(0, MAX_LISTED_FILES);
  const rows = listed.map((e) => `- ${markdownCode(e.file)}: ${escapeMarkdown(clipText(e.message, MAX_MESSAGE))} (${e.reason})\n`);
  const more = coverage.notReviewed.length > listed.length ? `- _…and ${coverage.notReviewed.length - listed.length} more; the JSON report lists them all_\n` : "";
  const warning = notReviewedPhrase(coverage) ? `⚠️ **${notReviewedPhrase(coverage)}**\n\n` : "";
  const list = [...alone, ...handedOver, ...movedIn, ...rows, more].join("");
  return `**Coverage**: ${escapeMarkdown(coverageHeadline(coverage))}\n\n${warning}${list}${list ? "\n" : ""}`;
}
