/**
 * Making a tool reach the network: kustomize loads http(s) URLs as resources, patches and
 * generator sources when a key escapes Shipshape's reader (case, merge keys); helm fetches
 * `$ref`s of values.schema.json spelled with JSON escapes, in the chart or a subchart.
 * Every URL points at the loopback server, which must receive nothing.
 */
import type { CliCase } from "../harness/cli.js";
import { chart, configMap, rawConfigMap } from "./fixtures.js";

const APP = { "app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": configMap("settings", { mode: "safe" }) };
const kustomization = (text: string) => ({ "app/kustomization.yaml": text });
const SAFE_CHART = chart("web", "web", { "cm.yaml": configMap("settings", { a: "b" }) });

export const netCases: CliCase[] = [
  {
    id: "net/kustomize-lowercase-generator-url",
    attack: "`configmapgenerator:` (lower case) whose file is an http:// URL",
    targets: ["network"],
    build: (host, id) => ({ base: APP, head: kustomization(`resources:\n- cm.yaml\nconfigmapgenerator:\n- name: fetched\n  files:\n  - ${host.loopback.url(id, "secret.txt")}\n`) }),
  },
  {
    id: "net/kustomize-capitalised-resources-url",
    attack: "`Resources:` (capitalised) naming an http:// manifest",
    targets: ["network"],
    build: (host, id) => ({ base: APP, head: kustomization(`Resources:\n- ${host.loopback.url(id, "cm.yaml")}\n`) }),
  },
  {
    id: "net/kustomize-merge-key-patches-url",
    attack: "`<<: {patches: [{path: http://…}]}` merged into the kustomization",
    targets: ["network"],
    build: (host, id) => ({ base: APP, head: kustomization(`resources:\n- cm.yaml\n<<:\n  patches:\n  - path: ${host.loopback.url(id, "patch.yaml")}\n`) }),
  },
  {
    id: "net/kustomize-secretgenerator-env-url-keyed",
    attack: "`SecretGenerator:` with `envs: [http://…]` (a remote env file)",
    targets: ["network"],
    build: (host, id) => ({ base: APP, head: kustomization(`resources:\n- cm.yaml\nSecretGenerator:\n- name: fetched\n  envs:\n  - ${host.loopback.url(id, "db.env")}\n`) }),
  },
  {
    id: "net/kustomize-uppercase-scheme-resource",
    attack: "`resources: [HTTP://127.0.0.1:PORT/…]` (upper-case scheme)",
    targets: ["network"],
    build: (host, id) => ({ base: APP, head: kustomization(`resources:\n- cm.yaml\n- ${host.loopback.url(id, "cm.yaml").replace("http://", "HTTP://")}\n`) }),
  },
  {
    id: "net/kustomize-capitalised-openapi-url",
    attack: "`OpenAPI: {path: http://…}` (capitalised) for a remote schema",
    targets: ["network"],
    build: (host, id) => ({ base: APP, head: kustomization(`resources:\n- cm.yaml\nOpenAPI:\n  path: ${host.loopback.url(id, "schema.json")}\n`) }),
  },
  {
    id: "net/kustomize-lowercase-helmcharts-repo",
    attack: "`helmcharts:` (lower case) with a repo URL on the loopback server",
    targets: ["network"],
    build: (host, id) => ({ base: APP, head: kustomization(`resources:\n- cm.yaml\nhelmcharts:\n- name: web\n  repo: ${host.loopback.url(id, "charts")}\n  version: 0.1.0\n  releaseName: web\n`) }),
  },
  {
    id: "net/helm-schema-escaped-ref-http",
    attack: 'values.schema.json `{"\\u0024ref": "http://127.0.0.1:PORT/…"}`',
    targets: ["network"],
    build: (host, id) => ({ base: SAFE_CHART, head: { "web/values.schema.json": `{"\\u0024ref": "${host.loopback.url(id, "req.json")}"}\n` } }),
  },
  {
    id: "net/helm-subchart-schema-escaped-ref",
    attack: "a vendored subchart whose values.schema.json has an escaped `$ref` to the loopback server",
    targets: ["network"],
    build: (host, id) => ({
      base: { ...SAFE_CHART, "web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n", ...chart("web/charts/sub", "sub", { "cm.yaml": configMap("sub", { a: "b" }) }) },
      head: { "web/charts/sub/values.schema.json": `{"properties": {"x": {"$r\\u0065f": "${host.loopback.url(id, "sub.json")}"}}}\n` },
    }),
  },
  {
    id: "net/helm-template-dns-functions",
    attack: "templates calling getHostByName and lookup",
    targets: ["network"],
    build: () => ({
      base: SAFE_CHART,
      head: chart("web", "web", { "cm.yaml": rawConfigMap("settings", ['dns: "DNS-{{ getHostByName "localhost" }}-END"', 'look: "LOOK-{{ lookup "v1" "Namespace" "" "" | len }}-END"']) }),
      evidence: [/DNS-[0-9a-f.:]+-END/, /LOOK-[1-9]\d*-END/],
    }),
  },
  {
    id: "net/helm-dependency-repository-url",
    attack: "a dependency with `repository: http://127.0.0.1:PORT/…` and no vendored copy",
    targets: ["network"],
    build: (host, id) => ({ base: SAFE_CHART, head: { "web/Chart.yaml": `apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: remote\n  version: 1.0.0\n  repository: ${host.loopback.url(id, "charts")}\n` } }),
  },
];
