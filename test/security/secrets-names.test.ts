/**
 * One credential-name test (src/core/secrets/credential-name.ts) serves the diff redactor,
 * the secret collector, schema messages and the two built-in credential policies. The
 * policies are Kyverno YAML with the patterns written out; these tests fail when either
 * policy stops carrying the core's patterns, or when the policy engine and the core disagree
 * about any name.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { redactPair } from "../../src/core/diff/redact.js";
import { CREDENTIAL_NAME_PATTERN, CREDENTIAL_POINTER_PATTERN, isCredentialName } from "../../src/core/secrets/credential-name.js";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { evaluate, policyFrom, pod } from "../policy/helpers/policy.js";

const K8S_POLICY = "policies/kubernetes/no-plaintext-secrets-in-env/no-plaintext-secrets-in-env.yaml";
const COMPOSE_POLICY = "policies/compose/compose-no-secrets-in-environment/compose-no-secrets-in-environment.yaml";

const NAMES: [string, boolean][] = [
  ["PGPASSWORD", true],
  ["CLIENTSECRET", true],
  ["DB_PASSWORD", true],
  ["db_passwd", true],
  ["GITHUB_TOKEN", true],
  ["stripe_api_key", true],
  ["X-API-KEY", true],
  ["AWS_SECRET_ACCESS_KEY", true],
  ["TLS_PRIVATE_KEY", true],
  ["GOOGLE_APPLICATION_CREDENTIALS_JSON", true],
  ["HTTP_AUTHORIZATION", true],
  ["SMTP_PASS", true],
  ["PASS", true],
  ["DB_PWD", true],
  ["DB_PASSWORD_FILE", false],
  ["TOKEN-FILE", false],
  ["TLS_SECRET_NAME", false],
  ["OAUTH_TOKEN_URL", false],
  ["PASSENGER_LIMIT", false],
  ["BYPASS_CACHE", false],
  ["PWD", false],
  ["AUTH_ENABLED", false],
  ["LEGACY_AUTH", false],
  ["LOG_LEVEL", false],
  ["VLLM_MAX_TOKENS", false],
  ["MAX_NEW_TOKENS", false],
  ["TOKENS_PER_MINUTE", false],
  ["ACCESS_TOKEN_TTL", false],
  ["SESSION_SECRET_LIFETIME", false],
  ["MIN_PASSWORD_LENGTH", false],
  ["REFRESH_TOKEN_TIMEOUT", false],
  ["TOKEN", true],
  ["TOKEN_SECRET", true],
  ["BEARER_TOKEN_VALUE", true],
  ["API_TOKENS", true],
  ["ALLOWED_TOKENS", true],
];

describe("the credential-name test", () => {
  it.each(NAMES)("%s → %s", (name, expected) => {
    expect(isCredentialName(name)).toBe(expected);
  });
});

describe("the built-in policies use the core's patterns", () => {
  it.each([K8S_POLICY, COMPOSE_POLICY])("%s carries both patterns literally", (file) => {
    const text = readFileSync(join(PROJECT_ROOT, file), "utf8");
    expect(text).toContain(`&& regex_match('${CREDENTIAL_NAME_PATTERN}', to_upper(name))`);
    expect(text).toContain(`&& !regex_match('${CREDENTIAL_POINTER_PATTERN}', to_upper(name))`);
  });

  it("the Kubernetes policy flags exactly the names the core calls credentials", () => {
    const policy = policyFrom(readFileSync(join(PROJECT_ROOT, K8S_POLICY), "utf8"));
    for (const [name, expected] of NAMES) {
      const results = evaluate(policy, pod({ containers: [{ name: "c", image: "x:1", env: [{ name, value: "literal-1" }] }] }));
      expect(results.map((r) => r.status), name).toEqual([expected ? "fail" : "pass"]);
    }
  });

  it("the Compose policy flags exactly the names the core calls credentials", () => {
    const policy = policyFrom(readFileSync(join(PROJECT_ROOT, COMPOSE_POLICY), "utf8"));
    for (const [name, expected] of NAMES) {
      const service = { object: { apiVersion: "compose/v1", kind: "Service", metadata: { name: "s" }, spec: { image: "x:1", environment: { [name]: "literal-1" } } } };
      expect(evaluate(policy, service).map((r) => r.status), name).toEqual([expected ? "fail" : "pass"]);
    }
  });

  it("the diff redactor hides exactly the values of those names", () => {
    const env = NAMES.map(([name], i) => ({ name, value: `literal-${i}` }));
    const body = { spec: { containers: [{ name: "c", env }] } };
    const { head } = redactPair(undefined, body, { apiVersion: "v1", kind: "Pod" });
    const shown = ((head!.spec as any).containers[0].env as { name: string; value: string }[]).map((e) => e.value.startsWith("<redacted"));
    expect(shown).toEqual(NAMES.map(([, expected]) => expected));
  });
});
