/**
 * What must never happen: check runs left in progress after a crash, a webhook with a bad
 * signature acted on, a draft reviewed by default, a broken config failing silently.
 */
import { createServer, type Server } from "node:http";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { operationsHandler } from "../../src/app/operations.js";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_BASE, DEMO_HEAD, tarballOf } from "./helpers/demo-repo.js";
import { FakeGitHub } from "./helpers/fake-github.js";
import { expectCleanFinish, startApp, WEBHOOK_SECRET, type TestApp } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, pullRequestPayload } from "./helpers/payloads.js";

let app: TestApp;
let gh: FakeGitHub;

beforeEach(async () => {
  app = await startApp();
  gh = new FakeGitHub();
  gh.install();
});

afterEach(() => expectCleanFinish(gh));

describe("robustness", () => {
  it("completes both checks as failed with an error id when the review crashes", async () => {
    gh.tarballStatus = 502;
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();
    const main = gh.check("Shipshape")!;
    expect([main.status, main.conclusion, main.output?.title]).toEqual(["completed", "failure", "Shipshape errored"]);
    expect(main.output?.summary).toMatch(/Error id: `[0-9a-f-]{36}`/);
    expect(main.output?.summary).toContain("not in your change");
    const approval = gh.check("Shipshape / approval")!;
    expect([approval.status, approval.conclusion]).toEqual(["completed", "neutral"]);
    expect(gh.checkRuns.every((c) => c.status === "completed")).toBe(true);
    expect(app.app.metrics.render()).toMatch(/shipshape_github_api_errors_total\{status="502"\} 2/);
  });

  it("fails the check with the config error, naming the file and key, when the config is invalid", async () => {
    gh.config = "risk:\n  approvals:\n    count: zero\n";
    gh.tarballs.set(BASE_SHA, Buffer.alloc(0));
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();
    const main = gh.check("Shipshape")!;
    expect(main.conclusion).toBe("failure");
    expect(main.output?.title).toBe("Shipshape's config is invalid");
    expect(main.output?.summary).toContain(".github/shipshape.yml (default branch): risk.approvals.count:");
    expect(gh.byPath("GET", /\/tarball\//)).toEqual([]);
  });

  it("reads the config from the default branch with org-wide _extends", async () => {
    gh.config = `_extends: .github\n${await readFile(join(DEMO_BASE, ".github/shipshape.yml"), "utf8")}\ngithub:\n  drafts: true\n`;
    gh.orgConfig = "github:\n  failOn: warning\n  drafts: false\n";
    gh.tarballs.set(BASE_SHA, await tarballOf(DEMO_BASE, BASE_SHA));
    gh.tarballs.set(HEAD_SHA, await tarballOf(DEMO_HEAD, HEAD_SHA));
    await app.receive("pull_request", pullRequestPayload({ draft: true }));
    await app.app.idle();
    // The draft is reviewed (the repository's own drafts: true wins over the org's), and the
    // org's failOn: warning fails the check on the demo's new warning.
    const main = gh.check("Shipshape")!;
    expect([main.conclusion, main.output?.title]).toEqual(["failure", "1 new warning, 1 new info · risk critical · +$62.11/month"]);
    expect(gh.byPath("GET", /\/contents\//).map((r) => r.path)).toEqual([
      "/repos/octo/demo/contents/.github%2Fshipshape.yml",
      "/repos/octo/.github/contents/.github%2Fshipshape.yml",
    ]);
  }, 30_000);

  it("skips drafts unless github.drafts is on", async () => {
    await app.receive("pull_request", pullRequestPayload({ draft: true }));
    await app.app.idle();
    expect(gh.checkRuns).toEqual([]);
    expect(gh.requests.map((r) => r.path)).toEqual(["/repos/octo/demo/contents/.github%2Fshipshape.yml", "/repos/octo/.github/contents/.github%2Fshipshape.yml"]);
  });

  it("rejects a webhook with a bad signature and acts on a good one only", async () => {
    const payload = JSON.stringify(pullRequestPayload({ draft: true }));
    await expect(app.probot.webhooks.verifyAndReceive({ id: "1", name: "pull_request", payload, signature: `sha256=${"0".repeat(64)}` })).rejects.toThrow(/signature does not match/);
    expect(gh.requests).toEqual([]);
    const good = await sign(WEBHOOK_SECRET, payload);
    await app.probot.webhooks.verifyAndReceive({ id: "2", name: "pull_request", payload, signature: good });
    expect(gh.requests.length).toBeGreaterThan(0);
  });

  it("serves /healthz and /metrics", async () => {
    const handler = operationsHandler(app.app.metrics);
    const server: Server = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
      await app.receive("pull_request", pullRequestPayload({ draft: true }));
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.headers.get("content-type")).toContain("text/plain; version=0.0.4");
      const text = await metrics.text();
      expect(text).toContain('shipshape_webhooks_total{event="pull_request"} 1');
      expect(text).toContain("# TYPE shipshape_analysis_duration_seconds histogram");
      expect(text).toContain("shipshape_queue_depth 0");
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
