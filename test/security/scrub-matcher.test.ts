/**
 * The scrubber's matcher at any size (issue 11, third red team: a 30 KB CA bundle in a Secret
 * made the one-regex matcher throw "Regular expression too large", quoting every secret), and
 * its sinks failing closed: when scrubbing throws, nothing unscrubbed leaves the process.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { run as runAction } from "../../action/src/main.js";
import type { ActionEnvironment } from "../../action/src/environment.js";
import { createToolkit } from "../../action/src/toolkit.js";
import { onRunner } from "../action/runner.js";
import { scrubbingApi } from "../../src/app/github-api.js";
import { main } from "../../src/cli/main.js";
import type { CliEnvironment } from "../../src/cli/environment.js";
import type { GitHubApi } from "../../src/github/api.js";
import { LiteralSearch, PIECE } from "../../src/core/secrets/literal-search.js";
import { scrubbingLogger } from "../../src/core/secrets/scrubbing-logger.js";
import { REDACTED, ScrubError, SecretSet } from "../../src/core/secrets/secret-set.js";

/** PEM-looking certificates of 20 base64 lines each: `blocks` × 1.4 KB. */
function bundle(blocks: number): string {
  const out: string[] = [];
  for (let b = 0; b < blocks; b++) {
    const lines = Array.from({ length: 20 }, (_, l) => createHash("sha512").update(`${b}/${l}`).digest("base64").slice(0, 64));
    out.push(`-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----`);
  }
  return `${out.join("\n")}\n`;
}

describe("the scrubber's matcher at any size", () => {
  it("scrubs a 30 KB CA bundle in every form, next to a password, without throwing", () => {
    const ca = bundle(20);
    const s = new SecretSet().addCredential("pw-canary-0042").add(ca);
    const line = ca.split("\n")[5]!;
    const text = `password pw-canary-0042\nheader -----BEGIN CERTIFICATE----- alone\nca:\n${ca}\njson ${JSON.stringify(ca)}\nb64 ${Buffer.from(ca.trim()).toString("base64")}\nline ${line} end`;
    const out = s.scrub(text);
    expect(out).not.toContain("pw-canary-0042");
    expect(out).not.toContain(line);
    expect(out).not.toContain(Buffer.from(ca.trim()).toString("base64").slice(0, 64));
    // Not a secret line of the bundle: on its own it stays.
    expect(out).toMatch(/^password \[redacted\]\nheader -----BEGIN CERTIFICATE----- alone\nca:\n\[redacted\]\n/);
    expect(out.endsWith(`line ${REDACTED} end`)).toBe(true);
  });

  it("scrubs a value of two megabytes and thousands of values", () => {
    const big = createHash("sha256").update("x").digest("hex").repeat(32_000); // 2 MB, one line
    const many = Array.from({ length: 5000 }, (_, i) => `value-${i}-${(i * 7919).toString(36)}-canary`);
    const s = SecretSet.of([big, ...many]);
    expect(s.scrub(`a ${big} b`)).toBe(`a ${REDACTED} b`);
    expect(s.scrub(`x ${many[4999]} y ${many[0]}`)).toBe(`x ${REDACTED} y ${REDACTED}`);
  });

  it("adds a value's URL encodings, Go's too, and takes a lone surrogate", () => {
    const s = SecretSet.of(["p@ss w/rd+9!(x)*'", "lone-\uD800-surrogate"]);
    expect(s.scrub("q=p%40ss+w%2Frd%2B9%21%28x%29%2A%27&")).toBe(`q=${REDACTED}&`);
    expect(s.scrub(`q=${encodeURIComponent("p@ss w/rd+9!(x)*'")}&`)).toBe(`q=${REDACTED}&`);
    expect(s.scrub("x lone-\uD800-surrogate lone-%EF%BF%BD-surrogate")).toBe(`x ${REDACTED} ${REDACTED}`);
  });

  it("hides every occurrence when two values overlap in the text", () => {
    const s = SecretSet.of(["abcdefgh12", "gh12345678"]);
    expect(s.scrub("<abcdefgh12345678>")).toBe(`<${REDACTED}>`);
  });

  it("finds a value longer than a piece wherever it stands, and its pieces alone", () => {
    const long = Array.from({ length: 3 * PIECE + 17 }, (_, i) => String.fromCharCode(33 + ((i * 7) % 90))).join("");
    const search = new LiteralSearch([{ text: long, whole: false }]);
    const text = `head ${long} tail ${long.slice(PIECE, 2 * PIECE)} end`;
    expect(search.ranges(text)).toEqual([5, 5 + long.length, 5 + long.length + 6, 5 + long.length + 6 + PIECE]);
    expect(search.ranges(long.slice(1, -1))).not.toEqual([0, long.length - 2]); // a part shorter than its pieces is not found…
    expect(search.ranges(long.slice(0, PIECE))).toEqual([0, PIECE]); // …a whole piece is
  });

  it("keeps whole-token rules in the automaton: short and plain-word values stand alone", () => {
    const search = new LiteralSearch([
      { text: "hunt3r2", whole: true },
      { text: "supersecret", whole: true },
      { text: "long-value-1", whole: false },
    ]);
    const text = "hunt3r2 xhunt3r2 supersecrets supersecret xlong-value-1x";
    const cut = (r: number[]) => Array.from({ length: r.length / 2 }, (_, i) => text.slice(r[2 * i], r[2 * i + 1]));
    expect(cut(search.ranges(text))).toEqual(["hunt3r2", "supersecret", "long-value-1"]);
  });

  it("stays linear on repetitive text against repetitive values", () => {
    const s = SecretSet.of(["ab".repeat(400) + "c", "ab".repeat(100) + "d", "abababab"]);
    const text = "ab".repeat(1_000_000);
    const out = s.scrub(text);
    // The 256-character pieces of the first value cover everything; the others end in c and d.
    expect(out).toBe(REDACTED);
  });
});

describe("sinks fail closed when scrubbing throws", () => {
  afterEach(() => vi.restoreAllMocks());
  const CANARY = "UNSCRUBBED-CANARY-7731";
  const breakScrubbing = () =>
    vi.spyOn(SecretSet.prototype, "scrub").mockImplementation(() => {
      throw new ScrubError();
    });

  it("the CLI writes nothing it could not scrub, says why on stderr, and exits 3", async () => {
    breakScrubbing();
    let stdout = "";
    let stderr = "";
    const env = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), operatorSecrets: [CANARY] } as unknown as CliEnvironment;
    const code = await main(["check", `--bogus=${CANARY}`], env);
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toBe(`shipshape: ${new ScrubError().message}\n`);
  });

  it("the scrubbing logger replaces the entry by a fixed warning", () => {
    breakScrubbing();
    const entries: unknown[] = [];
    const sink = { debug: (...a: unknown[]) => entries.push(["debug", ...a]), info: (...a: unknown[]) => entries.push(["info", ...a]), warn: (...a: unknown[]) => entries.push(["warn", ...a]) };
    scrubbingLogger(sink, SecretSet.of([CANARY])).info(`tool said ${CANARY}`, { stderr: CANARY });
    expect(JSON.stringify(entries)).not.toContain(CANARY);
    expect(entries).toEqual([["warn", "log entry withheld", { level: "info", reason: new ScrubError().message }]]);
  });

  it("the GitHub wrapper sends no request it could not scrub", async () => {
    const sent: unknown[] = [];
    const api: GitHubApi = { request: async (route, params) => (sent.push([route, params]), { data: {} }) as never, graphql: async (q, v) => (sent.push([q, v]), {}) as never };
    const wrapped = scrubbingApi(api, SecretSet.of([CANARY]));
    vi.spyOn(SecretSet.prototype, "scrubDeep").mockImplementation(() => {
      throw new ScrubError();
    });
    await expect(wrapped.request("POST /x", { body: CANARY })).rejects.toBeInstanceOf(ScrubError);
    await expect(wrapped.graphql("mutation", { body: CANARY })).rejects.toBeInstanceOf(ScrubError);
    expect(sent).toEqual([]);
  });

  it("the Action prints a fixed error instead of the line and fails the step", async () => {
    breakScrubbing();
    const env = { workspace: "/nonexistent", tmpDir: "/nonexistent" } as unknown as ActionEnvironment;
    const { result: code, stdout, summary, outputFile } = await onRunner({ "fail-on": CANARY }, () => runAction(env));
    expect(code).toBe(3);
    expect(stdout).not.toContain(CANARY);
    expect(stdout).toMatch(/^::error title=Shipshape%3A output withheld::scrubbing an output for secrets failed/m);
    expect(summary + outputFile).toBe("");
  });

  it("the Action writes a fixed summary and no output it could not scrub", async () => {
    const secrets = SecretSet.of([CANARY]);
    const out = createToolkit(secrets);
    breakScrubbing();
    const view = await onRunner({}, async () => {
      await out.summary(`## Report\n${CANARY}\n`);
      out.setOutputs({ "risk-level": CANARY });
      out.startGroup(CANARY);
      return out.withheld;
    });
    expect(view.result).toBe(true);
    expect(view.summary).toBe(`## Shipshape\n\n${new ScrubError().message}\n`);
    expect(view.outputFile).toBe("");
    expect(view.stdout).not.toContain(CANARY);
  });
});
