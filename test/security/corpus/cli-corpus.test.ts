/**
 * The attack corpus against the CLI (issue 11, "Done when"): variants of the found attacks,
 * each run through `shipshape check` in every output format, must leak no host file, no
 * process environment, no repository secret, reach no network, write nothing outside the
 * scratch folder, and hide no change. One test per case; the cases live in cases/.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CLI_CASES } from "./cases/index.js";
import { runCliCase } from "./harness/cli.js";
import { listing } from "./harness/files.js";
import { createHost, type Host } from "./harness/host.js";
import { limit } from "./harness/pool.js";

let host: Host;
const pool = limit(3);

// Each case is reviewed once and printed in every format by the CLI's own writeReport (harness/formats.ts).
vi.mock("../../../src/cli/write-report.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../src/cli/write-report.js")>();
  const { fanOutWriteReport } = await import("./harness/formats.js");
  return { ...real, writeReport: fanOutWriteReport(real.writeReport) };
});

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

  it.concurrent("harness: one review printed in every format prints what one run per format prints", async () => {
    const c = CLI_CASES.find((x) => x.id === "secret/helm-fail-quotes-secret-value")!;
    const [once, separate] = await Promise.all([pool(() => runCliCase(c, host)), pool(() => runCliCase(c, host, { separateRuns: true }))]);
    // Timings and temp folders' random names are the only things two reviews of one input print differently.
    const untimed = (text: string) => text.replace(/(corpus-[\w-]*-|shipshape-)[A-Za-z0-9]{6}(?![\w-])/g, "$1XXXXXX").replace(/"durationMs": \d+/g, '"durationMs": 0').replace(/\b\d+(\.\d+)?(ms|s)\b/g, "T").replace(/"ms":\d+/g, '"ms":0').replace(/\bms=\d+/g, "ms=0");
    for (const name of ["json", "sarif", "markdown", "text"]) {
      expect(once.runs[name]!.stdout.length, name).toBeGreaterThan(100);
      expect(untimed(once.runs[name]!.stdout), name).toBe(untimed(separate.runs[name]!.stdout));
      expect(once.runs[name]!.code, name).toBe(separate.runs[name]!.code);
      // Every run's stderr is the verbose run's, or a part of it.
      const lines = new Set(untimed(once.runs[name]!.stderr).split("\n"));
      expect(untimed(separate.runs[name]!.stderr).split("\n").filter((l) => !lines.has(l)), name).toEqual([]);
    }
    expect(untimed(once.runs.text!.stderr)).toBe(untimed(separate.runs.text!.stderr));
    expect(once.violations).toEqual(separate.violations);
  });

  it("nothing reached the loopback server or the sentinel folder outside the cases", async () => {
    expect(host.loopback.hits.filter((h) => !h.url.startsWith("/c/"))).toEqual([]);
    expect([...(await listing(host.sentinel)).keys()].filter((p) => !CLI_CASES.some((c) => p.includes(c.id.replace(/[^A-Za-z0-9]+/g, "-"))))).toEqual([]);
  });
});
