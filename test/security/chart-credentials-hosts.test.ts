/**
 * The operator's chart credentials reach the host[:port] they are keyed for and no other,
 * whatever the pull request or a chart repository says: not a redirect's target on another
 * loopback port, not an index's download URL on another host (unless the application says
 * passCredentials, and then only that host's own credentials), not a host the pull request
 * swaps in for the keyed one, never over plain http off the loopback interface.
 */
import { afterAll, describe, expect, it } from "vitest";
import { pullChart } from "../../src/render/flux/chart-pull.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { credentials, helmRepository, problems, renderFluxRelease, startPrivateRepo, type PrivateRepo } from "../render/flux/private-charts.js";

const A_USER = { username: "a-reader", password: "canary-a-pw-70be19f3" };
const B_USER = { username: "b-reader", password: "canary-b-pw-2c84aa61" };
const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString("base64")}`;

const servers: PrivateRepo[] = [];
async function repo(...args: Parameters<typeof startPrivateRepo>): Promise<PrivateRepo> {
  const r = await startPrivateRepo(...args);
  servers.push(r);
  return r;
}
afterAll(async () => {
  for (const s of servers) await s.close();
  removeTestScratchDir();
});

const authorizations = (r: PrivateRepo) => r.seen.map((s) => s.authorization);

describe("chart credentials stay with their host", () => {
  it("a redirect to another loopback port (an allowed host) goes without the Authorization header", async () => {
    const b = await repo(undefined);
    const a = await repo(A_USER, { redirectIndexTo: () => `${b.url}/index.yaml` });
    const out = await renderFluxRelease(helmRepository(a.url), [a.host, b.host], credentials({ [a.host]: A_USER }));
    expect(out.status).toBe("ok");
    expect(a.seen).toEqual([{ url: "/charts/index.yaml", authorization: basic(A_USER) }]);
    expect(b.seen.map((s) => s.url)).toEqual(["/charts/index.yaml", "/charts/podinfo-6.7.0.tgz"]);
    expect(authorizations(b)).toEqual([undefined, undefined]);
  });

  it("a redirect to a keyed host that needs credentials is refused, saying they are not sent across redirects", async () => {
    const b = await repo(B_USER);
    const a = await repo(A_USER, { redirectIndexTo: () => `${b.url}/index.yaml` });
    const out = await renderFluxRelease(helmRepository(a.url), [a.host, b.host], credentials({ [a.host]: A_USER, [b.host]: B_USER }));
    expect(problems(out).join("\n")).toContain(`${b.host} requires credentials (HTTP 401); the operator's credentials for ${b.host} are not sent here`);
    expect(authorizations(b)).toEqual([undefined]);
  });

  it("an index whose download URL is on another host: no credentials there without passCredentials", async () => {
    const b = await repo(B_USER);
    const a = await repo(A_USER, { archiveBase: () => b.url });
    const out = await renderFluxRelease(helmRepository(a.url), [a.host, b.host], credentials({ [a.host]: A_USER, [b.host]: B_USER }));
    expect(problems(out).join("\n")).toContain(`chart podinfo 6.7.0 could not be downloaded: ${b.host} requires credentials (HTTP 401); the operator's credentials for ${b.host} are not sent here`);
    expect(b.seen).toEqual([{ url: "/charts/podinfo-6.7.0.tgz" }]);
  });

  it("with passCredentials: the other host gets its own credentials, never the repository host's", async () => {
    const b = await repo(B_USER);
    const a = await repo(A_USER, { archiveBase: () => b.url });
    const ok = await renderFluxRelease(helmRepository(a.url, { passCredentials: true }), [a.host, b.host], credentials({ [a.host]: A_USER, [b.host]: B_USER }));
    expect(problems(ok)).toEqual(["rendered: ok"]);
    expect(b.seen).toEqual([{ url: "/charts/podinfo-6.7.0.tgz", authorization: basic(B_USER) }]);
    // B has no entry of its own: passCredentials does not hand it A's.
    const none = await renderFluxRelease(helmRepository(a.url, { passCredentials: true }), [a.host, b.host], credentials({ [a.host]: A_USER }));
    expect(none.status).toBe("invalid");
    expect(b.seen.slice(1)).toEqual([{ url: "/charts/podinfo-6.7.0.tgz" }]);
  });

  it("a pull request that points the HelmRepository at another allowed host sends it nothing keyed for the old one", async () => {
    const a = await repo(A_USER);
    const b = await repo(undefined);
    const out = await renderFluxRelease(helmRepository(b.url), [a.host, b.host], credentials({ [a.host]: A_USER }));
    expect(out.status).toBe("ok");
    expect(authorizations(b)).toEqual([undefined, undefined]);
    expect(a.seen).toEqual([]);
  });

  it("never sends credentials over plain http off the loopback interface (refused before any connection)", async () => {
    const opts = testToolOptions({ gitops: { repositoryUrls: [], allowedHosts: ["charts.example.com"], credentials: credentials({ "charts.example.com": A_USER }) } });
    const pulled = await pullChart({ repoUrl: "http://charts.example.com/stable", chart: "podinfo", version: "6.7.0" }, opts, {});
    expect(pulled).toEqual({ ok: false, why: "the chart repository index is not available: http://charts.example.com/stable/index.yaml: credentials are never sent over plain HTTP (use https)" });
  });

  it("a host outside gitops.allowedHosts gets no request, credentials or not", async () => {
    const a = await repo(A_USER);
    const out = await renderFluxRelease(helmRepository(a.url), ["charts.example.com"], credentials({ [a.host]: A_USER }));
    expect(problems(out).join("\n")).toContain(`host ${a.host} is not in gitops.allowedHosts`);
    expect(a.seen).toEqual([]);
  });
});
