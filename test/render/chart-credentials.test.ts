/**
 * The operator's chart credentials as entry points read them: JSON keyed by host[:port], from
 * SHIPSHAPE_CHART_CREDENTIALS or the file SHIPSHAPE_CHART_CREDENTIALS_FILE names; a malformed
 * value is an error naming the variable and the problem, never the value.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { authorizationOf, chartCredentialSecrets, credentialFor, parseChartCredentials } from "../../src/render/chart-credentials.js";
import { readChartCredentials } from "../../src/render/chart-credentials-env.js";
import { readAppEnvironment } from "../../src/app/environment.js";

const CANARY = "canary-pw-4f1d9c2e7b";

describe("parseChartCredentials", () => {
  it("reads user and password or token entries, keyed by lower-cased host or host:port", () => {
    const got = parseChartCredentials(JSON.stringify({ "Charts.Example.com": { username: "ci", password: CANARY }, "127.0.0.1:5000": { token: "tok-123456789" } }), "X");
    if (!got.ok) throw new Error(got.error);
    expect([...got.credentials.keys()]).toEqual(["charts.example.com", "127.0.0.1:5000"]);
    expect(credentialFor(new URL("https://charts.example.com/stable/index.yaml"), got.credentials)).toEqual({ kind: "basic", username: "ci", password: CANARY });
    // Keyed by host and port: another port, a look-alike host, a sub-domain get nothing.
    expect(credentialFor(new URL("https://charts.example.com:8443/x"), got.credentials)).toBeUndefined();
    expect(credentialFor(new URL("https://charts.example.com.evil.test/x"), got.credentials)).toBeUndefined();
    expect(credentialFor(new URL("https://x.charts.example.com/x"), got.credentials)).toBeUndefined();
    expect(authorizationOf(credentialFor(new URL("http://127.0.0.1:5000/v2/"), got.credentials)!)).toBe("Bearer tok-123456789");
    expect(chartCredentialSecrets(got.credentials)).toEqual([CANARY, Buffer.from(`ci:${CANARY}`).toString("base64"), "tok-123456789"]);
  });

  it.each([
    ["not JSON", `{"charts.example.com": {"password": "${CANARY}"`, /^X: not valid JSON/],
    ["not an object", `["${CANARY}"]`, /^X: must be a JSON object keyed by host/],
    ["a URL as key", JSON.stringify({ "https://charts.example.com": { token: CANARY } }), /key "https:\/\/charts.example.com" must be a host or host:port/],
    ["a path in the key", JSON.stringify({ "charts.example.com/stable": { token: CANARY } }), /must be a host or host:port/],
    ["a password without user", JSON.stringify({ "charts.example.com": { password: CANARY } }), /charts.example.com: must be \{"username"/],
    ["both forms", JSON.stringify({ "charts.example.com": { username: "ci", password: CANARY, token: CANARY } }), /charts.example.com: must be/],
    ["an unknown field", JSON.stringify({ "charts.example.com": { user: "ci", password: CANARY } }), /unknown field "user"/],
    ["an empty token", JSON.stringify({ "charts.example.com": { token: "" } }), /token must be a non-empty string/],
    ["a number as password", JSON.stringify({ "charts.example.com": { username: "ci", password: 1234567 } }), /non-empty strings/],
    ["a colon in the user", JSON.stringify({ "charts.example.com": { username: "c:i", password: CANARY } }), /cannot contain ":"/],
    ["the same host twice", `{"charts.example.com": {"token": "${CANARY}"}, "CHARTS.example.com": {"token": "${CANARY}"}}`, /host charts.example.com is given twice/],
  ])("refuses %s, naming the source and never echoing a value", (_what, text, message) => {
    const got = parseChartCredentials(text, "X");
    expect(got.ok).toBe(false);
    const error = got.ok ? "" : got.error;
    expect(error).toMatch(message);
    expect(error).not.toContain(CANARY);
    expect(error).not.toContain("1234567");
  });
});

describe("readChartCredentials (entry points)", () => {
  it("reads the variable, or the file the _FILE variable names (relative to the working directory)", () => {
    const dir = mkdtempSync(join(tmpdir(), "shipshape-creds-"));
    writeFileSync(join(dir, "creds.json"), JSON.stringify({ "charts.example.com": { token: CANARY } }));
    const fromFile = readChartCredentials({ SHIPSHAPE_CHART_CREDENTIALS_FILE: "creds.json" }, dir);
    expect(fromFile.ok && fromFile.credentials.get("charts.example.com")).toEqual({ kind: "token", token: CANARY });
    const fromVar = readChartCredentials({ SHIPSHAPE_CHART_CREDENTIALS: JSON.stringify({ "a.example.com": { token: CANARY } }) }, dir);
    expect(fromVar.ok && [...fromVar.credentials.keys()]).toEqual(["a.example.com"]);
    expect(readChartCredentials({}, dir)).toEqual({ ok: true, credentials: new Map() });
  });

  it("refuses both at once, a missing file and a malformed file, naming the variable", () => {
    const dir = mkdtempSync(join(tmpdir(), "shipshape-creds-"));
    writeFileSync(join(dir, "bad.json"), `{"charts.example.com": "${CANARY}"}`);
    const both = readChartCredentials({ SHIPSHAPE_CHART_CREDENTIALS: "{}", SHIPSHAPE_CHART_CREDENTIALS_FILE: "x.json" }, dir);
    expect(both).toEqual({ ok: false, error: "SHIPSHAPE_CHART_CREDENTIALS and SHIPSHAPE_CHART_CREDENTIALS_FILE are both set; chart credentials come from one of them" });
    expect(readChartCredentials({ SHIPSHAPE_CHART_CREDENTIALS_FILE: "missing.json" }, dir)).toEqual({ ok: false, error: 'SHIPSHAPE_CHART_CREDENTIALS_FILE: the file "missing.json" cannot be read (ENOENT)' });
    const bad = readChartCredentials({ SHIPSHAPE_CHART_CREDENTIALS_FILE: "bad.json" }, dir);
    expect(bad.ok ? "" : bad.error).toMatch(/^SHIPSHAPE_CHART_CREDENTIALS_FILE: charts.example.com: must be/);
    expect(bad.ok ? "" : bad.error).not.toContain(CANARY);
  });
});

describe("the App's environment", () => {
  it("holds the credentials, and their values among the operator's secrets", () => {
    const env = readAppEnvironment({ SHIPSHAPE_CHART_CREDENTIALS: JSON.stringify({ "charts.example.com": { username: "ci", password: CANARY } }) });
    expect(env.chartCredentials?.get("charts.example.com")).toEqual({ kind: "basic", username: "ci", password: CANARY });
    expect(env.operatorSecrets).toEqual(expect.arrayContaining([CANARY, Buffer.from(`ci:${CANARY}`).toString("base64")]));
  });

  it("refuses to start on a malformed value, naming the variable and never the value", () => {
    expect(() => readAppEnvironment({ SHIPSHAPE_CHART_CREDENTIALS: `{"charts.example.com": "${CANARY}"}` })).toThrow(
      'Shipshape cannot start: SHIPSHAPE_CHART_CREDENTIALS: charts.example.com: must be {"username": "…", "password": "…"} or {"token": "…"}',
    );
  });
});
