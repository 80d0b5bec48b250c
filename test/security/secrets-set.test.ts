/**
 * The run-wide secret set and what fills it: the scrubber's length and form rules, credential
 * spans inside strings, the values collected from rendered resources, the values known
 * before rendering (kustomize generators, Compose files and env files), the operator's own
 * environment, and messages that name the key instead of the value.
 */
import { describe, expect, it } from "vitest";
import { redactPair } from "../../src/core/diff/redact.js";
import type { Resource } from "../../src/core/model/resource.js";
import { collectSecrets } from "../../src/core/secrets/collect.js";
import { credentialSpans, splitFlagValues } from "../../src/core/secrets/credential-values.js";
import { operatorSecretValues } from "../../src/core/secrets/operator.js";
import { scrubbingLogger } from "../../src/core/secrets/scrubbing-logger.js";
import { REDACTED, SecretSet } from "../../src/core/secrets/secret-set.js";
import { fromPino } from "../../src/app/logger.js";
import { readAppEnvironment } from "../../src/app/environment.js";
import { readActionEnvironment } from "../../action/src/environment.js";
import { readEnvironment } from "../../src/cli/environment.js";
import { parseDotenv } from "../../src/render/compose/dotenv.js";
import { interpolate } from "../../src/render/compose/interpolate.js";
import { knownSecrets } from "../../src/render/compose/known-secrets.js";
import { valuesFileSecrets } from "../../src/render/helm/known-secrets.js";
import { envFileValues, literalValues } from "../../src/render/kustomize/known-secrets.js";
import { parseYamlStream } from "../../src/yaml/parse.js";

const set = (...values: string[]) => SecretSet.of(values);

describe("SecretSet.scrub", () => {
  it("replaces a value of eight characters or more wherever it appears", () => {
    expect(set("s3cr3t-value").scrub("a=s3cr3t-value;b=xs3cr3t-valuex")).toBe(`a=${REDACTED};b=x${REDACTED}x`);
  });

  it("replaces a value of four to seven characters only as a whole token", () => {
    const s = set("hunt3r2");
    expect(s.scrub("pw: hunt3r2, again hunt3r2")).toBe(`pw: ${REDACTED}, again ${REDACTED}`);
    expect(s.scrub("xhunt3r2 hunt3r2x hunt3r2_")).toBe("xhunt3r2 hunt3r2x hunt3r2_");
  });

  it("leaves values too short or too common to scrub without destroying the text", () => {
    const s = set("abc", "postgres", "shop", "3600", "true", "");
    expect(s.size).toBe(0);
    expect(s.scrub("image postgres:16, shop, ttl 3600, abc, true")).toBe("image postgres:16, shop, ttl 3600, abc, true");
    // A long word of letters is a passphrase, not a name.
    expect(set("correcthorsebatterystaple").scrub("pw correcthorsebatterystaple")).toBe(`pw ${REDACTED}`);
  });

  it("scrubs a credential that is a plain word as a whole token, whatever its length", () => {
    const s = new SecretSet().addCredential("supersecret").addCredential("hunter");
    expect(s.scrub("pw supersecret, again hunter")).toBe(`pw ${REDACTED}, again ${REDACTED}`);
    // Inside a longer word it is not the credential: names like "hunters" stay.
    expect(s.scrub("supersecrets hunters")).toBe("supersecrets hunters");
    // The same word as a mere Secret value (a database name) is left to the diff redactor.
    expect(new SecretSet().add("supersecret").scrub("pw supersecret")).toBe("pw supersecret");
  });

  it("never scrubs a YAML or JSON keyword named like a credential (usePassword: true), which would break a JSON report", () => {
    const s = new SecretSet();
    for (const v of ["true", "false", "True", "yes", "off", "null", "none"]) s.addCredential(v);
    const json = JSON.stringify({ affected: true, cached: false, error: null, note: "yes or none, off" });
    expect(s.scrub(json)).toBe(json);
    expect(JSON.parse(s.scrub(json))).toEqual({ affected: true, cached: false, error: null, note: "yes or none, off" });
  });

  it("scrubs a value written with its YAML quotes by what is inside, never eating a JSON report's quotes", () => {
    // christianh814/gitops-examples: `auth.password: "pricelist"`, and a target whose path is `pricelist`.
    const s = new SecretSet().treatAsNames(new Set(["pricelist"]));
    s.addCredential('"pricelist"').add("'hunter2x'").addCredential('"supersecret"');
    const json = JSON.stringify({ path: "pricelist", pw: "hunter2x", other: "supersecret" });
    expect(JSON.parse(s.scrub(json))).toEqual({ path: "pricelist", pw: REDACTED, other: REDACTED });
    expect(s.scrub('password: "supersecret"')).toBe(`password: "${REDACTED}"`);
  });

  it("matches the longest value first", () => {
    expect(set("abcd-1234", "abcd-1234-efgh").scrub("abcd-1234-efgh abcd-1234")).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("takes values with regular-expression characters literally", () => {
    expect(set("a.b*c+(d)?$1").scrub("x a.b*c+(d)?$1 axbbc")).toBe(`x ${REDACTED} axbbc`);
  });

  it("covers the encoded forms: base64 (both ways), JSON-escaped, percent-decoded", () => {
    const s = new SecretSet().addBase64(Buffer.from("db-pass-4242").toString("base64")).add('quo"te\\d-1').add("p%40ss-word9");
    expect(s.scrub("plain db-pass-4242")).toBe(`plain ${REDACTED}`);
    expect(s.scrub(`data ${Buffer.from("db-pass-4242").toString("base64")}`)).toBe(`data ${REDACTED}`);
    expect(s.scrub(JSON.stringify({ v: 'quo"te\\d-1' }))).toBe(`{"v":"${REDACTED}"}`);
    expect(s.scrub("url p@ss-word9")).toBe(`url ${REDACTED}`);
    // A value added plainly is scrubbed base64-encoded too.
    expect(set("plain-secret-77").scrub(Buffer.from("plain-secret-77").toString("base64"))).toContain(REDACTED);
    // Put into a URL by a template: helm's urlquery (Go's QueryEscape) and encodeURIComponent.
    const url = set("p@ss w/rd+9!");
    expect(url.scrub("https://x/?key=p%40ss+w%2Frd%2B9%21")).toBe(`https://x/?key=${REDACTED}`);
    expect(url.scrub(`https://x/?key=${encodeURIComponent("p@ss w/rd+9!")}`)).toBe(`https://x/?key=${REDACTED}`);
  });

  it("scrubs a multi-line value line by line, but not the ordinary lines of a config file", () => {
    const pem = "-----BEGIN KEY-----\nQ2FuYXJ5TGluZU9uZS0wMDAx\nQ2FuYXJ5TGluZVR3by0wMDAy\n-----END KEY-----";
    const kubeconfig = "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: kube-token-0042\n    client-key-data: TFMwdExTMUNSVWRKVGlCU1UwRWdVRkpK";
    const s = set(pem, kubeconfig);
    expect(s.scrub("line Q2FuYXJ5TGluZVR3by0wMDAy here")).toBe(`line ${REDACTED} here`);
    expect(s.scrub("token kube-token-0042 and TFMwdExTMUNSVWRKVGlCU1UwRWdVRkpK")).toBe(`token ${REDACTED} and ${REDACTED}`);
    expect(s.scrub("apiVersion: v1\nkind: Config")).toBe("apiVersion: v1\nkind: Config");
  });

  it("scrubs the word after a credential name in a line of words (a netrc)", () => {
    const s = set("machine github.com login deploy password netrc-pw-0042\nmachine other login x passwd short7x");
    expect(s.scrub("+ machine github.com login deploy password netrc-pw-0042")).toBe(`+ machine github.com login deploy password ${REDACTED}`);
    expect(s.scrub("passwd short7x")).toBe(`passwd ${REDACTED}`);
    expect(s.scrub("machine github.com login deploy")).toBe("machine github.com login deploy");
  });
});

describe("SecretSet.scrubDeep", () => {
  it("scrubs every string of a value but the kept keys and the object keys", () => {
    const s = set("deadbeef0001", "error-x1");
    const value = { id: "deadbeef0001", severity: "error-x1", message: "deadbeef0001 error-x1", list: ["deadbeef0001", 3, null], "deadbeef0001": 1 };
    expect(s.scrubDeep(value, { keep: new Set(["id", "severity"]) })).toEqual({
      id: "deadbeef0001",
      severity: "error-x1",
      message: `${REDACTED} ${REDACTED}`,
      list: [REDACTED, 3, null],
      "deadbeef0001": 1,
    });
  });

  it("a fork extends a copy: two runs' sets never mix", () => {
    const operator = set("operator-token-1");
    const run = operator.fork().add("run-secret-22");
    expect(run.scrub("operator-token-1 run-secret-22")).toBe(`${REDACTED} ${REDACTED}`);
    expect(operator.scrub("run-secret-22")).toBe("run-secret-22");
  });

  it("scrubs a large report fast, with one matcher for all values", () => {
    const values = Array.from({ length: 2000 }, (_, i) => `secret-value-${i}-${(i * 7919).toString(36)}`);
    const s = SecretSet.of(values);
    const chunk = "kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  image: ghcr.io/acme/web:1.2.3\n";
    const text = chunk.repeat(Math.ceil(5_000_000 / chunk.length)) + values[1999];
    const started = performance.now();
    const out = s.scrub(text);
    const ms = performance.now() - started;
    expect(out.endsWith(REDACTED)).toBe(true);
    expect(ms).toBeLessThan(3000);
  });
});

describe("credentialSpans", () => {
  const spans = (text: string) => credentialSpans(text).map((s) => text.slice(s.start, s.end));
  it.each([
    ["--db-password=pa55-word", ["pa55-word"]],
    ["psql PGPASSWORD=pa55-word -h db", ["pa55-word"]],
    ["-token=abc123456", ["abc123456"]],
    ["Authorization: Bearer eyJhbGciOi.payload.sig", ["eyJhbGciOi.payload.sig"]],
    ["Authorization: Basic " + Buffer.from("user:pw").toString("base64"), [Buffer.from("user:pw").toString("base64")]],
    ["Authorization: abcdef0123", ["abcdef0123"]],
    ['proxy_set_header Authorization "Basic NOTBASE64CANARY";', ["NOTBASE64CANARY"]],
    ["postgres://app:pa55-word@db:5432/shop", ["pa55-word"]],
    ["[db]\nhost = db\npassword = pa55-word\n", ["pa55-word"]],
    ["--listen=:8080 --log-level=debug", []],
    ["Basic auth is enabled; Bearer tokens are checked", []],
    ["--password=$(DB_PASSWORD)", []],
  ])("%j → %j", (text, expected) => {
    expect(spans(text)).toEqual(expected);
  });

  it("finds the value after a bare credential flag", () => {
    expect(splitFlagValues(["--password", "pw-1", "--user", "app", "--token", "--verbose"])).toEqual([1]);
  });
});

describe("collectSecrets", () => {
  const resource = (apiVersion: string, kind: string, body: Record<string, unknown>): Resource => ({ apiVersion, kind, namespace: "ns", name: "r", body: { apiVersion, kind, ...body } });
  it("collects Secret data (both forms), stringData, credential env and environment, args, headers and URLs", () => {
    const s = new SecretSet();
    collectSecrets(
      [
        resource("v1", "Secret", { data: { a: Buffer.from("decoded-pw-1").toString("base64") }, stringData: { b: "string-pw-2" } }),
        resource("apps/v1", "Deployment", {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: "c",
                    args: ["--db-password=arg-pw-3", "--password", "split-pw-4"],
                    env: [{ name: "PGPASSWORD", value: "env-pw-5" }, { name: "DB_URL", value: "postgres://u:url-pw-6@db/x" }, { name: "LOG_LEVEL", value: "debug-level" }],
                    readinessProbe: { httpGet: { httpHeaders: [{ name: "Authorization", value: "Bearer bearer-tok-7" }] } },
                  },
                ],
              },
            },
          },
        }),
        resource("compose/v1", "Service", { environment: { CLIENTSECRET: "compose-pw-8", MODE: "production-mode" } }),
      ],
      s,
    );
    const text = "decoded-pw-1 string-pw-2 arg-pw-3 split-pw-4 env-pw-5 url-pw-6 bearer-tok-7 compose-pw-8 debug-level production-mode";
    expect(s.scrub(text)).toBe(`${Array(8).fill(REDACTED).join(" ")} debug-level production-mode`);
  });

  it("scrubs plain-word values of credential-named keys, not of other keys", () => {
    const s = new SecretSet();
    const b64 = (v: string) => Buffer.from(v).toString("base64");
    collectSecrets(
      [
        resource("v1", "Secret", { data: { POSTGRES_PASSWORD: b64("letmein"), POSTGRES_DB: b64("shop") }, stringData: { api_token: "opensesame", user: "admin" } }),
        resource("apps/v1", "Deployment", { spec: { template: { spec: { containers: [{ name: "c", env: [{ name: "DB_PASSWORD", value: "swordfish" }] }] } } } }),
      ],
      s,
    );
    expect(s.scrub("letmein opensesame swordfish shop admin")).toBe(`${REDACTED} ${REDACTED} ${REDACTED} shop admin`);
  });
});

describe("values known before rendering", () => {
  it("kustomize: a literal whole and its value; every env-file value and line", () => {
    expect(literalValues("CanaryNoEquals")).toEqual(["CanaryNoEquals"]);
    expect(literalValues('password="pw 1"')).toEqual(['password="pw 1"', '"pw 1"', "pw 1"]);
    expect(envFileValues("# comment\nA=one-1\nB='two-2'\n")).toEqual(["A=one-1", "one-1", "one-1", "B='two-2'", "'two-2'", "two-2"]);
  });

  it("Compose: credential-named values as written, .env values used by secrets:, secret files, composeEnv", () => {
    const texts = new Map([
      ["app/compose.yaml", 'services:\n  web:\n    environment:\n      DB_PASSWORD: "broken-1${oops"\n      REF: ${DB_PASSWORD}\n  worker:\n    environment:\n      - API_TOKEN=list-2\nsecrets:\n  k:\n    environment: SIGNING\n  f:\n    file: ./f.txt\n'],
      ["app/.env", 'SIGNING=env-used-as-secret-3\nSMTP_PASS="unterminated-4\nLOG=info-level\n'],
      ["app/f.txt", "file-content-5\n"],
    ]);
    const found = knownSecrets(texts, "app", { GITHUB_TOKEN: "compose-env-6", MODE: "dev-mode" });
    expect(found).toEqual(expect.arrayContaining(['"broken-1${oops"', "broken-1${oops", "broken-1", "list-2", "env-used-as-secret-3", "unterminated-4", "file-content-5\n", "compose-env-6"]));
    expect(found.join(" ")).not.toMatch(/info-level|dev-mode|\$\{DB_PASSWORD\}/);
  });
});

describe("the operator's environment", () => {
  it("gives every credential-named value, keys in each form, and URL passwords; nothing else", () => {
    const pem = "-----BEGIN KEY-----\nQ2FuYXJ5TGluZU9uZS0wMDAx\n-----END KEY-----";
    const values = operatorSecretValues({
      GITHUB_TOKEN: "ghs_operator-1",
      "INPUT_GITHUB-TOKEN": "ghs_input-2",
      PRIVATE_KEY: pem.replace(/\n/g, "\\n"),
      WEBHOOK_SECRET: "hook-3",
      REDIS_URL: "redis://:url-pw-4@cache:6379",
      PATH: "/usr/bin:/bin",
      HOME: "/root",
      EMPTY_TOKEN: "",
    });
    expect(values).toEqual(expect.arrayContaining(["ghs_operator-1", "ghs_input-2", pem, "hook-3", "url-pw-4"]));
    expect(values.join(" ")).not.toMatch(/\/usr\/bin|\/root/);
    expect(SecretSet.of(values).scrub("key line Q2FuYXJ5TGluZU9uZS0wMDAx")).toBe(`key line ${REDACTED}`);
  });
});

describe("the entry points", () => {
  it("read the operator's secrets from the environment they start with", () => {
    const env = { GITHUB_TOKEN: "ghs_entry-point-1", "INPUT_GITHUB-TOKEN": "ghs_entry-point-2", PATH: "/usr/bin" };
    expect(readAppEnvironment(env).operatorSecrets).toEqual(expect.arrayContaining(["ghs_entry-point-1", "ghs_entry-point-2"]));
    expect(readActionEnvironment(env).operatorSecrets).toEqual(expect.arrayContaining(["ghs_entry-point-1", "ghs_entry-point-2"]));
    process.env.SHIPSHAPE_TEST_TOKEN = "ghs_entry-point-3";
    try {
      expect(readEnvironment().operatorSecrets).toContain("ghs_entry-point-3");
    } finally {
      delete process.env.SHIPSHAPE_TEST_TOKEN;
    }
  });
});

describe("log lines", () => {
  it("are scrubbed, fields included", () => {
    const lines: unknown[] = [];
    const pinoLike = { debug: (o: object, m: string) => lines.push([m, o]), info: (o: object, m: string) => lines.push([m, o]), warn: (o: object, m: string) => lines.push([m, o]) };
    const s = set("log-secret-1");
    fromPino(pinoLike, s).warn("review crashed", { error: "Error: log-secret-1\n  at x", nested: { v: ["log-secret-1"] } });
    scrubbingLogger(fromPino(pinoLike), s).info("log-secret-1 seen");
    expect(JSON.stringify(lines)).not.toContain("log-secret-1");
    expect(lines).toHaveLength(2);
  });
});

describe("messages name the key and the place, never the value", () => {
  it.each([
    ['A=1\nAPI_TOKEN="value-canary-1\n', "API_TOKEN"],
    ["A=1\nDB_PASSWORD='value-canary-1' trailing-canary-2\n", "DB_PASSWORD"],
    ["value-canary-1$x=1\n", undefined],
    ["value-canary-1 second-canary-2\n", undefined],
    ["SECRET=value-canary-1${oops\n", "SECRET"],
  ])("env file %j", (text, key) => {
    const { error } = parseDotenv(text);
    expect(error).toBeDefined();
    expect(error!.message).not.toMatch(/canary/);
    if (key) expect(error!.message).toContain(key);
  });

  it.each(["value-canary-1${oops", "value-canary-1${}", "${UNSET:?${SET}}", "${A/value-canary-1/x}"])("interpolation %j", (template) => {
    const result = interpolate(template, (name) => (name === "SET" ? "value-canary-2" : undefined));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).not.toMatch(/canary/);
  });

  it("YAML: an unresolved alias is not quoted", () => {
    expect(parseYamlStream("password: *value-canary-1\n").errors.map((e) => e.message)).toEqual(["Unresolved alias (the anchor must be set before the alias)"]);
  });
});

describe("the diff redactor", () => {
  it("pairs markers for credential arguments, split flags, Bearer values and URL passwords", () => {
    const container = (pw: string, token: string) => ({
      name: "c",
      args: [`--db-password=${pw}`, "--password", pw, "--mode=fast"],
      command: ["sh", "-c", `curl -H 'Authorization: Bearer ${token}' https://u:${pw}@x`],
    });
    const body = (pw: string, token: string) => ({ spec: { containers: [container(pw, token)] } });
    const { base, head } = redactPair(body("old-pw-1", "old-token-1"), body("new-pw-22", "old-token-1"), { apiVersion: "v1", kind: "Pod" });
    const h = (head!.spec as any).containers[0];
    const b = (base!.spec as any).containers[0];
    expect(h.args).toEqual(["--db-password=<redacted: changed, 9 bytes>", "--password", "<redacted: changed, 9 bytes>", "--mode=fast"]);
    expect(b.args[0]).toBe("--db-password=<redacted: previous value, 8 bytes>");
    expect(h.command[2]).toBe("curl -H 'Authorization: Bearer <redacted: unchanged, 11 bytes>' https://u:<redacted: changed, 9 bytes>@x");
    expect(JSON.stringify([base, head])).not.toMatch(/old-pw|new-pw|old-token/);
  });

  it("hides credential-named headers whole and Compose build args by name", () => {
    const probe = (key: string) => ({ spec: { containers: [{ name: "c", livenessProbe: { httpGet: { httpHeaders: [{ name: "X-Api-Key", value: key }] } } }] } });
    const { head } = redactPair(probe("key-old-1"), probe("key-new-22"), { apiVersion: "v1", kind: "Pod" });
    expect((head!.spec as any).containers[0].livenessProbe.httpGet.httpHeaders[0].value).toBe("<redacted: changed, 10 bytes>");
    const service = (arg: string) => ({ build: { context: ".", args: { NPM_TOKEN: arg, NODE_ENV: "production" } } });
    const compose = redactPair(service("npm-old-1"), service("npm-new-22"), { apiVersion: "compose/v1", kind: "Service" });
    expect((compose.head as any).build.args).toEqual({ NPM_TOKEN: "<redacted: changed, 10 bytes>", NODE_ENV: "production" });
  });
});

describe("Helm values known before rendering", () => {
  it("are the credential-named scalars, not the names of Secrets nor structure", () => {
    const values = [
      "db:",
      "  password: helm-pw-1 # the dev one",
      '  apiToken: "helm-token-2"',
      "  secretKey: minio-secret-3",
      "  existingSecret: shop-db",
      "  secretName: shop-tls",
      "  passwordSecretKey: password",
      "  tokenFrom: |",
      "  credentials: {}",
      '  clientSecret: "{{ .Values.x }}"',
      "replicas: 3",
    ].join("\n");
    const found = valuesFileSecrets(values);
    expect(found).toEqual(expect.arrayContaining(["helm-pw-1", "helm-token-2", "minio-secret-3"]));
    expect(found.join(" ")).not.toMatch(/shop-db|shop-tls|\{\}|\{\{|^\|/);
  });
});
