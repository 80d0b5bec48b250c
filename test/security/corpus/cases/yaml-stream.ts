/**
 * Where one document ends and the next begins. kubectl (and Argo CD) split a manifest file into
 * documents line by line before any YAML parser sees it: a line starting with `---` followed by
 * nothing but spaces or a `#…` comment is a boundary. For YAML itself `---#` is no marker (the
 * `#` needs a space before it), so text after it can sit inside a block scalar that starts the
 * document before. Here that scalar is `!!null |`: kubectl's piece before `---#` is null and
 * skipped, the piece after it is a ClusterRoleBinding, which `kubectl label --local -f` prints.
 * And a byte-order mark: go-yaml drops one at the start of every piece kubectl hands it (each is
 * a stream of its own), so a document may start with one, first in the file or after `---`.
 */
import type { CliCase } from "../harness/cli.js";
import { showsKind } from "../harness/cli.js";
import { configMap, deployment, flagsPrivileged } from "./fixtures.js";

const CRB_AT_COLUMN_ZERO = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: split-by-kubectl
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: system:authenticated
`;

export const yamlStreamCases: CliCase[] = [
  {
    id: "stream/dash-dash-dash-hash-splits-for-kubectl",
    attack: "`!!null |` then a `---#` line and a ClusterRoleBinding: one null block scalar for YAML, a null and a binding for kubectl",
    targets: ["visible"],
    build: () => ({
      keepBase: true,
      base: { "deploy/cm.yaml": configMap("settings", { a: "b" }) },
      head: { "deploy/cm.yaml": `${configMap("settings", { a: "b" })}---\n!!null |\n---#\n${CRB_AT_COLUMN_ZERO}` },
      hidden: showsKind("ClusterRoleBinding"),
    }),
  },
  {
    id: "stream/byte-order-mark-at-file-start",
    attack: "a manifest file starting with a byte-order mark, then a privileged Deployment",
    targets: ["visible"],
    build: () => ({
      keepBase: true,
      base: { "deploy/app.yaml": deployment("api") },
      head: { "deploy/app.yaml": `\ufeff${deployment("api", "        securityContext:\n          privileged: true\n")}` },
      hidden: flagsPrivileged(true),
    }),
  },
  {
    id: "stream/byte-order-mark-after-separator",
    attack: "a second document that starts with a byte-order mark right after `---`: a ClusterRoleBinding",
    targets: ["visible"],
    build: () => ({
      keepBase: true,
      base: { "deploy/cm.yaml": configMap("settings", { a: "b" }) },
      head: { "deploy/cm.yaml": `${configMap("settings", { a: "b" })}---\n\ufeff${CRB_AT_COLUMN_ZERO}` },
      hidden: showsKind("ClusterRoleBinding"),
    }),
  },
];
