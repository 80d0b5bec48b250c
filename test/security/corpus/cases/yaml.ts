/**
 * YAML as Kubernetes reads it (YAML 1.1 through sigs.k8s.io/yaml): merge keys at other depths
 * and in lists, YAML 1.1 booleans, tags, anchors across documents, duplicate keys, and merge
 * keys in Compose. The head makes a workload privileged or share the host; the report must
 * say so as it would for the plain spelling (or refuse a document Kubernetes refuses too).
 */
import type { CliCase } from "../harness/cli.js";
import { deployment, flagsPrivileged } from "./fixtures.js";

const BASE = { "deploy/app.yaml": deployment("api") };

function privileged(id: string, attack: string, head: string, invalidIsLoud = false): CliCase {
  return { id, attack, targets: ["visible"], build: () => ({ base: BASE, head: { "deploy/app.yaml": head }, hidden: flagsPrivileged(invalidIsLoud) }) };
}

const POD = (spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
spec:
${spec}`;

export const yamlCases: CliCase[] = [
  privileged(
    "yaml/merge-key-list-in-init-container",
    "`securityContext: {<<: [*sc, {privileged: true}]}` in an init container (a merge list)",
    POD(`  containers:
  - name: app
    image: nginx:1.27.0
    securityContext: &sc {runAsNonRoot: true}
  initContainers:
  - name: init
    image: busybox:1.36.1
    securityContext:
      <<: [*sc, {privileged: true}]
`),
  ),
  privileged(
    "yaml/merge-key-pod-spec-host-namespaces",
    "`<<: {hostNetwork: true, hostPID: true}` merged into a Deployment's pod spec",
    deployment("api", "", "      <<: {hostNetwork: true, hostPID: true}\n"),
  ),
  privileged(
    "yaml/merge-key-container-level-in-cronjob",
    "a CronJob container whose securityContext arrives through `<<: {securityContext: {privileged: true}}`",
    `apiVersion: batch/v1
kind: CronJob
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: app
            image: busybox:1.36.1
            <<: {securityContext: {privileged: true}}
`,
  ),
  privileged("yaml/yaml11-boolean-on", "`hostNetwork: on` (a YAML 1.1 boolean, true for Kubernetes)", deployment("api", "", "      hostNetwork: on\n")),
  privileged("yaml/tagged-boolean", '`privileged: !!bool "true"` (an explicit tag)', deployment("api", '        securityContext:\n          privileged: !!bool "true"\n')),
  privileged(
    "yaml/duplicate-key-privileged",
    "`privileged: false` then `privileged: true` in one mapping (last one wins in kubectl)",
    deployment("api", "        securityContext:\n          privileged: false\n          privileged: true\n"),
    true,
  ),
  privileged(
    "yaml/alias-to-anchor-in-previous-document",
    "an alias to an anchor defined in the previous document of the same file",
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
data: &sc {privileged: "true"}
---
${deployment("api", "        securityContext: *sc\n")}`,
    true,
  ),
  {
    id: "yaml/compose-merge-key-privileged",
    attack: "a Compose service built with `<<: *base` from an `x-` anchor holding `privileged: true`",
    targets: ["visible"],
    build: () => ({
      base: { "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n" },
      head: { "shop/compose.yaml": "x-base: &base\n  privileged: true\n  network_mode: host\nservices:\n  web:\n    <<: *base\n    image: nginx:1.27.0\n" },
      hidden: flagsPrivileged(),
    }),
  },
];
