/**
 * A comment anyone can post that stalls the App. Comments are parsed in the webhook handler,
 * on the App's one event loop, before anything is asked of GitHub and whoever wrote them: a
 * `waive` whose first word is a 40,000-character run of `;` then a letter makes the
 * trailing-punctuation pattern (`/[:,;.]+$/`) rescan the run from every position, twice per
 * parse, and the comment is parsed twice. Timed against a comment of the same size whose first
 * word is letters (the same path: too long a reason, refused).
 */
import { issueCommentPayload } from "../../../app/helpers/payloads.js";
import type { AppCase } from "../harness/app-case.js";
import { SLACK_MS, SLOWDOWN } from "../harness/cli.js";
import { riskyPullRequest } from "./approvals.js";

const RUN = 40_000;
const timings = { attack: 0, control: 0 };

export const commandRedosCases: AppCase[] = [
  {
    id: "redos/waive-word-of-semicolons",
    attack: "an outsider's `/shipshape waive ;;;…;x reason` with 40,000 semicolons (a 40 KB comment)",
    targets: ["availability"],
    prepare: async (gh, host) => (await riskyPullRequest(host)).restore(gh),
    act: async ({ app }) => {
      let t0 = Date.now();
      await app.receive("issue_comment", issueCommentPayload(`/shipshape waive ${";".repeat(RUN)}x reason`, "mallory"));
      timings.attack = Date.now() - t0;
      t0 = Date.now();
      await app.receive("issue_comment", issueCommentPayload(`/shipshape waive ${"a".repeat(RUN)}x reason`, "mallory"));
      timings.control = Date.now() - t0;
    },
    verdict: () =>
      timings.attack > SLOWDOWN * timings.control + SLACK_MS
        ? [{ guarantee: "availability", detail: `the crafted comment held the App for ${timings.attack} ms, a plain one of the same size ${timings.control} ms` }]
        : [],
  },
];
