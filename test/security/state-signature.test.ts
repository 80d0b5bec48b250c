/**
 * On GitHub, people with write access can edit anyone's comment, the bot's included. Shipshape
 * keeps approvals and waivers in a hidden state line of its own comment, so a writer who is not
 * an approver could write an approval by the named approver into it. The App signs the state
 * (HMAC with a key derived from its secrets) and refuses a state whose signature does not match.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { currentHashes } from "../../src/github/approvals.js";
import { appIdentity } from "../../src/github/identity.js";
import { decodeState, encodeState, emptyState, type StickyState } from "../../src/github/state.js";
import { findSticky } from "../../src/github/sticky-comment.js";
import type { FakeGitHub } from "../app/helpers/fake-github.js";
import { expectCleanFinish, startApp, TEST_STATE_KEY, type TestApp } from "../app/helpers/github.js";
import { HEAD_SHA, issueCommentPayload, reviewPayload } from "../app/helpers/payloads.js";
import { privilegedPullRequest, reviewed, type Reviewed } from "./approvals-fixture.js";

const CONFIG = "risk:\n  approvals:\n    default: {users: [dba-lead]}\n";
const ROLES = { writer: "write", "dba-lead": "write" };

let app: TestApp | undefined;
let gh: FakeGitHub | undefined;

afterEach(() => {
  if (gh) expectCleanFinish(gh);
  app = gh = undefined;
});

const sticky = (g: FakeGitHub) => g.comments.find((c) => c.body.startsWith("<!-- shipshape:sticky -->"))!;
const STATE_LINE = /<!-- shipshape:state [^\n]*-->/;

/** What a writer can do with the edit button: put an approval by `dba-lead` into the state. */
function forgeApproval(g: FakeGitHub, keepSignature: boolean): void {
  const comment = sticky(g);
  const line = STATE_LINE.exec(comment.body)![0];
  const decoded = decodeState(line);
  if (!decoded.ok) throw new Error(decoded.reason);
  const forged: StickyState = { ...decoded.state, approvals: [{ user: "dba-lead", itemHashes: currentHashes(decoded.state), via: "command", at: "2026-11-23T12:00:30Z" }] };
  let replacement = encodeState(forged);
  // The old signature does not cover the new payload either.
  if (keepSignature) replacement = replacement.replace(/ -->$/, ` ${line.split(" ").at(-2)} -->`);
  comment.body = comment.body.replace(STATE_LINE, replacement);
}

/** Someone's approving review makes the App judge the approvals again from the state. */
async function writerReviews(a: TestApp, g: FakeGitHub): Promise<void> {
  g.reviews.push({ id: 1, user: { login: "writer" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-11-23T12:01:00Z" });
  await a.receive("pull_request_review", reviewPayload("writer", "approved"));
}

describe("an approval written into Shipshape's comment by someone else", () => {
  let demo: Reviewed;
  beforeAll(async () => {
    demo = await reviewed(privilegedPullRequest(CONFIG, { permissions: ROLES }));
  }, 60_000);

  it.each([
    ["re-encoded without a signature", false],
    ["with the old signature kept", true],
  ])("does not count, %s", async (_label, keepSignature) => {
    app = await startApp();
    gh = demo.fresh();
    forgeApproval(gh, keepSignature);
    await writerReviews(app, gh);
    expect(gh.check("Shipshape / approval")?.conclusion ?? "action_required").toBe("action_required");
    expect(gh.checkRuns.some((c) => c.name === "Shipshape / approval" && c.conclusion === "success")).toBe(false);
  });

  it("would have counted without the signature check (the control)", async () => {
    app = await startApp({ stateKey: undefined });
    gh = demo.fresh();
    forgeApproval(gh, false);
    await writerReviews(app, gh);
    expect(gh.check("Shipshape / approval")?.conclusion).toBe("success");
  });

  it("makes a command say the comment was changed, instead of approving from it", async () => {
    app = await startApp();
    gh = demo.fresh();
    forgeApproval(gh, false);
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "dba-lead"));
    const reply = gh.comments.find((c) => c.body.startsWith("@dba-lead"))!.body;
    expect(reply).toContain("changed by someone other than Shipshape");
    expect(gh.check("Shipshape / approval")).toBeUndefined();
  });

  it("still lets the named approver approve a state Shipshape signed", async () => {
    app = await startApp();
    gh = demo.fresh();
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "dba-lead"));
    expect(gh.check("Shipshape / approval")?.conclusion).toBe("success");
  });
});

describe("the signed state line", () => {
  const self = appIdentity("shipshape", TEST_STATE_KEY);
  const bot = { login: "shipshape[bot]", type: "Bot" };
  const body = (line: string) => `<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n${line}\n## Shipshape\n`;

  it("is read back with the key that signed it, and refused with another or none", () => {
    const line = encodeState(emptyState("abc"), TEST_STATE_KEY);
    expect(findSticky([{ id: 1, body: body(line), user: bot }], self).state).toEqual(emptyState("abc"));
    expect(findSticky([{ id: 1, body: body(encodeState(emptyState("abc"), new Uint8Array(32).fill(8))), user: bot }], self).stateProblem).toMatch(/signature/);
    expect(findSticky([{ id: 1, body: body(encodeState(emptyState("abc"))), user: bot }], self).stateProblem).toMatch(/signature/);
    // Without a key (the Action), the signature is not asked for.
    expect(decodeState(line).ok).toBe(true);
  });
});
