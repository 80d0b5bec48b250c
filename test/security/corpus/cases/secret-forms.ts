/**
 * A secret value that reaches the output in another form than the one the run's secret set
 * knows: percent-encoded by a template (`urlquery`, as a query parameter of an endpoint), and a
 * multi-line value (a netrc) copied into a ConfigMap, which the diff shows as a block scalar,
 * one indented line at a time. Both values sit in a Secret first, so Shipshape knows them.
 */
import type { CliCase } from "../harness/cli.js";
import { chart, configMap } from "./fixtures.js";

const secretYaml = (name: string, body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\n${body}`;

export const secretFormCases: CliCase[] = [
  {
    id: "secret-forms/urlquery-encoded-password",
    attack: "a chart renders .Values.db.password into a Secret and, `urlquery`-encoded, into a ConfigMap's endpoint URL",
    targets: ["secret"],
    build: (host, id) => {
      const templates = {
        "secret.yaml": secretYaml("db", "stringData:\n  password: {{ .Values.db.password | quote }}\n"),
        "cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: client\ndata:\n  endpoint: "https://api.example.com/v1/report?key={{ .Values.db.password | urlquery }}"\n`,
      };
      return { head: chart("web", "web", templates, `db:\n  password: "${host.secret(id)}/p+ss@w rd"\n`) };
    },
  },
  {
    id: "secret-forms/multiline-netrc-copied-to-configmap",
    attack: "a Secret's netrc (`machine … login … password …` lines) copied into a ConfigMap by a kustomize replacement",
    targets: ["secret"],
    build: (host, id) => {
      const netrc = `machine github.com login deploy password ${host.secret(id)}\nmachine registry.example.com login ci password ${host.secret(id, "B")}\n`;
      const secret = secretYaml("netrc", `stringData:\n  netrc: |\n${netrc.replace(/^/gm, "    ").trimEnd()}\n`);
      const base = {
        "app/kustomization.yaml": "resources:\n- cm.yaml\n- secret.yaml\n",
        "app/cm.yaml": configMap("settings", { mode: "safe" }),
        "app/secret.yaml": secret,
      };
      return {
        base,
        keepBase: true,
        head: {
          "app/kustomization.yaml":
            "resources:\n- cm.yaml\n- secret.yaml\nreplacements:\n- source:\n    kind: Secret\n    name: netrc\n    fieldPath: stringData.netrc\n  targets:\n  - select:\n      kind: ConfigMap\n      name: settings\n    fieldPaths:\n    - data.mode\n",
        },
      };
    },
  },
];
