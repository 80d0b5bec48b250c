/** Every App case of the corpus, in the order they are reported. */
import type { AppCase } from "../harness/app-case.js";
import { appContentCases } from "./app-content.js";
import { approvalCases } from "./approvals.js";
import { approvalReviewCases } from "./approvals-reviews.js";
import { markupCases } from "./markup.js";
import { tarballCases } from "./tarballs.js";

export const APP_CASES: AppCase[] = [...approvalCases, ...approvalReviewCases, ...markupCases, ...tarballCases, ...appContentCases];
