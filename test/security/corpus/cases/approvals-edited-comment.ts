/**
 * Shipshape's sticky comment edited by someone with write access. GitHub lets anyone with write
 * access edit (or hide, or delete) anyone's comment on the repository, the App's included
 * (docs.github.com, "Managing disruptive comments"), and the comment keeps its author: the
 * "read state only from our own comment" rule holds, yet the state in it is the editor's.
 * The pull request's author usually has write access (it pushed the branch), and so does every
 * writer who is not a named approver. Approvals are refreshed from that state alone — its
 * reasons, their approvers and counts included — so the edit decides the approval check.
 */
import { encodeState, type StickyState } from "../../../../src/github/state.js";
import { reviewPayload } from "../../../app/helpers/payloads.js";
import type { CorpusGitHub } from "../harness/app.js";
import { reviewOnce, type AppCase, type Reviewed } from "../harness/app-case.js";
import type { Host } from "../harness/host.js";
import { riskyPullRequest, stickyState } from "./approvals.js";
import { configMap, CRB } from "./fixtures.js";

const BASE = { "app/cm.yaml": configMap("settings", { a: "b" }) };
const HEAD = { ...BASE, "app/crb.yaml": CRB };
/** RBAC changes need maya (maintain); bob and the author have write access but are not named. */
const NAMED_APPROVER = "risk:\n  approvals:\n    rbac:\n      users: [maya]\n";

let named: Promise<Reviewed> | undefined;
const namedApproverPullRequest = (host: Host) => (named ??= reviewOnce(host, BASE, HEAD, NAMED_APPROVER));

/** The edit: the state line (the third line of Shipshape's comment) replaced, the rest kept. */
function editState(gh: CorpusGitHub, edit: (state: StickyState) => StickyState): void {
  const own = gh.comments.find((c) => c.user.login === "shipshape[bot]" && c.body.startsWith("<!-- shipshape:sticky"))!;
  const lines = own.body.split("\n");
  lines[2] = encodeState(edit(stickyState(gh.comments)));
  own.body = lines.join("\n");
}

export const editedCommentCases: AppCase[] = [
  {
    id: "approval/author-edits-sticky-state-to-need-nothing",
    attack: "the author (write access) edits Shipshape's comment: its state's reasons emptied, then a review event makes Shipshape recount",
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await riskyPullRequest(host)).restore(gh);
      editState(gh, (s) => ({ ...s, reasons: [] }));
    },
    act: async ({ app }) => app.receive("pull_request_review", reviewPayload("alice-author", "commented")),
  },
  {
    id: "approval/writer-edits-sticky-state-forging-named-approver",
    attack: "with `rbac: {users: [maya]}`, a writer who is not named edits Shipshape's comment to record an approval by maya, then a review event",
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await namedApproverPullRequest(host)).restore(gh);
      editState(gh, (s) => ({ ...s, approvals: [{ user: "maya", itemHashes: s.reasons.map((r) => r.itemHash), via: "command", at: "2026-11-23T12:00:00Z" }] }));
    },
    act: async ({ app }) => app.receive("pull_request_review", reviewPayload("bob", "commented")),
  },
];
