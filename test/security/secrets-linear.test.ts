/**
 * The secret finders on long lines (issue 11, third red team: 70,000 letters and one `=` in a
 * ConfigMap value took credentialSpans 14 s, the URL-password pattern rescanning the letters
 * from each position). Each input below is 200,000 characters: a pattern that backtracks over
 * it takes minutes and fails the test's timeout; each test asserts what is found.
 */
import { describe, expect, it } from "vitest";
import { assignments, valueForms } from "../../src/core/secrets/assignments.js";
import { CREDENTIAL_URL, credentialSpans } from "../../src/core/secrets/credential-values.js";
import { valuesFileSecrets } from "../../src/render/helm/known-secrets.js";

const N = 200_000;
const found = (text: string) => credentialSpans(text).map((s) => text.slice(s.start, s.end));

describe("credentialSpans on long lines", () => {
  it.each([
    ["letters then =", "a".repeat(N) + "="],
    ["letters then ://", "a".repeat(N) + "://"],
    [":// then letters", "x://" + "a".repeat(N)],
    ["a URL whose user never ends", "s://" + "a".repeat(N) + ":"],
    ["a password of colons without @", "x://a:" + ":".repeat(N)],
    ["dotted letters then :", "a.".repeat(N / 2) + ":"],
    ["a = after every letter", "a=".repeat(N / 2)],
    ["Authorization then spaces", "Authorization" + " ".repeat(N)],
    ["Bearer then spaces", "Bearer" + " ".repeat(N)],
  ])("%s: nothing found, in linear time", (_, text) => {
    expect(found(text)).toEqual([]);
    expect(CREDENTIAL_URL.test(text)).toBe(false);
  });

  it("still finds a URL's password behind a long scheme and after a long text", () => {
    const text = `${"a".repeat(N)} ${"b".repeat(N)}+x://app:pa55-word-1@db/shop ${"c".repeat(N)}`;
    expect(found(text)).toEqual(["pa55-word-1"]);
    expect(CREDENTIAL_URL.test(text)).toBe(true);
    // A scheme starts with a letter: digits alone before `://` are no scheme.
    expect(found("1://app:pa55-word-1@db")).toEqual([]);
    expect(found("postgres://app:pa55-word-1@db postgres://app:other-pw-2@db")).toEqual(["pa55-word-1", "other-pw-2"]);
  });
});

describe("values known before rendering, on long lines", () => {
  it("a helm values line with a long run of spaces before a comment", () => {
    expect(valuesFileSecrets(`password: pw-canary-1${" ".repeat(N)}#c\n`)).toContain("pw-canary-1");
    expect(valuesFileSecrets(`password: pw${" ".repeat(N)}canary-2\n`)).toContain(`pw${" ".repeat(N)}canary-2`);
    expect(valuesFileSecrets(`password: "pw-canary-3" # a comment\n`)).toContain("pw-canary-3");
  });

  it("assignments and value forms", () => {
    expect(assignments("- ".repeat(N / 2) + "x")).toEqual([]);
    expect(assignments(`${" ".repeat(N)}KEY${"\t".repeat(N)}= v`)).toEqual([{ key: "KEY", value: "v" }]);
    expect(valueForms("${".repeat(N / 2))).toContain("${".repeat(N / 2));
  });
});
