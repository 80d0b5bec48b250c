/** Every App case of the corpus, in the order they are reported. */
import type { AppCase } from "../harness/app-case.js";
import { appContentCases } from "./app-content.js";
import { approvalCases } from "./approvals.js";
import { approvalReviewCases } from "./approvals-reviews.js";
import { buttonRaceCases } from "./approvals-button-race.js";
import { approvalComboCases } from "./approvals-combos.js";
import { editedCommentCases } from "./approvals-edited-comment.js";
import { redactedHashCases } from "./approvals-redacted-hash.js";
import { markupCases } from "./markup.js";
import { recheckFloodCases } from "./recheck-flood.js";
import { commandRedosCases } from "./redos-commands.js";
import { checksPerCommitCases } from "./checks-per-commit.js";
import { tarballLinkCases } from "./tarball-links.js";
import { tarballCases } from "./tarballs.js";

export const APP_CASES: AppCase[] = [
  ...approvalCases,
  ...approvalReviewCases,
  ...markupCases,
  ...tarballCases,
  ...appContentCases,
  // Third red team: Shipshape's comment edited by a writer, the Approve button of an older
  // commit, approvals in combination, a comment that stalls the event loop, checks shared by
  // commit, a flood of rechecks.
  ...editedCommentCases,
  ...buttonRaceCases,
  ...approvalComboCases,
  ...redactedHashCases,
  ...commandRedosCases,
  ...checksPerCommitCases,
  ...recheckFloodCases,
  ...tarballLinkCases,
];
