/**
 * Repository and user text reaching what Shipshape posts (found item 8 used a container name
 * holding a finding marker, `@org/everyone`, `<img>`, the approvals markers in a value and a
 * 200,000-character name). These carry the payloads in other places: container and resource
 * names that reach review comments, risk reasons and the approvals table; a value that tries
 * to close the diff's code fence; resolved and state markers; an unknown command and a waiver
 * reason echoed in replies; a 200,000-character ConfigMap key.
 */
import { issueCommentPayload, pullRequestPayload } from "../../../app/helpers/payloads.js";
import { pullRequestOf } from "../harness/app.js";
import type { AppCase, MarkupRules } from "../harness/app-case.js";
import type { Host } from "../harness/host.js";
import { riskyPullRequest } from "./approvals.js";
import { configMap, CRB, deployment } from "./fixtures.js";

/** Payloads that must not render or act; unique per case so a hit is never someone else's text. */
function payloads(host: Host, id: string) {
  const tag = id.replace(/[^a-z0-9]/gi, "").slice(-10);
  return {
    comment: `<!-- corpus ${tag} -->`,
    finding: "<!-- shipshape:finding id=0123456789ab -->",
    resolved: "<!-- shipshape:resolved id=0123456789ab -->",
    approvalsEnd: "<!-- /shipshape:approvals -->",
    team: `@octo/corpus-${tag}`,
    img: `<img src="${host.loopback.url(id, "pixel.png")}">`,
    link: `[open](${host.loopback.url(id, "link")})`,
    issue: `#4242${tag.length}`,
  };
}

type Payloads = ReturnType<typeof payloads>;
const rules = (p: Payloads, extra: MarkupRules = {}): MarkupRules => ({
  nowhere: [`x${p.finding}`, `x${p.resolved}`, `x${p.approvalsEnd}`, ...(extra.nowhere ?? [])],
  outsideCode: [p.comment, p.img, p.link, ...(extra.outsideCode ?? [])],
  outsideAnyCode: [p.team, p.issue],
  ...(extra.maxStickyParts !== undefined ? { maxStickyParts: extra.maxStickyParts } : {}),
});
/** Commands drop HTML comments before parsing: replies can only echo the rest. */
const visible = (p: Payloads) => `${p.team} ${p.img} ${p.link} ${p.issue}`;
const all = (p: Payloads) => `x${p.finding} x${p.resolved} x${p.approvalsEnd} ${p.comment} ${p.team} ${p.img} ${p.link} ${p.issue}`;

/** A pull request over `head` (the base has one ConfigMap), reviewed by the App as the attack. */
function reviewCase(id: string, attack: string, head: (p: Payloads, host: Host, id: string) => Record<string, string>, extra: MarkupRules = {}): AppCase {
  return {
    id,
    attack,
    targets: ["markup"],
    prepare: async (gh, host) => {
      const base = { "app/cm.yaml": configMap("settings", { a: "b" }) };
      const pr = await pullRequestOf(base, { ...base, ...head(payloads(host, id), host, id) });
      gh.tarballs = pr.tarballs;
      gh.files = pr.files;
    },
    act: async ({ app }) => app.receive("pull_request", pullRequestPayload()),
    markup: (host) => rules(payloads(host, id), extra),
  };
}

/** A command on the risky pull request, answered by a reply. */
function replyCase(id: string, attack: string, body: (p: Payloads) => string, login: string): AppCase {
  return {
    id,
    attack,
    targets: ["markup"],
    prepare: async (gh, host) => (await riskyPullRequest(host)).restore(gh),
    act: async ({ app, host }) => app.receive("issue_comment", issueCommentPayload(body(payloads(host, id)), login)),
    markup: (host) => rules(payloads(host, id)),
  };
}

export const markupCases: AppCase[] = [
  reviewCase("markup/container-name-in-review-comments", "every payload in a container name, which policy messages quote in inline review comments", (p) => ({
    "app/web.yaml": deployment("web").replace("- name: app", `- name: ${JSON.stringify(all(p))}`),
  })),
  reviewCase("markup/risky-resource-name-in-approvals-table", "every payload in the name of a ClusterRoleBinding, which the risk section and the approvals table show", (p) => ({
    "app/crb.yaml": CRB.replace("name: everyone-is-admin", `name: ${JSON.stringify(`admin ${all(p)}`)}`),
  })),
  reviewCase("markup/value-closes-diff-fence", "a ConfigMap value that closes the diff's code fence (``` and ~~~) and continues with every payload", (p) => ({
    "app/note.yaml": configMap("note", { note: `a\n\`\`\`\n${all(p)}\n~~~\n${all(p)}\n\`\`\`\`\n${all(p)}` }),
  })),
  reviewCase(
    "markup/200k-character-key",
    "a ConfigMap key of 200,000 characters",
    () => ({ "app/big.yaml": configMap("big", { [`k${"x".repeat(200_000)}`]: "v" }) }),
    { maxStickyParts: 3 },
  ),
  replyCase("markup/unknown-command-echoed", "`/shipshape <payloads>` (an unknown command) by an outsider: the reply quotes the word", (p) => `/shipshape ${p.img}${p.team}\n/shipshape explain ${p.team}${p.link}`, "mallory"),
  replyCase("markup/waiver-reason-echoed", "a writer's `/shipshape waive <rule> <payloads>`: the reply quotes the reason", (p) => `/shipshape waive policy/require-labels ${visible(p)}`, "bob"),
];
