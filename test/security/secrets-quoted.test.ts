/**
 * Secrets a tool quotes in its messages (issue 11, third red team): credentials under plain
 * Helm keys quoted by a failing chart, credentials in a recognisable form quoted by any tool,
 * and finding ids, which are published, computed over the scrubbed message rather than over
 * the secret.
 */
import { describe, expect, it } from "vitest";
import { findingId, withoutPlace, makeFinding, type Finding } from "../../src/core/model/finding.js";
import type { Report } from "../../src/core/model/report.js";
import { problemToFinding } from "../../src/core/pipeline/findings.js";
import { scrubReview } from "../../src/core/pipeline/scrub.js";
import { unambiguousCredentials } from "../../src/core/secrets/credential-values.js";
import { REDACTED, SecretSet } from "../../src/core/secrets/secret-set.js";
import { valuesFileSecrets } from "../../src/render/helm/known-secrets.js";

const report = (findings: Finding[], error?: string): Report => ({
  schemaVersion: 1,
  base: { ref: "base" },
  head: { ref: "head" },
  targets: [{ id: "web", type: "helm", path: "web", affected: true, status: "failed", renderer: { name: "helm", version: null }, resources: { base: 0, head: 0 }, durationMs: 1, ...(error ? { error } : {}) }],
  changes: [],
  findings,
});

describe("helm values known before rendering, under plain keys", () => {
  const values = [
    "database:",
    "  url: postgres://app:url-pw-canary-1@db:5432/shop",
    'args: "--db-password=arg-pw-canary-2 --verbose"',
    'header: "Authorization: Bearer bearer-canary-3.x1"',
    "existingSecret: db-credentials",
    "passwordSecretRef: db-ref",
    "note: 'password: required'",
    "",
  ].join("\n");

  it("collects a URL's password, a --*-password= argument and a Bearer token, wherever they are", () => {
    const found = valuesFileSecrets(values);
    expect(found).toEqual(expect.arrayContaining(["url-pw-canary-1", "arg-pw-canary-2", "bearer-canary-3.x1"]));
  });

  it("leaves Secret names and prose alone", () => {
    const found = valuesFileSecrets(values);
    expect(found).not.toContain("db-credentials");
    expect(found).not.toContain("db-ref");
    expect(found).not.toContain("required");
  });
});

describe("credentials quoted in messages", () => {
  it("only the forms that say so themselves", () => {
    const message = "dial postgres://app:url-pw-9@db: refused; --db-password=arg-pw-9; Authorization: Bearer tok-en-0000-9";
    expect(unambiguousCredentials(message)).toEqual(["url-pw-9", "arg-pw-9", "tok-en-0000-9"]);
    expect(unambiguousCredentials("password: required")).toEqual([]);
  });

  it("join the run's set before the report is scrubbed: messages, target errors and tool errors", () => {
    const secrets = new SecretSet();
    const f = problemToFinding({ ruleId: "render/failed", severity: "error", message: "cannot reach postgres://app:computed-pw-1@db" }, "web");
    const { report: out, toolErrors } = scrubReview(report([f], "web: Authorization: Bearer target-tok-2.x"), ["web: --api-token=tool-tok-3"], secrets);
    const text = JSON.stringify(out) + toolErrors.join("\n");
    for (const canary of ["computed-pw-1", "target-tok-2.x", "tool-tok-3"]) expect(text).not.toContain(canary);
    expect(out.findings[0]!.message).toBe(`cannot reach postgres://app:${REDACTED}@db`);
    // The run's set holds them now: the sinks that scrub again hide them too.
    expect(secrets.scrub("tool-tok-3 computed-pw-1")).toBe(`${REDACTED} ${REDACTED}`);
  });
});

describe("finding ids over quoted secrets", () => {
  const failing = (password: string) =>
    problemToFinding({ ruleId: "render/failed", severity: "error", file: "web/Chart.yaml", message: `execution error at (web/templates/check.yaml:1:4): rejected password ${password}` }, "web");

  it("are the same whatever the secret was, and are no digest of it", () => {
    const ids = ["pw-canary-AAAA", "pw-canary-BBBB"].map((pw) => {
      const { report: out } = scrubReview(report([failing(pw)]), [], new SecretSet().addCredential(pw));
      expect(out.findings[0]!.message).not.toContain(pw);
      return out.findings[0]!.id;
    });
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).not.toBe(failing("pw-canary-AAAA").id);
    // From the scrubbed message without its place (file name and line numbers).
    expect(ids[0]).toBe(findingId(failing("x"), withoutPlace(`execution error at (web/templates/check.yaml:1:4): rejected password ${REDACTED}`, "web/Chart.yaml")));
  });

  it("are kept when the message holds no secret", () => {
    const f = makeFinding({ source: "policy", ruleId: "policy/x", severity: "warning", message: "replicas is 1", target: "web", path: "spec.replicas" });
    const { report: out } = scrubReview(report([f]), [], new SecretSet().addCredential("unrelated-secret-1"));
    expect(out.findings[0]!.id).toBe(f.id);
  });
});
