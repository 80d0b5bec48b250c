/**
 * What an approval is bound to. Item hashes are computed over redacted content, so that no
 * secret's digest is published; SECURITY.md accepts that "a secret value changed to another of
 * the same length after an approval keeps the item's hash". But the redactor hides more than
 * secrets: a `{name, value}` entry whose value is a URL with a password is replaced whole, host
 * included. A writer approves a privileged Deployment whose HTTPS_PROXY is the company's proxy;
 * the author then pushes the same Deployment with the proxy pointed at another host of the same
 * length (the password unchanged): all its traffic now goes through someone else's proxy, and
 * the approval still counts.
 */
import { encodeState } from "../../../../src/github/state.js";
import { pullRequestPayload } from "../../../app/helpers/payloads.js";
import { reviewOnce, type AppCase } from "../harness/app-case.js";
import { stickyState } from "./approvals.js";
import { configMap, deployment } from "./fixtures.js";

const BASE = { "app/cm.yaml": configMap("settings", { a: "b" }) };
const proxied = (url: string) =>
  deployment("web", `        securityContext:\n          privileged: true\n        env:\n        - name: HTTPS_PROXY\n          value: "${url}"\n`);
const HEAD = { ...BASE, "app/web.yaml": proxied("http://svc:pw4proxy@proxy.corp.internal:3128") };
const HEAD2_SHA = "9".repeat(40);
/** The same length, the same password, another host. */
const HEAD2 = { ...BASE, "app/web.yaml": proxied("http://svc:pw4proxy@attacker.example.io:3128") };

export const redactedHashCases: AppCase[] = [
  {
    id: "approval/proxy-host-changed-behind-redacted-url",
    attack: "bob approved a privileged Deployment with HTTPS_PROXY=http://svc:pw@proxy.corp.internal:3128; a push points it at attacker.example.io (same length)",
    targets: ["approval"],
    prepare: async (gh, host) => {
      (await reviewOnce(host, BASE, HEAD, undefined, [[HEAD2_SHA, HEAD2]])).restore(gh);
      // What bob's `/shipshape approve` left in Shipshape's comment.
      const own = gh.comments.find((c) => c.user.login === "shipshape[bot]" && c.body.startsWith("<!-- shipshape:sticky"))!;
      const state = stickyState(gh.comments);
      const lines = own.body.split("\n");
      lines[2] = encodeState({ ...state, approvals: [{ user: "bob", itemHashes: state.reasons.map((r) => r.itemHash), via: "command", at: "2026-11-23T12:00:00Z" }] });
      own.body = lines.join("\n");
    },
    act: async ({ gh, app }) => {
      gh.pull.headSha = HEAD2_SHA;
      await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: HEAD2_SHA }));
    },
  },
];
