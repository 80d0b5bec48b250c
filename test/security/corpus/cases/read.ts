/**
 * Reading host files through what the tools follow: kustomize keys spelled in another case or
 * merged in with `<<` (Go decodes them; Shipshape's input check does not see them), relative
 * climbs to a kustomization on the host, symlinks inside the repository pointing at /etc or
 * /proc, helm's .Files and values.schema.json `$ref`s written with JSON escapes, and Compose
 * files naming host paths or the process environment.
 */
import type { CliCase } from "../harness/cli.js";
import { chart, configMap, rawConfigMap } from "./fixtures.js";

const APP = { "app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": configMap("settings", { mode: "safe" }) };
const kustomization = (text: string) => ({ "app/kustomization.yaml": text });
const SAFE_CHART = chart("web", "web", { "cm.yaml": configMap("settings", { a: "b" }) });
const COMPOSE = { "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n" };

export const readCases: CliCase[] = [
  {
    id: "read/kustomize-capitalised-resources-climb",
    attack: "`Resources:` (capitalised; Go's JSON decoding ignores case) climbing with ../ to a kustomization folder on the host",
    targets: ["host-file"],
    build: (host) => ({ base: APP, head: kustomization(`Resources:\n- ${host.climb(host.files.kustDir)}\n`) }),
  },
  {
    id: "read/kustomize-merge-key-resources-climb",
    attack: "`<<: {resources: [../../…/host]}`: a YAML merge key kustomize applies and Shipshape's reader does not",
    targets: ["host-file"],
    build: (host) => ({ base: APP, head: kustomization(`<<:\n  resources:\n  - ${host.climb(host.files.kustDir)}\n`) }),
  },
  {
    id: "read/kustomize-merge-key-in-component",
    attack: "a component whose kustomization pulls a host folder in through `<<:`",
    targets: ["host-file"],
    build: (host) => ({
      base: { ...APP, "app/kustomization.yaml": "resources:\n- cm.yaml\ncomponents:\n- ../extra\n", "extra/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  team: a\n" },
      head: { "extra/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  team: a\n<<:\n  resources:\n  - ${host.climb(host.files.kustDir)}\n` },
    }),
  },
  {
    id: "read/kustomize-lowercase-generator-climb-to-host-file",
    attack: "`configmapgenerator:` (lower case) with files: [../../…/host file] (the load restrictor is the only guard left)",
    targets: ["host-file"],
    build: (host) => ({ base: APP, head: kustomization(`resources:\n- cm.yaml\nconfigmapgenerator:\n- name: stolen\n  files:\n  - ${host.climb(host.files.secretTxt)}\n`) }),
  },
  {
    id: "read/kustomize-generator-file-symlink-etc-passwd",
    attack: "a repository symlink app/passwd.txt → /etc/passwd used as a configMapGenerator file",
    targets: ["host-file"],
    build: () => ({ base: APP, head: { ...kustomization("resources:\n- cm.yaml\nconfigMapGenerator:\n- name: users\n  files:\n  - passwd.txt\n"), "app/passwd.txt": { link: "/etc/passwd" } } }),
  },
  {
    id: "read/kustomize-env-symlink-proc-environ",
    attack: "a repository symlink app/env.txt → /proc/<pid>/environ used as a generator env file",
    targets: ["process-env"],
    build: (host) => ({ base: APP, head: { ...kustomization("resources:\n- cm.yaml\nconfigMapGenerator:\n- name: env\n  envs:\n  - env.txt\n"), "app/env.txt": { link: `/proc/${host.childPid}/environ` } } }),
  },
  {
    id: "read/kustomize-env-symlink-proc-self-environ",
    attack: "a repository symlink app/self.env → /proc/self/environ (the reader's own environment)",
    targets: ["process-env"],
    build: () => ({ base: APP, head: { ...kustomization("resources:\n- cm.yaml\nconfigMapGenerator:\n- name: env\n  envs:\n  - self.env\n"), "app/self.env": { link: "/proc/self/environ" } } }),
  },
  {
    id: "read/kustomize-symlink-chain-to-host",
    attack: "a chain of repository symlinks a.txt → b.txt → host file",
    targets: ["host-file"],
    build: (host) => ({
      base: APP,
      head: { ...kustomization("resources:\n- cm.yaml\nconfigMapGenerator:\n- name: chain\n  files:\n  - a.txt\n"), "app/a.txt": { link: "b.txt" }, "app/b.txt": { link: host.files.secretTxt } },
    }),
  },
  {
    id: "read/kustomize-directory-symlink-to-host-kustomization",
    attack: "a repository directory symlink app/base → a kustomization folder on the host, used as a resource",
    targets: ["host-file"],
    build: (host) => ({ base: APP, head: { ...kustomization("resources:\n- cm.yaml\n- base\n"), "app/base": { link: host.files.kustDir } } }),
  },
  {
    id: "read/helm-files-get-parent",
    attack: "`.Files.Get` and `.Files.Glob` of ../ paths from a template",
    targets: ["host-file"],
    build: (host) => ({
      base: SAFE_CHART,
      head: chart("web", "web", {
        "cm.yaml": rawConfigMap("settings", [`up: {{ .Files.Get "${host.climb(host.files.secretTxt)}" | quote }}`, 'glob: {{ range $p, $_ := .Files.Glob "../**" }}{{ $p }}{{ end }}x']),
      }),
    }),
  },
  {
    id: "read/helm-symlinked-file-in-chart",
    attack: "a chart file that is a symlink to a host file, read with .Files.Get",
    targets: ["host-file"],
    build: (host) => ({
      base: SAFE_CHART,
      head: chart("web", "web", { "cm.yaml": rawConfigMap("settings", ['s: {{ .Files.Get "files/secret.txt" | quote }}']) }, "{}\n", { "files/secret.txt": { link: host.files.secretTxt } }),
    }),
  },
  {
    id: "read/helm-symlinked-templates-folder",
    attack: "templates/host → a host folder holding a manifest (helm's loader follows symlinks)",
    targets: ["host-file"],
    build: (host) => ({ base: SAFE_CHART, head: { ...SAFE_CHART, "web/templates/host": { link: host.dir } } }),
  },
  {
    id: "read/helm-dependency-file-repository-climb",
    attack: "a dependency with `repository: file://../../…/host chart`, and charts/stolen a symlink to that host chart",
    targets: ["host-file"],
    build: (host) => ({
      head: {
        ...SAFE_CHART,
        "web/Chart.yaml": `apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: stolen\n  version: 0.1.0\n  repository: file://${host.climb(host.files.chartDir)}\n`,
        "web/charts/stolen": { link: host.files.chartDir },
      },
    }),
  },
  {
    id: "read/helm-schema-escaped-ref-file-url",
    attack: 'values.schema.json `{"\\u0024ref": "file:///host/req.json"}`: a $ref key spelled with a JSON escape',
    targets: ["host-file"],
    build: (host) => ({ base: SAFE_CHART, head: { "web/values.schema.json": `{"\\u0024ref": "file://${host.files.reqJson}"}\n` } }),
  },
  {
    id: "read/helm-schema-escaped-ref-relative-climb",
    attack: 'values.schema.json `{"$r\\u0065f": "../../…/host/req.json"}`: a relative $ref climbing out of the chart',
    targets: ["host-file"],
    build: (host) => ({ base: SAFE_CHART, head: { "web/values.schema.json": `{"$r\\u0065f": "${host.climb(host.files.reqJson)}"}\n` } }),
  },
  {
    id: "read/compose-env-file-absolute",
    attack: "Compose `env_file: /host/host.env`",
    targets: ["host-file"],
    build: (host) => ({ base: COMPOSE, head: { "shop/compose.yaml": `services:\n  web:\n    image: nginx:1.27.0\n    env_file: ${host.files.envFile}\n` } }),
  },
  {
    id: "read/compose-env-file-climb-and-etc-passwd",
    attack: "Compose `env_file: [../../…/host.env, /etc/passwd]`",
    targets: ["host-file"],
    build: (host) => ({ base: COMPOSE, head: { "shop/compose.yaml": `services:\n  web:\n    image: nginx:1.27.0\n    env_file:\n    - ${host.climb(host.files.envFile)}\n    - /etc/passwd\n` } }),
  },
  {
    id: "read/compose-extends-absolute-file",
    attack: "Compose `extends: {file: /host/compose.yaml, service: stolen}`",
    targets: ["host-file"],
    build: (host) => ({ base: COMPOSE, head: { "shop/compose.yaml": `services:\n  web:\n    extends:\n      file: ${host.files.composeYaml}\n      service: stolen\n` } }),
  },
  {
    id: "read/compose-include-absolute-file",
    attack: "Compose `include: [/host/compose.yaml]`",
    targets: ["host-file"],
    build: (host) => ({ base: COMPOSE, head: { "shop/compose.yaml": `include:\n- ${host.files.composeYaml}\nservices:\n  web:\n    image: nginx:1.27.0\n` } }),
  },
  {
    id: "read/compose-interpolates-process-environment",
    attack: "Compose `${GITHUB_TOKEN}`, `${PRIVATE_KEY}`, `${WEBHOOK_SECRET}`, `${HOME}` and a default-valued `${AWS_SECRET_ACCESS_KEY:-x}`",
    targets: ["process-env"],
    build: () => ({
      base: COMPOSE,
      head: {
        "shop/compose.yaml":
          "services:\n  web:\n    image: nginx:${AWS_SECRET_ACCESS_KEY:-1.27.0}\n    environment:\n      A: ${GITHUB_TOKEN}\n      B: \"${PRIVATE_KEY}\"\n      C: $WEBHOOK_SECRET\n      D: ${HOME}/x\n      E: ${SHIPSHAPE_CORPUS_CANARY:?}\n",
      },
    }),
  },
  {
    id: "read/compose-dotenv-symlink-proc-environ",
    attack: "a Compose project's .env that is a symlink to /proc/<pid>/environ",
    targets: ["process-env"],
    build: (host) => ({ base: COMPOSE, head: { "shop/.env": { link: `/proc/${host.childPid}/environ` }, "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n    environment:\n      X: ${CORPUS_CHILD_SECRET}\n" } }),
  },
  {
    id: "read/manifests-symlink-to-host-yaml",
    attack: "a plain manifest that is a symlink to a host YAML file",
    targets: ["host-file"],
    build: (host) => ({ base: { "deploy/cm.yaml": configMap("a", { a: "b" }) }, head: { "deploy/stolen.yaml": { link: host.files.cmYaml } } }),
  },
];
