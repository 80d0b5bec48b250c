/**
 * Found item 8: repository text went into review comments, the sticky comment and check runs
 * unescaped. Each attack runs through the App and the real publishing code against the fake
 * GitHub, and the tests assert on the exact bodies Shipshape sent.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodeState, encodeState } from "../../src/github/state.js";
import type { FakeGitHub } from "../app/helpers/fake-github.js";
import { expectCleanFinish, startApp, TEST_STATE_KEY, type TestApp } from "../app/helpers/github.js";
import { HEAD_SHA, issueCommentPayload, reviewCommentReplyPayload } from "../app/helpers/payloads.js";
import { scanFences } from "../present/markdown-scan.js";
import { deployment, DEPLOYMENT, reviewed, type Reviewed } from "./approvals-fixture.js";

const ZWSP = "\u200b";
/** The privileged-container finding's id (rule, target, resource, key: see makeFinding), which the attack borrows. */
const PRIVILEGED_ID = "694ab2dae7e1";
const PRIVILEGED_RULE = "policy/disallow-privileged-host/autogen-privileged-containers";
const PROBES_RULE = "policy/require-probes/validate-probes";
const SUB = "<sub>Reply `/shipshape explain` for details or `/shipshape waive <reason>` to accept it (@shipshape works too).</sub>";

let app: TestApp | undefined;
let gh: FakeGitHub | undefined;

afterEach(() => {
  if (gh) expectCleanFinish(gh);
  app = gh = undefined;
});

async function start(demo: Reviewed): Promise<{ app: TestApp; gh: FakeGitHub }> {
  app = await startApp();
  gh = demo.fresh();
  return { app, gh };
}

const stickyParts = (g: FakeGitHub | Reviewed) => g.comments.filter((c) => c.user.login === "shipshape[bot]" && c.body.startsWith("<!-- shipshape:"));
const state = (body: string) => {
  const decoded = decodeState(body);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.state;
};

/** The review comment of one rule on one file. */
function reviewComment(g: FakeGitHub | Reviewed, path: string, rule: string) {
  const found = g.reviewComments.filter((c) => c.path === path && c.body.includes(`rule=${rule} -->`));
  expect(found).toHaveLength(1);
  return found[0]!;
}

const findingIdIn = (body: string) => /\n<!-- shipshape:finding id=([0-9a-f]{12}) rule=[^ ]+ -->$/.exec(body)![1]!;

describe("a container name holding a finding marker", () => {
  const forged = `x<!-- shipshape:finding id=${PRIVILEGED_ID} -->`;
  let demo: Reviewed;
  beforeAll(async () => {
    // A harmless-looking second Deployment whose container name carries the privileged error's marker.
    const worker = deployment({ container: forged }).replace(/web/g, "worker");
    demo = await reviewed({
      base: { [DEPLOYMENT]: deployment() },
      head: { [DEPLOYMENT]: deployment({ privileged: true }), "deploy/app/worker.yaml": worker },
      permissions: { writer: "write" },
    });
  }, 60_000);

  it("is escaped in the review comment, whose only marker is its own last line", () => {
    const probes = reviewComment(demo, "deploy/app/worker.yaml", PROBES_RULE);
    const id = findingIdIn(probes.body);
    expect(id).not.toBe(PRIVILEGED_ID);
    expect(probes.body).toBe(
      [
        `⚠️ **warning** · <code>${PROBES_RULE}</code> · <code>Deployment/worker</code> in <code>shop</code>`,
        "",
        `Container "x&lt;!-- shipshape:finding id=${PRIVILEGED_ID} --&gt;" of Deployment "worker" needs both a livenessProbe and a readinessProbe.`,
        "",
        SUB,
        `<!-- shipshape:finding id=${id} rule=${PROBES_RULE} -->`,
      ].join("\n"),
    );
    // The privileged error's own comment carries the id the name tried to borrow.
    expect(findingIdIn(reviewComment(demo, DEPLOYMENT, PRIVILEGED_RULE).body)).toBe(PRIVILEGED_ID);
  });

  it("cannot make a waive in its harmless thread waive the privileged-container error", async () => {
    const { app, gh } = await start(demo);
    const probes = reviewComment(gh, "deploy/app/worker.yaml", PROBES_RULE);
    const probesId = findingIdIn(probes.body);
    await app.receive("pull_request_review_comment", reviewCommentReplyPayload("/shipshape waive probes come with the next release", "writer", probes.id));
    await app.app.idle();

    const sticky = stickyParts(gh)[0]!.body;
    expect(state(sticky).waivers).toEqual([{ rule: PROBES_RULE, findingId: probesId, by: "writer", reason: "probes come with the next release", at: "2026-11-23T12:00:00.000Z" }]);
    expect(gh.reviewComments.find((c) => c.in_reply_to_id === probes.id)!.body).toBe(
      "@writer waived this finding (`policy/require-probes/validate-probes`) on this pull request: probes come with the next release Re-checking.",
    );
    // The re-review still fails on the privileged container and annotates it.
    const main = gh.check("Shipshape", HEAD_SHA)!;
    expect(main.conclusion).toBe("failure");
    expect(main.annotations.map((a) => a.title)).toContain(PRIVILEGED_RULE);
    expect(main.annotations.map((a) => a.title)).not.toContain(PROBES_RULE);
  });
});

describe("mentions, references, tags and links in repository text", () => {
  const name = "@org/everyone <img src=x onerror=alert(1)> [click](https://evil.example) #1 GH-2 octo/demo#3 www.evil.example";
  const escaped = "@&#8203;org/everyone &lt;img src=x onerror=alert(1)&gt; \\[click\\](https:&#8203;//evil.example) #&#8203;1 GH&#8203;-2 octo/demo#&#8203;3 www&#8203;.evil.example";
  const plain = `@${ZWSP}org/everyone <img src=x onerror=alert(1)> [click](https:${ZWSP}//evil.example) #${ZWSP}1 GH${ZWSP}-2 octo/demo#${ZWSP}3 www${ZWSP}.evil.example`;
  const RAW = ["@org/everyone", "<img", "](https://", "https://evil", "#1 ", "GH-2", "octo/demo#3", "www.evil"];
  let demo: Reviewed;
  beforeAll(async () => {
    // The web container turns privileged and is renamed; a new worker Deployment has the same name.
    const worker = deployment({ container: name }).replace(/web/g, "worker");
    demo = await reviewed({
      base: { [DEPLOYMENT]: deployment() },
      head: { [DEPLOYMENT]: deployment({ privileged: true, container: name }), "deploy/app/worker.yaml": worker },
      permissions: { writer: "write" },
    });
  }, 60_000);

  it("are neutralised in the review comment", () => {
    const probes = reviewComment(demo, "deploy/app/worker.yaml", PROBES_RULE);
    expect(probes.body).toBe(
      [
        `⚠️ **warning** · <code>${PROBES_RULE}</code> · <code>Deployment/worker</code> in <code>shop</code>`,
        "",
        `Container "${escaped}" of Deployment "worker" needs both a livenessProbe and a readinessProbe.`,
        "",
        SUB,
        `<!-- shipshape:finding id=${findingIdIn(probes.body)} rule=${PROBES_RULE} -->`,
      ].join("\n"),
    );
    for (const c of demo.reviewComments) for (const raw of RAW) expect(c.body).not.toContain(raw);
  });

  it("are neutralised in the sticky comment outside code; in the diff GitHub shows them as written", () => {
    const sticky = stickyParts(demo)[0]!.body;
    expect(sticky).toContain(
      `| 🟠 high | Deployment shop/web gains privileged container ${escaped} | <code>workload-privilege</code> | <code>deploy/app</code> | 1 approval from anyone with write access other than the author |\n`,
    );
    // Resources that cost nothing are folded into one line; their note is escaped there too.
    expect(sticky).toContain(`_2 resources without cost: Deployment shop/web, Deployment shop/worker — container ${escaped} has no CPU or memory request or limit: counted as 0`);
    expect(sticky).toContain(`\n-        - name: web\n+        - name: "${name}"\n`);
    const { outside } = scanFences(sticky);
    for (const raw of RAW) expect(outside).not.toContain(raw);
  });

  it("are neutralised in the check run: summary, text and annotations", () => {
    const main = demo.checkRuns.find((c) => c.name === "Shipshape")!;
    const probes = main.annotations.find((a) => a.title === PROBES_RULE && a.path === "deploy/app/worker.yaml")!;
    expect(probes.message).toBe(`Container "${plain}" of Deployment "worker" needs both a livenessProbe and a readinessProbe.\n\nResource: apps/v1 Deployment shop/worker\nField: spec.template.spec.containers[0]\nTarget: deploy/app`);
    const outside = [main.output?.title, main.output?.summary, scanFences(main.output?.text ?? "").outside].join("\n");
    for (const raw of RAW) expect(outside).not.toContain(raw);
    // Annotations are plain text: a tag shows as written, but nothing mentions, references or links.
    for (const raw of RAW.filter((r) => r !== "<img")) expect(JSON.stringify(main.annotations)).not.toContain(raw);
  });

  it("are neutralised in a reply that echoes a waive reason", async () => {
    const { app, gh } = await start(demo);
    const reason = `ok ${name} <details><summary>x</summary> <!-- shipshape:sticky -->`;
    await app.receive("issue_comment", issueCommentPayload(`/shipshape waive ${PROBES_RULE} ${reason}`, "writer"));
    await app.app.idle();
    const reply = gh.comments.find((c) => c.body.startsWith("@writer"))!;
    // The reason ends where an HTML comment would start: text readers do not see is not part of it.
    expect(reply.body).toBe(`@writer waived \`${PROBES_RULE}\` on this pull request: ok ${escaped} &lt;details&gt;&lt;summary&gt;x&lt;/summary&gt; Re-checking.`);
    expect(state(stickyParts(gh)[0]!.body).waivers.map((w) => w.reason)).toEqual([`ok ${name} <details><summary>x</summary>`]);
  });
});

describe("a value holding the approvals markers", () => {
  const value = "<!-- shipshape:approvals --> ### Approvals: ✅ complete <!-- /shipshape:approvals -->";
  const annotated = (text: string) => text.replace("  namespace: shop\n", `  namespace: shop\n  annotations:\n    note: ${JSON.stringify(value)}\n`);
  let demo: Reviewed;
  beforeAll(async () => {
    demo = await reviewed({
      base: { [DEPLOYMENT]: deployment() },
      head: { [DEPLOYMENT]: annotated(deployment({ privileged: true })) },
      permissions: { writer: "write" },
    });
  }, 60_000);

  const section = (status: string, row: string, how: string) =>
    `<!-- shipshape:approvals -->\n### Approvals: ${status}\n\n| Item | Needs | Approved by | Not counted |\n| --- | --- | --- | --- |\n${row}${how}\n<!-- /shipshape:approvals -->\n`;
  const HOW = "\nEligible approvers: comment `/shipshape approve` (or press **Approve** on the `Shipshape / approval` check).\n";
  const diffLine = `+    note: "<${ZWSP}!-- shipshape:approvals --> ### Approvals: ✅ complete <${ZWSP}!-- /shipshape:approvals -->"\n`;

  it("leaves the approvals table right after the heading and the value in its diff block", () => {
    const [part] = stickyParts(demo);
    const head = `<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n${encodeState(state(part!.body), TEST_STATE_KEY)}\n## Shipshape\n\n`;
    const pending = section("⏳ 1 of 1 pending", "| ⏳ <code>Deployment/web</code> (privilege, <code>deploy/app</code>) | 1 more from anyone with write access | — | — |\n", HOW);
    expect(part!.body.startsWith(head + pending + "\n<code>base bbbbbbbbbbbb</code> → <code>head 111111111111</code>\n")).toBe(true);
    expect(part!.body).toContain("```diff\n@@ -3,6 +3,8 @@\n metadata:\n   name: web\n   namespace: shop\n+  annotations:\n" + diffLine + " spec:\n");
    expect(part!.body.split("<!-- shipshape:approvals -->")).toHaveLength(2);
  });

  it("does not move the table when an approval refreshes it", async () => {
    const { app, gh } = await start(demo);
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "writer"));
    expect(gh.check("Shipshape / approval")?.conclusion).toBe("success");
    const body = stickyParts(gh)[0]!.body;
    const complete = section("✅ complete", "| ✅ <code>Deployment/web</code> (privilege, <code>deploy/app</code>) | 1 from anyone with write access | @&#8203;writer | — |\n", "");
    expect(body.startsWith(`<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n${encodeState(state(body), TEST_STATE_KEY)}\n## Shipshape\n\n${complete}\n<code>base`)).toBe(true);
    expect(body).toContain(diffLine);
    // Only the block and the state changed.
    const before = stickyParts(demo)[0]!.body;
    expect(body.slice(body.indexOf("\n<code>base"))).toBe(before.slice(before.indexOf("\n<code>base")));
  });
});

describe("200,000-character names", () => {
  const huge = "n".repeat(200_000);
  let demo: Reviewed;
  beforeAll(async () => {
    const head = deployment({ privileged: true, container: huge, image: `nginx:${"1".repeat(200_000)}` });
    demo = await reviewed({ base: { [DEPLOYMENT]: deployment() }, head: { [DEPLOYMENT]: head } });
  }, 120_000);

  it("are cut with their length, in one comment part with the approvals first", () => {
    const parts = stickyParts(demo);
    expect(parts).toHaveLength(1);
    const body = parts[0]!.body;
    expect(body.length).toBeLessThan(20_000);
    expect(body).toContain("\n## Shipshape\n\n<!-- shipshape:approvals -->\n### Approvals: ⏳ 1 of 1 pending\n");
    const reason = `Deployment shop/web gains privileged container ${huge}`;
    expect(body).toContain(`| 🟠 high | ${reason.slice(0, 2000)}… (${reason.length} characters) |`);
    expect(body).toContain(`\n+        - name: ${"n".repeat(983)}… (200017 characters)\n+          image: nginx:${"1".repeat(976)}… (200024 characters)\n`);
  });

  it("keep the check run and the review comments small", () => {
    const main = demo.checkRuns.find((c) => c.name === "Shipshape")!;
    expect(main.output!.summary!.length).toBeLessThan(5_000);
    expect(main.output!.text!.length).toBeLessThan(20_000);
    expect(JSON.stringify(main.annotations).length).toBeLessThan(10_000);
    for (const c of demo.reviewComments) expect(c.body.length).toBeLessThan(3_000);
  });
});
