/**
 * Flags smuggled into a tool's command line through names the repository chooses: top-level
 * kustomization folders (kubectl takes the target path as an argument) and Chart.yaml names
 * (the default release name). Found item 1/2 used --load-restrictor, --enable-helm,
 * --enable-dns and --values; these use other flags of the same tools.
 */
import type { CliCase } from "../harness/cli.js";
import { showsKind } from "../harness/cli.js";
import { slug } from "../harness/host.js";
import { chart, configMap, CRB } from "./fixtures.js";

const ROOT = { "kustomization.yaml": "resources:\n- cm.yaml\n", "cm.yaml": configMap("settings", { mode: "safe" }) };
const ROOT_WITH_CRB = { "kustomization.yaml": "resources:\n- cm.yaml\n- crb.yaml\n", "crb.yaml": CRB };
const USES_ROOT = "resources:\n- ..\n";

/** A top-level folder named `flag` whose kustomization builds the root one; the head adds a ClusterRoleBinding. */
function kustomizeFolderHides(id: string, flag: string, attack: string): CliCase {
  return {
    id,
    attack,
    targets: ["visible"],
    build: () => ({
      head: { ...ROOT, ...ROOT_WITH_CRB, [`${flag}/kustomization.yaml`]: USES_ROOT },
      hidden: showsKind("ClusterRoleBinding"),
    }),
  };
}

const CM_TEMPLATE = configMap("settings", { release: "REL-{{ .Release.Name }}-END" });

/** A chart whose Chart.yaml name is `name`: a ConfigMap printing the release name, and `head`'s templates. */
function chartNamed(name: string, head: Record<string, string> = {}, values = "{}\n") {
  return { head: chart("web", name, { "cm.yaml": CM_TEMPLATE, ...head }, values) };
}

const CRB_IF_RBAC = `{{- if .Values.rbac }}\n${CRB}{{- end }}\n`;

export const argvCases: CliCase[] = [
  kustomizeFolderHides("argv/kustomize-folder-output-flag", "--output=rendered.yaml", "folder `--output=rendered.yaml`: kubectl writes the build to a file and prints nothing"),
  kustomizeFolderHides("argv/kustomize-folder-short-output-flag", "-orendered.yaml", "folder `-orendered.yaml`: the shorthand of --output"),
  kustomizeFolderHides("argv/kustomize-folder-help-flag", "--help", "folder `--help`: kubectl prints its help text instead of the build"),
  {
    id: "argv/kustomize-folder-alpha-plugins-exec-function",
    attack: "folder `--enable-alpha-plugins` and a root generator declaring an exec function (/bin/sh reading the function config as a script)",
    targets: ["write", "visible"],
    build: (host, id) => ({
      head: {
        ...ROOT_WITH_CRB,
        "kustomization.yaml": "resources:\n- cm.yaml\n- crb.yaml\ngenerators:\n- gen.yaml\n",
        "cm.yaml": ROOT["cm.yaml"],
        "gen.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gen\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: /bin/sh\ndata:\n  run: $(/usr/bin/touch ${host.sentinel}/${slug(id)}-exec)\n`,
        "--enable-alpha-plugins/kustomization.yaml": USES_ROOT,
      },
      hidden: showsKind("ClusterRoleBinding"),
    }),
  },
  {
    id: "argv/kustomize-folder-load-restrictor-capitalised-generator",
    attack: "folder `--load-restrictor=LoadRestrictionsNone` plus a root `ConfigMapGenerator:` (capitalised key) reading a host file by absolute path",
    targets: ["host-file"],
    build: (host) => ({
      head: {
        ...ROOT,
        "--load-restrictor=LoadRestrictionsNone/kustomization.yaml": USES_ROOT, "kustomization.yaml": `resources:\n- cm.yaml\nConfigMapGenerator:\n- name: stolen\n  files:\n  - ${host.files.secretTxt}\n` },
    }),
  },
  {
    id: "argv/kustomize-folder-load-restrictor-proc-environ",
    attack: "folder `--load-restrictor=LoadRestrictionsNone` plus a root `configmapgenerator:` (lower-case key) whose env file is /proc/<pid>/environ of another process",
    targets: ["process-env"],
    build: (host) => ({
      head: {
        ...ROOT,
        "--load-restrictor=LoadRestrictionsNone/kustomization.yaml": USES_ROOT, "kustomization.yaml": `resources:\n- cm.yaml\nconfigmapgenerator:\n- name: stolen\n  envs:\n  - /proc/${host.childPid}/environ\n` },
    }),
  },
  {
    id: "argv/helm-chart-name-name-template-dns",
    attack: "Chart.yaml `name: --name-template={{getHostByName \"localhost\"}}`: helm renders the release name with sprig, whose getHostByName resolves",
    targets: ["network"],
    build: () => ({ ...chartNamed('--name-template={{getHostByName "localhost"}}'), evidence: [/REL-\d{1,3}(\.\d{1,3}){3}-END/, /REL-[0-9a-f]*:[0-9a-f:]*-END/] }),
  },
  {
    id: "argv/helm-chart-name-validate",
    attack: "Chart.yaml `name: --validate`: helm contacts the default Kubernetes API server to validate",
    targets: ["network"],
    build: () => ({ ...chartNamed("--validate"), evidence: [/localhost:8080/, /cluster unreachable/i] }),
  },
  {
    id: "argv/helm-chart-name-set-file-url",
    attack: "Chart.yaml `name: --set-file=stolen=http://127.0.0.1:PORT/…`: helm fetches a value over HTTP",
    targets: ["network"],
    build: (host, id) => chartNamed(`--set-file=stolen=${host.loopback.url(id, "value.txt")}`),
  },
  {
    id: "argv/helm-chart-name-short-values-url",
    attack: "Chart.yaml `name: -fhttp://127.0.0.1:PORT/…`: the shorthand of --values, glued to its URL",
    targets: ["network"],
    build: (host, id) => chartNamed(`-f${host.loopback.url(id, "values.yaml")}`),
  },
  {
    id: "argv/helm-chart-name-values-proc-environ",
    attack: "Chart.yaml `name: --values=/proc/<pid>/environ`: helm reads another process's environment as values",
    targets: ["process-env"],
    build: (host) => chartNamed(`--values=/proc/${host.childPid}/environ`),
  },
  {
    id: "argv/helm-chart-name-set-file-host-file",
    attack: "Chart.yaml `name: --set-file=stolen=<host file>` with a template printing .Values.stolen",
    targets: ["host-file"],
    build: (host) => chartNamed(`--set-file=stolen=${host.files.secretTxt}`, { "stolen.yaml": configMap("stolen", { v: "{{ .Values.stolen }}" }) }),
  },
  {
    id: "argv/config-release-name-validate",
    attack: "the base config's `releaseName: --validate` for a helm target (config is repository content too)",
    targets: ["network"],
    build: () => ({
      config: "targets:\n- path: web\n  type: helm\n  releaseName: --validate\n",
      ...chartNamed("web"),
      evidence: [/localhost:8080/, /cluster unreachable/i],
    }),
  },
  {
    id: "argv/helm-chart-name-set-hides-rbac",
    attack: "Chart.yaml `name: --set=rbac=false`: a value override turns off the ClusterRoleBinding the head adds",
    targets: ["visible"],
    build: () => ({ ...chartNamed("--set=rbac=false", { "crb.yaml": CRB_IF_RBAC }, "rbac: true\n"), hidden: showsKind("ClusterRoleBinding") }),
  },
  {
    id: "argv/helm-chart-name-output-dir",
    attack: "Chart.yaml `name: --output-dir=out`: helm writes the manifests to files and prints nothing",
    targets: ["visible", "write"],
    build: () => ({ ...chartNamed("--output-dir=out", { "crb.yaml": CRB }), hidden: showsKind("ClusterRoleBinding") }),
  },
];
