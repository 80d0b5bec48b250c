/**
 * The Approve button of an older check run. Each `Shipshape / approval` check run belongs to one
 * commit, and GitHub keeps showing it (and its button) on that commit and on a page loaded
 * before a push. The App approves whatever the pull request's head is when the click arrives:
 * a push between a writer reading the risky change and clicking gets the pushed change
 * approved too, with nobody having seen it. A command has no commit to bind to; the button has
 * one (`check_run.head_sha`), and a review is already bound to its `commit_id`.
 */
import { pullRequestPayload, requestedActionPayload } from "../../../app/helpers/payloads.js";
import { reviewOnce, type AppCase } from "../harness/app-case.js";
import { configMap, CRB } from "./fixtures.js";

const BASE = { "app/cm.yaml": configMap("settings", { a: "b" }) };
const HEAD = { ...BASE, "app/crb.yaml": CRB };
const HEAD2 = "6".repeat(40);
/** The push: a second binding, of cluster-admin to anonymous users. */
const PUSHED = { ...HEAD, "app/crb-anonymous.yaml": CRB.replace("everyone-is-admin", "anonymous-is-admin").replace("system:authenticated", "system:anonymous") };

export const buttonRaceCases: AppCase[] = [
  {
    id: "approval/button-on-check-run-of-older-commit",
    attack: "a writer clicks Approve on the check run of the reviewed commit after the author pushed a second ClusterRoleBinding (reviewed, pending)",
    targets: ["approval"],
    prepare: async (gh, host) => (await reviewOnce(host, BASE, HEAD, undefined, [[HEAD2, PUSHED]])).restore(gh),
    act: async ({ gh, app }) => {
      gh.pull.headSha = HEAD2;
      await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: HEAD2 }));
      await app.app.idle();
      // GitHub sends the button's event for the check run it was on: the first commit's.
      await app.receive("check_run", requestedActionPayload("bob"));
    },
  },
];
