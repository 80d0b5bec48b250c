/**
 * The attack corpus against the CLI (issue 11, "Done when"): variants of the found attacks,
 * each run through `shipshape check` in every output format, must leak no host file, no
 * process environment, no repository secret, reach no network, write nothing outside the
 * scratch folder, and hide no change. One test per case; the cases live in cases/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_CASES } from "./cases/index.js";
import { runCliCase } from "./harness/cli.js";
import { listing } from "./harness/files.js";
import { createHost, type Host } from "./harness/host.js";
import { limit } from "./harness/pool.js";

let host: Host;
const pool = limit(3);

beforeAll(async () => {
  host = await createHost();
});
afterAll(async () => {
  await host?.close();
});

describe("attack corpus: CLI", () => {
  for (const c of CLI_CASES) {
    it.concurrent(`${c.id} — ${c.attack}`, async () => {
      const result = await pool(() => runCliCase(c, host));
      const lines = result.violations.map((v) => `[${v.guarantee}] ${v.detail}`);
      expect(lines, `${c.id} broke a guarantee`).toEqual([]);
    });
  }

  it("nothing reached the loopback server or the sentinel folder outside the cases", async () => {
    expect(host.loopback.hits.filter((h) => !h.url.startsWith("/c/"))).toEqual([]);
    expect([...(await listing(host.sentinel)).keys()].filter((p) => !CLI_CASES.some((c) => p.includes(c.id.replace(/[^A-Za-z0-9]+/g, "-"))))).toEqual([]);
  });
});
