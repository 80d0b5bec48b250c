/**
 * kustomize's builtin plugins configured by the kustomization itself: entries of `generators:`
 * and `transformers:` are either inline YAML or files holding a plugin config (apiVersion
 * `builtin`, kind ConfigMapGenerator, SecretGenerator, PatchTransformer…). Those configs name
 * files too, and kustomize's loader fetches any http(s) path over the network before the load
 * restrictor looks at it. Shipshape checks the paths of top-level generators and patches, not
 * those inside plugin configs. Every URL points at the loopback server, which must stay silent.
 */
import type { CliCase } from "../harness/cli.js";
import { configMap } from "./fixtures.js";

const APP = { "app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": configMap("settings", { mode: "safe" }) };

/** A plugin config as an inline entry of a kustomization list (YAML text, indented under `- |-`). */
const inline = (config: string) => `- |-\n${config.replace(/^/gm, "  ")}`;

export const kustomizePluginCases: CliCase[] = [
  {
    id: "plugins/inline-configmap-generator-url",
    attack: "an inline `generators:` entry: a builtin ConfigMapGenerator whose `files:` is an http:// URL",
    targets: ["network"],
    build: (host, id) => ({
      base: APP,
      head: {
        "app/kustomization.yaml": `resources:\n- cm.yaml\ngenerators:\n${inline(`apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: fetched\nfiles:\n- ${host.loopback.url(id, "secret.txt")}`)}\n`,
      },
    }),
  },
  {
    id: "plugins/inline-secret-generator-env-url",
    attack: "an inline `generators:` entry: a builtin SecretGenerator whose `envs:` is an http:// URL",
    targets: ["network"],
    build: (host, id) => ({
      base: APP,
      head: {
        "app/kustomization.yaml": `resources:\n- cm.yaml\ngenerators:\n${inline(`apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: fetched\nenvs:\n- ${host.loopback.url(id, "db.env")}`)}\n`,
      },
    }),
  },
  {
    id: "plugins/transformer-file-patch-url",
    attack: "`transformers: [patch.yaml]` where patch.yaml is a builtin PatchTransformer whose `path:` is an http:// URL",
    targets: ["network"],
    build: (host, id) => ({
      base: APP,
      head: {
        "app/kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- patch.yaml\n",
        "app/patch.yaml": `apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: fetched\npath: ${host.loopback.url(id, "patch.yaml")}\n`,
      },
    }),
  },
];
