/**
 * Secret values of the repository reaching output through side doors: schema and YAML error
 * messages, credential URLs outside Secrets, tool stderr quoting a value the base rendered
 * into a Secret, kustomize errors quoting env-file lines and literals, a replacement copying
 * a Secret into a ConfigMap, a team policy echoing a Secret field, credential-named env vars
 * without separators, --*password=/--*token= arguments, Authorization headers, and Compose
 * values used under `secrets:`. Every planted value starts with SECRET_PREFIX.
 */
import type { CliCase } from "../harness/cli.js";
import type { Host } from "../harness/host.js";
import { chart, configMap, deployment } from "./fixtures.js";

const secretYaml = (name: string, body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\n${body}`;
const BASE_DEPLOY = { "deploy/app.yaml": deployment("api") };
const COMPOSE = { "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n" };
const APP = { "app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": configMap("settings", { mode: "safe" }) };

/** Env entries of the api container, one per name, each with its own canary. */
function envOf(host: Host, id: string, names: string[]): string {
  return `        env:\n${names.map((n, i) => `        - name: ${n}\n          value: ${JSON.stringify(host.secret(id, `V${i}`))}\n`).join("")}`;
}

export const secretCases: CliCase[] = [
  {
    id: "secret/secret-data-invalid-base64",
    attack: "a Secret whose `data` value is not base64 (the schema's byte format message)",
    targets: ["secret"],
    build: (host, id) => ({ base: { "deploy/cm.yaml": configMap("a", { a: "b" }) }, head: { "deploy/secret.yaml": secretYaml("db", `data:\n  password: "${host.secret(id)}!!%%"\n`) } }),
  },
  {
    id: "secret/secret-stringdata-wrong-type",
    attack: "a Secret whose stringData value is a mapping (the schema's type message quotes the value)",
    targets: ["secret"],
    build: (host, id) => ({ base: { "deploy/cm.yaml": configMap("a", { a: "b" }) }, head: { "deploy/secret.yaml": secretYaml("db", `stringData:\n  password:\n    nested: ${host.secret(id)}\n`) } }),
  },
  {
    id: "secret/secret-value-on-yaml-error-line",
    attack: "a Secret whose value sits on the line of a YAML syntax error",
    targets: ["secret"],
    build: (host, id) => ({ base: { "deploy/cm.yaml": configMap("a", { a: "b" }) }, head: { "deploy/secret.yaml": secretYaml("db", `stringData:\n  password: "${host.secret(id)}" trailing: [\n`) } }),
  },
  {
    id: "secret/credential-url-in-annotation",
    attack: "a ConfigMap annotation holding postgres://user:password@host",
    targets: ["secret"],
    build: (host, id) => ({
      base: { "deploy/cm.yaml": configMap("backup", { a: "b" }) },
      head: { "deploy/cm.yaml": configMap("backup", { a: "b" }, { "backup.example.com/target": `postgres://admin:${host.secret(id)}@db.internal:5432/app` }) },
    }),
  },
  {
    id: "secret/credential-url-password-only-in-env",
    attack: "a container env value redis://:password@host (no user name) under a neutral name",
    targets: ["secret"],
    build: (host, id) => ({ base: BASE_DEPLOY, head: { "deploy/app.yaml": deployment("api", `        env:\n        - name: CACHE\n          value: "redis://:${host.secret(id)}@cache:6379/0"\n`) } }),
  },
  {
    id: "secret/helm-fail-quotes-secret-value",
    attack: "the base renders .Values.dbPassword into a Secret; the head's template `fail`s with it in the message (tool stderr)",
    targets: ["secret"],
    build: (host, id) => {
      const secret = secretYaml("db", "stringData:\n  password: {{ .Values.dbPassword | quote }}\n");
      const values = `dbPassword: ${host.secret(id)}\n`;
      return {
        keepBase: true,
        base: chart("web", "web", { "secret.yaml": secret }, values),
        head: chart("web", "web", { "secret.yaml": secret, "check.yaml": '{{ fail (printf "rejected password %s" .Values.dbPassword) }}\n' }, values),
      };
    },
  },
  {
    id: "secret/kustomize-secret-env-file-line-without-equals",
    attack: "a secretGenerator env file whose line has no `=` (kustomize quotes the line)",
    targets: ["secret"],
    build: (host, id) => ({
      base: APP,
      head: { "app/kustomization.yaml": "resources:\n- cm.yaml\nsecretGenerator:\n- name: db\n  envs:\n  - db.env\n", "app/db.env": `DB_USER=app\n${host.secret(id)}\n` },
    }),
  },
  {
    id: "secret/kustomize-secret-literal-invalid-key",
    attack: "a secretGenerator literal whose key is invalid (kustomize quotes key and value)",
    targets: ["secret"],
    build: (host, id) => ({ base: APP, head: { "app/kustomization.yaml": `resources:\n- cm.yaml\nsecretGenerator:\n- name: db\n  literals:\n  - "pass word=${host.secret(id)}"\n` } }),
  },
  {
    id: "secret/kustomize-replacement-copies-secret-into-configmap",
    attack: "a kustomize replacement copying a Secret's stringData into a ConfigMap",
    targets: ["secret"],
    build: (host, id) => ({
      base: { ...APP, "app/secret.yaml": secretYaml("db", `stringData:\n  password: ${host.secret(id)}\n`), "app/kustomization.yaml": "resources:\n- cm.yaml\n- secret.yaml\n" },
      head: {
        "app/kustomization.yaml":
          "resources:\n- cm.yaml\n- secret.yaml\nreplacements:\n- source:\n    kind: Secret\n    name: db\n    fieldPath: stringData.password\n  targets:\n  - select:\n      kind: ConfigMap\n      name: settings\n    fieldPaths:\n    - data.mode\n",
      },
    }),
  },
  {
    id: "secret/team-policy-message-echoes-secret",
    attack: "a team policy (from the base config) whose message prints a Secret's stringData",
    targets: ["secret"],
    build: (host, id) => ({
      config: "policies:\n  paths: [\"policy/*.yaml\"]\n",
      trusted: {
        "policy/echo.yaml":
          "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: echo-secret\nspec:\n  validationFailureAction: Enforce\n  rules:\n  - name: echo\n    match:\n      any:\n      - resources:\n          kinds: [Secret]\n    validate:\n      message: \"weak password {{ request.object.stringData.password }}\"\n      pattern:\n        metadata:\n          labels:\n            approved: \"true\"\n",
      },
      head: { "deploy/secret.yaml": secretYaml("db", `stringData:\n  password: ${host.secret(id)}\n`) },
    }),
  },
  {
    id: "secret/credential-env-names-without-separators",
    attack: "credential-named env vars the policy flags but a separator-based name test misses (MYSQLPASSWORD, appSecretKey, GHTOKEN, dbCredentials)",
    targets: ["secret"],
    build: (host, id) => ({ base: BASE_DEPLOY, head: { "deploy/app.yaml": deployment("api", envOf(host, id, ["MYSQLPASSWORD", "appSecretKey", "GHTOKEN", "dbCredentials"])) } }),
  },
  {
    id: "secret/password-and-token-arguments",
    attack: "container args --admin-password=… and --api-token=…, and a Compose command string with --client-token=…",
    targets: ["secret"],
    build: (host, id) => ({
      base: { ...BASE_DEPLOY, ...COMPOSE },
      head: {
        "deploy/app.yaml": deployment("api", `        args: ["serve", "--admin-password=${host.secret(id, "A")}", "--api-token=${host.secret(id, "B")}"]\n`),
        "shop/compose.yaml": `services:\n  web:\n    image: nginx:1.27.0\n    command: serve --client-token=${host.secret(id, "C")} --verbose\n`,
      },
    }),
  },
  {
    id: "secret/authorization-header-values",
    attack: "`Authorization: Bearer …` in an env value and `Basic …` in a ConfigMap's nginx snippet",
    targets: ["secret"],
    build: (host, id) => ({
      base: { ...BASE_DEPLOY, "deploy/cm.yaml": configMap("proxy", { a: "b" }) },
      head: {
        "deploy/app.yaml": deployment("api", `        env:\n        - name: EXTRA_HEADERS\n          value: "Authorization: Bearer ${host.secret(id, "A")}"\n`),
        "deploy/cm.yaml": configMap("proxy", { a: "b", "nginx.conf": `proxy_set_header Authorization "Basic ${host.secret(id, "B")}";` }),
      },
    }),
  },
  {
    id: "secret/compose-dotenv-broken-interpolation",
    attack: "a .env credential whose value holds a broken `${` (the interpolation error quotes it)",
    targets: ["secret"],
    build: (host, id) => ({
      base: COMPOSE,
      head: { "shop/.env": `DB_PASSWORD=abc\${${host.secret(id)}\n`, "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n" },
    }),
  },
  {
    id: "secret/compose-secret-environment-reused",
    attack: "a value used under Compose `secrets:` (environment source) and repeated in a neutral variable",
    targets: ["secret"],
    build: (host, id) => ({
      base: COMPOSE,
      head: {
        "shop/.env": `DB_PW=${host.secret(id)}\n`,
        "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n    secrets: [db]\n    environment:\n      CONNECTION: \"host=db user=app pw=${DB_PW}\"\nsecrets:\n  db:\n    environment: DB_PW\n",
      },
    }),
  },
  {
    id: "secret/compose-env-file-single-quote-unterminated",
    attack: "an env_file credential with an unterminated single quote",
    targets: ["secret"],
    build: (host, id) => ({
      base: COMPOSE,
      head: { "shop/app.env": `API_TOKEN='${host.secret(id)}\nOTHER=1\n`, "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n    env_file: app.env\n" },
    }),
  },
  {
    id: "secret/secret-data-binary-tag",
    attack: "a Secret whose data value is a YAML `!!binary` scalar (bytes, not a string)",
    targets: ["secret"],
    build: (host, id) => ({ head: { "deploy/secret.yaml": secretYaml("db", `data:\n  password: !!binary ${Buffer.from(host.secret(id)).toString("base64")}\n`) } }),
  },
  {
    id: "secret/secret-duplicate-key",
    attack: "a Secret whose stringData names the same key twice (the YAML error)",
    targets: ["secret"],
    build: (host, id) => ({ head: { "deploy/secret.yaml": secretYaml("db", `stringData:\n  password: ${host.secret(id, "A")}\n  password: ${host.secret(id, "B")}\n`) } }),
  },
  {
    id: "secret/secret-inside-list-kind",
    attack: "a Secret wrapped in a `kind: List` document",
    targets: ["secret"],
    build: (host, id) => ({
      base: { "deploy/cm.yaml": configMap("a", { a: "b" }) },
      head: { "deploy/list.yaml": `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: db\n  stringData:\n    password: ${host.secret(id)}\n` },
    }),
  },
];
