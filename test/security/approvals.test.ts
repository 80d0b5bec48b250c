/**
 * Found item 7: with no approvers configured, anyone could approve. Now only people with at
 * least write access to the repository (or `risk.approvals.minPermission`) count, asked from
 * GitHub for every path an approval takes — the `approve` command, an approving review and
 * the check run's Approve button — and everyone else is told why. The pull request makes a
 * container privileged: one `privilege` reason that needs one approval from "any reviewer".
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodeState } from "../../src/github/state.js";
import type { FakeGitHub } from "../app/helpers/fake-github.js";
import { expectCleanFinish, startApp, type TestApp } from "../app/helpers/github.js";
import { AUTHOR, HEAD_SHA, issueCommentPayload, requestedActionPayload, reviewPayload } from "../app/helpers/payloads.js";
import { privilegedPullRequest, reviewed, type Reviewed } from "./approvals-fixture.js";

/** Everyone's role on octo/demo; "outsider" is not a collaborator (404). */
const ROLES: Record<string, string> = {
  reader: "read",
  triager: "triage",
  writer: "write",
  maintainer: "maintain",
  owner: "admin",
  releaser: "release-manager:maintain",
  helper: "issue-helper:triage",
  flaky: "status:502",
  [AUTHOR]: "write",
};

type Path = "command" | "review" | "button";
const PATHS: Path[] = ["command", "review", "button"];

let app: TestApp | undefined;
let gh: FakeGitHub | undefined;

afterEach(() => {
  if (gh) expectCleanFinish(gh);
  app = gh = undefined;
});

async function approveVia(path: Path, demo: Reviewed, user: string): Promise<FakeGitHub> {
  app = await startApp();
  gh = demo.fresh();
  if (path === "command") await app.receive("issue_comment", issueCommentPayload("/shipshape approve", user));
  if (path === "button") await app.receive("check_run", requestedActionPayload(user));
  if (path === "review") {
    gh.reviews.push({ id: 1, user: { login: user }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-11-23T12:01:00Z" });
    await app.receive("pull_request_review", reviewPayload(user, "approved"));
  }
  return gh;
}

/** A login shown without notifying anyone: "@" and a zero-width space. */
const at = (user: string) => `@&#8203;${user}`;

const sticky = (g: FakeGitHub) => g.comments.find((c) => c.body.startsWith("<!-- shipshape:sticky -->"))!;
const replies = (g: FakeGitHub) => g.comments.filter((c) => !c.body.startsWith("<!-- shipshape:sticky")).map((c) => c.body);
const permissionLookups = (g: FakeGitHub, user: string) => g.byPath("GET", new RegExp(`/collaborators/${user}/permission$`)).length;

/** The refusal for each path: a reply for the command and the button, the check and the table for a review. */
function expectRefused(g: FakeGitHub, path: Path, user: string, why: { reply: string; check: string; table: string }): void {
  const state = decodeState(sticky(g).body);
  if (!state.ok) throw new Error(state.reason);
  if (path === "review") {
    const check = g.check("Shipshape / approval")!;
    expect(check.conclusion).toBe("action_required");
    expect(check.output?.summary).toContain(`- ${at(user)}'s approval does not count: ${why.check}`);
    expect(sticky(g).body).toContain(`| ${at(user)} ${why.table} |`);
    return;
  }
  expect(g.check("Shipshape / approval")).toBeUndefined();
  expect(state.state.approvals).toEqual([]);
  expect(replies(g)).toEqual([`@${user} your approval was not recorded: ${why.reply}.`]);
}

function expectApproved(g: FakeGitHub, user: string): void {
  expect(g.check("Shipshape / approval")?.conclusion).toBe("success");
  expect(sticky(g).body).toContain("### Approvals: ✅ complete");
  expect(sticky(g).body).toContain(`| ${at(user)} | — |`);
  expect(replies(g)).toEqual([]);
}

function lacking(user: string, has: string, needs = "write"): { reply: string; check: string; table: string } {
  return {
    reply: `approving needs ${needs} access to octo/demo or more, and you have ${has} access`,
    check: `approving needs ${needs} access to the repository or more; they have ${has} access`,
    table: `has ${has} access (approving needs ${needs} or more)`,
  };
}

const OUTSIDER = {
  reply: "approving needs write access to octo/demo or more, and you are not a collaborator on it",
  check: "approving needs write access to the repository or more; they are not a collaborator",
  table: "is not a collaborator (approving needs write or more)",
};

const AUTHOR_REFUSAL = {
  reply: "authors cannot approve their own risky changes (risk.approvals.allowAuthor is off)",
  check: "the pull request's author cannot approve their own change",
  table: "is the author",
};

describe("with no approvers configured, only write access or more approves", () => {
  let demo: Reviewed;
  beforeAll(async () => {
    demo = await reviewed(privilegedPullRequest("", { permissions: ROLES }));
  }, 60_000);

  for (const path of PATHS) {
    describe(`through the ${path}`, () => {
      it("refuses a read-only user", async () => {
        const g = await approveVia(path, demo, "reader");
        expectRefused(g, path, "reader", lacking("reader", "read"));
        expect(permissionLookups(g, "reader")).toBe(1);
      });

      it("refuses an outsider (404 from the permission API)", async () => {
        const g = await approveVia(path, demo, "outsider");
        expectRefused(g, path, "outsider", OUTSIDER);
      });

      it("refuses a triage user (GitHub's legacy permission says read)", async () => {
        const g = await approveVia(path, demo, "triager");
        expectRefused(g, path, "triager", lacking("triager", "triage"));
      });

      it("refuses the author, who has write access, while allowAuthor is off", async () => {
        const g = await approveVia(path, demo, AUTHOR);
        expectRefused(g, path, AUTHOR, AUTHOR_REFUSAL);
      });

      it("accepts a user with write access, asking GitHub once", async () => {
        const g = await approveVia(path, demo, "writer");
        expectApproved(g, "writer");
        expect(permissionLookups(g, "writer")).toBe(1);
      });
    });
  }

  it("refuses a custom role built on triage, and someone whose access GitHub did not report (fails closed)", async () => {
    expectRefused(await approveVia("command", demo, "helper"), "command", "helper", lacking("helper", "triage"));
    expectCleanFinish(gh!);
    const g = await approveVia("review", demo, "flaky");
    expectRefused(g, "review", "flaky", {
      reply: "",
      check: "approving needs write access to the repository or more, and GitHub did not report their access",
      table: "has access GitHub did not report (approving needs write or more)",
    });
    expectCleanFinish(gh!);
    expectRefused(await approveVia("button", demo, "flaky"), "button", "flaky", {
      reply: "approving needs write access to octo/demo or more, and GitHub did not say what access you have; try again later",
      check: "",
      table: "",
    });
  });

  it("accepts maintain, admin and a custom role built on maintain", async () => {
    for (const user of ["maintainer", "owner", "releaser"]) {
      expectApproved(await approveVia("command", demo, user), user);
      expectCleanFinish(gh!);
    }
    gh = undefined;
  });
});

describe("risk.approvals.minPermission: admin", () => {
  let demo: Reviewed;
  beforeAll(async () => {
    demo = await reviewed(privilegedPullRequest("risk:\n  approvals:\n    minPermission: admin\n", { permissions: ROLES }));
  }, 60_000);

  for (const path of PATHS) {
    it(`refuses write and maintain, accepts admin (${path})`, async () => {
      expectRefused(await approveVia(path, demo, "writer"), path, "writer", lacking("writer", "write", "admin"));
      expectCleanFinish(gh!);
      expectRefused(await approveVia(path, demo, "maintainer"), path, "maintainer", lacking("maintainer", "maintain", "admin"));
      expectCleanFinish(gh!);
      expectApproved(await approveVia(path, demo, "owner"), "owner");
    });
  }
});

describe("named approvers need the minimum access too", () => {
  let demo: Reviewed;
  beforeAll(async () => {
    const config = "risk:\n  approvals:\n    default:\n      users: [reader, gone]\n      teams: [security]\n";
    demo = await reviewed(privilegedPullRequest(config, { permissions: { ...ROLES, auditor: "read", sec: "write" }, teams: { "octo/security": ["auditor", "sec"] } }));
  }, 60_000);

  it("refuses a named user with read access and a login that is no collaborator (a renamed or re-registered account)", async () => {
    expectRefused(await approveVia("command", demo, "reader"), "command", "reader", lacking("reader", "read"));
    expectCleanFinish(gh!);
    expectRefused(await approveVia("review", demo, "gone"), "review", "gone", OUTSIDER);
  });

  it("refuses a team member with read access and accepts one with write access", async () => {
    expectRefused(await approveVia("button", demo, "auditor"), "button", "auditor", lacking("auditor", "read"));
    expectCleanFinish(gh!);
    expectApproved(await approveVia("button", demo, "sec"), "sec");
  });

  it("still refuses someone with write access who is not named", async () => {
    const g = await approveVia("command", demo, "writer");
    expect(replies(g)[0]).toBe(`@writer your approval was not recorded: approving privilege changes (Deployment/web) needs one of ${at("reader")}, ${at("gone")} or team ${at("security")}.`);
  });
});
