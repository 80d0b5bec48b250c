/**
 * A private OCI registry on 127.0.0.1 behind Docker's token flow: the registry wants a Bearer
 * token, its realm hands one out for the right Basic credentials. The operator's credentials go
 * to the realm only when keyed for the realm's own host[:port] (the registry's host, or a realm
 * elsewhere keyed on its own); the registry itself only ever sees the token; a blob store a
 * redirect leads to sees neither; a realm not allowed gets no request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTestScratchDir } from "../helpers/tool-options.js";
import { listen, startOciRegistry, type OciRegistry, type Seen } from "../render/flux/oci-registry.js";
import { credentials, helmRepository, PODINFO_CHART, problems, renderFluxRelease } from "../render/flux/private-charts.js";

const USER = { username: "robot", password: "canary-oci-pw-5be07d13" };
const REALM_USER = { username: "realm-robot", password: "canary-realm-pw-91aa02" };
const TOKEN = "canary-pull-token-d41c3b";
const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString("base64")}`;

let own: OciRegistry;
let elsewhere: OciRegistry;
beforeAll(async () => {
  own = await startOciRegistry(PODINFO_CHART, "podinfo", ["6.7.0"], { basic: USER, token: TOKEN });
  elsewhere = await startOciRegistry(PODINFO_CHART, "podinfo", ["6.7.0"], { basic: REALM_USER, token: TOKEN, realmElsewhere: true });
});
afterAll(async () => {
  await own.close();
  await elsewhere.close();
  removeTestScratchDir();
});

const oci = (r: OciRegistry, extra: { secretRef?: boolean } = {}) => helmRepository(`oci://${r.host}/charts`, { oci: true, ...extra });
const since = (r: OciRegistry, n: number) => r.seen.slice(n);
const headers = (seen: Seen[], server: Seen["server"]) => [...new Set(seen.filter((s) => s.server === server).map((s) => s.authorization ?? "none"))];

describe("OCI registries with a token realm", () => {
  it("gets a token from the realm on the registry's host with the registry's Basic credentials; the registry sees the token only", async () => {
    const n = own.seen.length;
    const out = await renderFluxRelease(oci(own), [own.host], credentials({ [own.host]: USER }));
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    const seen = since(own, n);
    const token = seen.filter((s) => s.url.startsWith("/token"));
    expect(token.map((s) => s.authorization)).toEqual([basic(USER)]);
    expect([...new Set(seen.filter((s) => !s.url.startsWith("/token")).map((s) => s.authorization ?? "none"))]).toEqual(["none", `Bearer ${TOKEN}`]);
    expect(seen.some((s) => s.url === "/v2/charts/podinfo/manifests/6.7.0")).toBe(true);
  });

  it("without credentials, or with wrong ones: not reviewed, naming the token service's host", async () => {
    const none = await renderFluxRelease(oci(own), [own.host], credentials({}));
    expect(problems(none).join("\n")).toContain(`the registry's token service: ${own.host} requires credentials (HTTP 401) and the operator's chart credentials have none for ${own.host}`);
    const wrong = await renderFluxRelease(oci(own), [own.host], credentials({ [own.host]: { username: "robot", password: "wrong-oci-pw-7f" } }));
    const text = problems(wrong).join("\n");
    expect(text).toContain(`the registry's token service: ${own.host} refused the operator's credentials for it (HTTP 401)`);
    expect(text).not.toContain("wrong-oci-pw-7f");
  });

  it("a realm on another host is not sent the registry's credentials; only credentials keyed for the realm's own host", async () => {
    let n = elsewhere.seen.length;
    const refused = await renderFluxRelease(oci(elsewhere), [elsewhere.host, elsewhere.realmHost], credentials({ [elsewhere.host]: USER }));
    expect(problems(refused).join("\n")).toContain(`the registry's token service: ${elsewhere.realmHost} requires credentials (HTTP 401) and the operator's chart credentials have none for ${elsewhere.realmHost}`);
    expect(headers(since(elsewhere, n), "realm")).toEqual(["none"]);
    n = elsewhere.seen.length;
    const ok = await renderFluxRelease(oci(elsewhere), [elsewhere.host, elsewhere.realmHost], credentials({ [elsewhere.realmHost]: REALM_USER }));
    expect(ok.status).toBe("ok");
    expect(headers(since(elsewhere, n), "realm")).toEqual([basic(REALM_USER)]);
    expect(headers(since(elsewhere, n), "registry")).toEqual(["none", `Bearer ${TOKEN}`]);
  });

  it("a realm that is not an allowed host gets no request", async () => {
    const n = elsewhere.seen.length;
    const out = await renderFluxRelease(oci(elsewhere), [elsewhere.host], credentials({ [elsewhere.realmHost]: REALM_USER }));
    expect(problems(out).join("\n")).toContain(`host ${elsewhere.realmHost} is not in gitops.allowedHosts`);
    expect(since(elsewhere, n).filter((s) => s.server === "realm")).toEqual([]);
  });

  it("the registry's token is not sent to a blob store a redirect leads to (another allowed loopback port)", async () => {
    const store: Seen[] = [];
    const blobs = await listen("registry", (_req, res) => res.writeHead(200).end("not the layer"), store);
    own.redirectBlobsTo = `http://${blobs.host}/blobs`;
    try {
      const out = await renderFluxRelease(oci(own), [own.host, blobs.host], credentials({ [own.host]: USER }));
      expect(problems(out).join("\n")).toContain("the chart layer of");
      expect(store.length).toBe(1);
      expect(store[0]!.authorization).toBeUndefined();
    } finally {
      own.redirectBlobsTo = undefined;
      await blobs.close();
    }
  });

  it("a registry that asks for Basic itself gets the credentials keyed for it, and a static token keyed for it as Bearer", async () => {
    const basicOnly = await startOciRegistry(PODINFO_CHART, "podinfo", ["6.7.0"], { basic: USER, token: TOKEN, basicOnly: true });
    try {
      const ok = await renderFluxRelease(oci(basicOnly), [basicOnly.host], credentials({ [basicOnly.host]: USER }));
      expect(ok.status).toBe("ok");
      expect(headers(basicOnly.seen, "registry")).toEqual(["none", basic(USER)]);
      // A token is sent as it is, from the first request; this registry refuses it.
      const n = basicOnly.seen.length;
      const refused = await renderFluxRelease(oci(basicOnly), [basicOnly.host], credentials({ [basicOnly.host]: { token: "static-token-8e21" } }));
      expect(problems(refused).join("\n")).toContain(`${basicOnly.host} refused the operator's credentials for it (HTTP 401)`);
      expect(headers(since(basicOnly, n), "registry")).toEqual(["Bearer static-token-8e21"]);
    } finally {
      await basicOnly.close();
    }
  });

  it("a HelmRepository without spec.secretRef pulls anonymously: the realm is sent nothing", async () => {
    const n = own.seen.length;
    const out = await renderFluxRelease(oci(own, { secretRef: false }), [own.host], credentials({ [own.host]: USER }));
    expect(problems(out).join("\n")).toContain(`${own.host} requires credentials (HTTP 401); none are sent because the source declares no authentication`);
    expect(since(own, n).every((s) => s.authorization === undefined)).toBe(true);
  });
});
