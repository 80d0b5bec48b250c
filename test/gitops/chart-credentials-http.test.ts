/**
 * A private HTTP chart repository (127.0.0.1, Basic authentication, a chart packaged with the
 * bundled helm and its index.yaml) pulled with the operator's credentials: rendered with them;
 * without them, with wrong ones, or from a HelmRepository that declares no authentication, the
 * release is not reviewed with a gitops/source-unavailable finding naming the host and saying
 * whether credentials were missing or refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTestScratchDir } from "../helpers/tool-options.js";
import { credentials, helmRepository, problems, renderFluxRelease, startPrivateRepo, type PrivateRepo } from "../render/flux/private-charts.js";

const USER = { username: "ci-reader", password: "canary-pw-8d2f61b0c4" };
const BASIC = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString("base64")}`;

let repo: PrivateRepo;
beforeAll(async () => {
  repo = await startPrivateRepo(USER);
});
afterAll(async () => {
  await repo.close();
  removeTestScratchDir();
});

describe("private HTTP chart repositories", () => {
  it("pulls the index and the archive with the operator's Basic credentials for the host, and renders the release", async () => {
    const before = repo.seen.length;
    const out = await renderFluxRelease(helmRepository(repo.url), [repo.host], credentials({ [repo.host]: USER }));
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    expect(out.resources.map((r) => `${r.kind}/${r.name}`)).toContain("Deployment/podinfo");
    expect(repo.seen.slice(before)).toEqual([
      { url: "/charts/index.yaml", authorization: BASIC },
      { url: "/charts/podinfo-6.7.0.tgz", authorization: BASIC },
    ]);
  });

  it("without credentials for the host: not reviewed, naming the host and the missing credentials", async () => {
    const out = await renderFluxRelease(helmRepository(repo.url), [repo.host], credentials({ "charts.example.com": USER }));
    expect(problems(out)).toEqual([
      `gitops/source-unavailable: HelmRelease podinfo/podinfo: the chart repository index is not available: ${repo.host} requires credentials (HTTP 401) and the operator's chart credentials have none for ${repo.host}; it is not reviewed`,
    ]);
  });

  it("with wrong credentials: not reviewed, saying they were refused, without showing them", async () => {
    const out = await renderFluxRelease(helmRepository(repo.url), [repo.host], credentials({ [repo.host]: { username: "ci-reader", password: "wrong-pw-31c9a7" } }));
    const text = problems(out).join("\n");
    expect(text).toContain(`${repo.host} refused the operator's credentials for it (HTTP 401)`);
    expect(text).not.toContain("wrong-pw-31c9a7");
  });

  it("a HelmRepository without spec.secretRef is pulled anonymously, as source-controller would: the credentials stay home", async () => {
    const before = repo.seen.length;
    const out = await renderFluxRelease(helmRepository(repo.url, { secretRef: false }), [repo.host], credentials({ [repo.host]: USER }));
    expect(problems(out).join("\n")).toContain(`${repo.host} requires credentials (HTTP 401); none are sent because the source declares no authentication (spec.secretRef)`);
    expect(repo.seen.slice(before)).toEqual([{ url: "/charts/index.yaml" }]);
  });
});
