/**
 * Shipshape reviews a pull request (the diff from its base to its head), but GitHub keeps check
 * runs per commit, and branch protection reads the newest run of each name on the head commit,
 * whichever pull request it was computed for. Someone who can push branches (the pull request's
 * author, usually) can therefore make the head's checks come from a diff that is not the one
 * being merged:
 * - by changing the pull request's base after its review (`pull_request.edited` with
 *   `changes.base`): opened against a branch that already holds the risky change, then retargeted
 *   to main;
 * - by opening a second pull request with the same head against such a branch: its review,
 *   green, is the newest run on the shared head commit.
 * The head's `Shipshape / approval` must not be green while the change into main needs approval.
 */
import { HEAD_SHA, pullRequestPayload } from "../../../app/helpers/payloads.js";
import { CHECK_NAMES } from "../../../../src/github/checks.js";
import type { CorpusGitHub } from "../harness/app.js";
import { reviewOnce, type AppCase } from "../harness/app-case.js";
import type { Violation } from "../harness/scan.js";
import { riskyPullRequest } from "./approvals.js";
import { configMap, CRB } from "./fixtures.js";

const MAIN = { "app/cm.yaml": configMap("settings", { a: "b" }) };
const RISKY = { ...MAIN, "app/crb.yaml": CRB };
const MAIN_SHA = "7".repeat(40);
/** A branch holding the risky change already (the author pushed it). */
const RISKY_BASE_SHA = "8".repeat(40);

/** The check GitHub reads for the head: the newest `Shipshape / approval` run on the commit. */
function greenForMain(gh: CorpusGitHub, how: string): Violation[] {
  const approval = gh.check(CHECK_NAMES.approval, HEAD_SHA);
  return approval?.conclusion === "success"
    ? [{ guarantee: "approval", detail: `${how}, the head's newest "${CHECK_NAMES.approval}" is green (${JSON.stringify(approval.output?.title ?? "")}) while its change into main needs approval` }]
    : [];
}

export const checksPerCommitCases: AppCase[] = [
  {
    id: "approval/base-changed-to-main-after-review",
    attack: "the author opens the ClusterRoleBinding against a branch that already has it (green), then edits the pull request's base to main",
    targets: ["approval"],
    prepare: async (gh, host) => (await reviewOnce(host, RISKY, RISKY, undefined, [[MAIN_SHA, MAIN]])).restore(gh),
    act: async ({ gh, app }) => {
      gh.pull.baseSha = MAIN_SHA;
      const edited = pullRequestPayload({ baseSha: MAIN_SHA });
      edited.action = "edited";
      edited.changes = { base: { ref: { from: "feature-base" }, sha: { from: "b".repeat(40) } } };
      await app.receive("pull_request", edited);
    },
    verdict: ({ gh }) => greenForMain(gh, "after the base moved to main"),
  },
  {
    id: "approval/second-pull-request-same-head",
    attack: "while #7 (the ClusterRoleBinding into main) waits for approval, the author opens #8 with the same head against a branch that already has it",
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await riskyPullRequest(host)).restore(gh);
      const extra = await reviewOnce(host, MAIN, RISKY, undefined, [[RISKY_BASE_SHA, RISKY]]);
      gh.tarballs = extra.tarballs;
      gh.otherPull = { number: 8, headSha: HEAD_SHA, baseSha: RISKY_BASE_SHA };
    },
    act: async ({ app }) => {
      const opened = pullRequestPayload({ baseSha: RISKY_BASE_SHA });
      opened.number = 8;
      opened.pull_request.number = 8;
      opened.pull_request.html_url = opened.pull_request.html_url.replace(/\/7$/, "/8");
      await app.receive("pull_request", opened);
    },
    verdict: ({ gh }) => greenForMain(gh, "after #8 was reviewed"),
  },
];
