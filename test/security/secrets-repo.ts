/**
 * A repository whose pull request carries secrets in every place issue 11 found them, each a
 * distinct canary so a failing assertion names the path that leaked:
 * - messages: a secretGenerator literal without `=` (kustomize quotes it in its error), a
 *   Compose value with a broken `${`, an env file with an unterminated quote, a chart that
 *   fails with its values' password in the message;
 * - diffs: PGPASSWORD, CLIENTSECRET, an `Authorization: Bearer …` header and a
 *   `--db-password=…` argument changed between base and head.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CANARY = {
  literal: "CanaryLiteralNoEquals0001",
  brokenInterpolation: "CanaryBrokenDollar0002",
  unterminatedQuote: "CanaryUnterminated0003",
  pgPasswordBase: "CanaryPgPasswordBase0004",
  pgPasswordHead: "CanaryPgPasswordHead0005",
  clientSecretBase: "CanaryClientSecretBase0006",
  clientSecretHead: "CanaryClientSecretHead0007",
  bearerBase: "CanaryBearerBase0008.abc",
  bearerHead: "CanaryBearerHead0009.abc",
  dbPasswordArgBase: "CanaryDbPasswordArgBase0010",
  dbPasswordArgHead: "CanaryDbPasswordArgHead0011",
  splitPasswordArg: "CanarySplitPasswordArg0012",
  helmValue: "CanaryHelmValue0014",
} as const;

/** Operator secrets: what the App, the Action or the CLI has in its own environment. */
export const OPERATOR = {
  token: "ghs_CanaryOperatorToken0123456789abcdef",
  pem: [
    "-----BEGIN RSA PRIVATE KEY-----",
    // Not a key: base64 of "CanaryPemKeyLineOne-not-a-real-key-0001" and "…Two…0002".
    "Q2FuYXJ5UGVtS2V5TGluZU9uZS1ub3QtYS1yZWFsLWtleS0wMDAx",
    "Q2FuYXJ5UGVtS2V5TGluZVR3by1ub3QtYS1yZWFsLWtleS0wMDAy",
    "-----END RSA PRIVATE KEY-----",
  ].join("\n"),
  webhookSecret: "CanaryWebhookSecret0013",
} as const;

/** Every value that must never leave the process. */
export const ALL_CANARIES: readonly string[] = [...Object.values(CANARY), OPERATOR.token, OPERATOR.webhookSecret, ...OPERATOR.pem.split("\n").slice(1, 3)];

/** The canaries found in `text`, for messages that name what leaked. */
export function leaked(text: string): string[] {
  return ALL_CANARIES.filter((c) => text.includes(c));
}

const deployment = (pg: string, client: string, bearer: string, dbArg: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: ${image}
          args: ["--db-password=${dbArg}", "--listen=:8080", "--password", "${CANARY.splitPasswordArg}"]
          env:
            - name: PGPASSWORD
              value: "${pg}"
            - name: CLIENTSECRET
              value: "${client}"
            - name: LOG_LEVEL
              value: info
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
              httpHeaders:
                - name: Authorization
                  value: "Bearer ${bearer}"
`;

const BASE_FILES: Record<string, string> = {
  "apps/api/kustomization.yaml": "resources:\n  - deployment.yaml\n",
  "apps/api/deployment.yaml": deployment(CANARY.pgPasswordBase, CANARY.clientSecretBase, CANARY.bearerBase, CANARY.dbPasswordArgBase, "api:1.0"),
  "gen/kustomization.yaml": "secretGenerator:\n  - name: db\n    literals:\n      - password=fine-for-now-123\n",
  "compose-broken/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    environment:\n      DB_PASSWORD: plain-value-123\n",
  "compose-envfile/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    env_file: [app.env]\n",
  "compose-envfile/app.env": "LOG_LEVEL=info\n",
  "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 0.1.0\n",
  "charts/db/values.yaml": `auth:\n  password: ${CANARY.helmValue}\n`,
  "charts/db/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  mode: primary\n",
};

const HEAD_FILES: Record<string, string> = {
  "apps/api/deployment.yaml": deployment(CANARY.pgPasswordHead, CANARY.clientSecretHead, CANARY.bearerHead, CANARY.dbPasswordArgHead, "api:1.1"),
  "gen/kustomization.yaml": `secretGenerator:\n  - name: db\n    literals:\n      - ${CANARY.literal}\n`,
  "compose-broken/compose.yaml": `services:\n  web:\n    image: nginx:1.27\n    environment:\n      DB_PASSWORD: "${CANARY.brokenInterpolation}\${oops"\n`,
  "compose-envfile/app.env": `LOG_LEVEL=info\nAPI_TOKEN="${CANARY.unterminatedQuote}\nOTHER=1\n`,
  "charts/db/templates/check.yaml": '{{ if .Values.auth.password }}{{ fail (printf "refusing password %s" .Values.auth.password) }}{{ end }}\n',
};

export interface LeakyRepo {
  root: string;
  base: string;
  head: string;
  cleanup(): Promise<void>;
}

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** base/ and head/ directories (head written over a copy of base). */
export async function leakyRepo(extraHead: Record<string, string> = {}): Promise<LeakyRepo> {
  const root = await mkdtemp(join(tmpdir(), "shipshape-secrets-"));
  const base = join(root, "base");
  const head = join(root, "head");
  await write(base, BASE_FILES);
  await cp(base, head, { recursive: true });
  await write(head, { ...HEAD_FILES, ...extraHead });
  return { root, base, head, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** The same pull request as a git history: `base` and `head` are commit SHAs in `origin`. */
export async function leakyGitRepo(): Promise<{ root: string; origin: string; base: string; head: string; cleanup(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "shipshape-secrets-git-"));
  const origin = join(root, "origin");
  const git = (...args: string[]) => execFileSync("git", ["-C", origin, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe", encoding: "utf8" }).trim();
  execFileSync("git", ["init", "-q", "-b", "main", origin]);
  await write(origin, BASE_FILES);
  git("add", "-A");
  git("commit", "-qm", "base");
  const base = git("rev-parse", "HEAD");
  await write(origin, HEAD_FILES);
  git("add", "-A");
  git("commit", "-qm", "head");
  const head = git("rev-parse", "HEAD");
  return { root, origin, base, head, cleanup: () => rm(root, { recursive: true, force: true }) };
}
