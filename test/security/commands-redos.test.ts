/**
 * Command parsing runs in the webhook handler, on the App's one event loop, for comments by
 * anyone. `/[:,;.]+$/` (and `` /`+$/ ``) retried from every position of a long run that is not
 * at the end: `/shipshape waive ;;;…;x reason` with 40,000 semicolons took about 3 s per
 * pattern, four patterns per parse. Trimming is now a loop and a first word longer than any
 * rule id is not trimmed at all.
 */
import { describe, expect, it } from "vitest";
import { MAX_SCANNED_CHARS, parseComment } from "../../src/github/commands/parse.js";

const RUN = 40_000;
const options = { appSlug: "shipshape" };

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe("command parsing in linear time", () => {
  for (const [name, run] of [
    ["semicolons", ";".repeat(RUN)],
    ["colons and dots", ":.".repeat(RUN / 2)],
    ["backticks", "`".repeat(RUN)],
    ["backticks then semicolons", "`".repeat(RUN / 2) + ";".repeat(RUN / 2)],
  ] as const) {
    it(`a waive whose first word is a run of ${name} parses as fast as one of letters`, () => {
      const attack = timed(() => parseComment(`/shipshape waive ${run}x reason`, options));
      const control = timed(() => parseComment(`/shipshape waive ${"a".repeat(run.length)}x reason`, options));
      // A quadratic pass over 40,000 characters takes seconds; a linear one well under 100 ms.
      expect(attack.ms).toBeLessThan(Math.max(100, 5 * control.ms));
      // Too long a word is not a rule: it starts the reason, which is then too long.
      expect(attack.value.results).toMatchObject([{ kind: "invalid", name: "waive", message: "a reason can be at most 500 characters" }]);
    });
  }

  it("still reads a rule with its report punctuation and backticks", () => {
    const parsed = parseComment("/shipshape waive `schema/invalid`:; the CRD is generated\n/shipshape unwaive 0123456789AB.", options);
    expect(parsed.results.map((r) => (r.kind === "command" ? r.command : r))).toEqual([
      { name: "waive", rule: "schema/invalid", reason: "the CRD is generated" },
      { name: "unwaive", rule: "0123456789ab" },
    ]);
  });

  it("reads at most GitHub's comment size, however many lines", () => {
    const body = "/shipshape help\n".repeat(MAX_SCANNED_CHARS / 8);
    const { value, ms } = timed(() => parseComment(body, options));
    expect(value.truncated).toBe(true);
    expect(value.results).toHaveLength(10);
    expect(value.ignored).toBe(Math.floor(MAX_SCANNED_CHARS / 16) - 10);
    // Linear: a few milliseconds; a pass per line over the whole body would take seconds.
    expect(ms).toBeLessThan(2_000);
  });
});
