/**
 * The attack corpus against the GitHub App (issue 11, "Done when"): approvals by people
 * without write access, markup in what Shipshape posts, hostile archives, and content attacks
 * delivered as pull requests. Every request body sent to the fake GitHub and every log line is
 * searched for host files, process environment, canary secrets; the loopback server must
 * receive nothing, the sentinel folder must stay empty, the approval check must not turn green.
 * nock is process-wide, so these cases run one after another.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_CASES } from "./cases/app-index.js";
import { writerApproves } from "./cases/approvals.js";
import { runAppCase } from "./harness/app-case.js";
import { createHost, type Host } from "./harness/host.js";

let host: Host;

beforeAll(async () => {
  host = await createHost();
});
afterAll(async () => {
  await host?.close();
});

describe("attack corpus: App", () => {
  it("control: the corpus sees an approval when someone with write access gives one", async () => {
    const result = await runAppCase(writerApproves, host);
    expect(result.violations.map((v) => v.guarantee)).toEqual(["approval"]);
  });

  for (const c of APP_CASES) {
    it(`${c.id} — ${c.attack}`, async () => {
      const result = await runAppCase(c, host);
      const lines = result.violations.map((v) => `[${v.guarantee}] ${v.detail}`);
      expect(lines, `${c.id} broke a guarantee`).toEqual([]);
    });
  }

  it("nothing reached the loopback server outside the cases", () => {
    expect(host.loopback.hits.filter((h) => !h.url.startsWith("/c/"))).toEqual([]);
  });
});
