/**
 * `recheck` is open to anyone who can comment (README: "anyone"), and a comment runs up to ten
 * commands. Ten `/shipshape recheck` lines in one outsider's comment schedule ten reviews: each
 * creates both check runs on the head at once and supersedes the one before (two more writes),
 * about forty API calls from one comment against the installation's hourly rate limit, which
 * every repository of the installation shares. One comment must cost at most one review.
 */
import { issueCommentPayload } from "../../../app/helpers/payloads.js";
import type { AppCase } from "../harness/app-case.js";
import { riskyPullRequest } from "./approvals.js";

let before = 0;

export const recheckFloodCases: AppCase[] = [
  {
    id: "availability/ten-rechecks-in-one-outsider-comment",
    attack: "an outsider's comment of ten `/shipshape recheck` lines",
    targets: ["availability"],
    prepare: async (gh, host) => (await riskyPullRequest(host)).restore(gh),
    act: async ({ gh, app }) => {
      before = gh.requests.length;
      await app.receive("issue_comment", issueCommentPayload(Array(10).fill("/shipshape recheck").join("\n"), "mallory"));
    },
    verdict: ({ gh }) => {
      const created = gh.requests.slice(before).filter((r) => r.method === "POST" && /\/check-runs$/.test(r.path)).length;
      return created > 2 ? [{ guarantee: "availability", detail: `one comment created ${created} check runs (${created / 2} reviews queued)` }] : [];
    },
  },
];
