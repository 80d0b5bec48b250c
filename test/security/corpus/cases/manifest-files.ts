/**
 * Which files of a plain-manifests folder count: `kubectl apply -f <folder>` (and Argo CD's
 * directory source) reads every `.yaml`, `.yml` and `.json` file there, whatever its name and
 * however its YAML is spelled. A file Shipshape does not read is a change nobody reviews: each
 * case adds a ClusterRoleBinding to everyone that `kubectl label --local -f` reads as one, in a
 * file Shipshape may pass over (JSON-flavoured YAML, quoted keys, the identity from a merge
 * key, a `.json` file, a name that looks like Helm values, a dot file).
 */
import type { CliCase } from "../harness/cli.js";
import { showsKind } from "../harness/cli.js";
import { configMap } from "./fixtures.js";

const BASE = { "deploy/cm.yaml": configMap("settings", { a: "b" }) };

/** The ClusterRoleBinding as one JSON object (valid YAML too). */
const CRB_JSON = (name: string) =>
  JSON.stringify({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" }],
  });

const REST = (name: string) => `metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]
`;

function hiddenFile(id: string, attack: string, path: string, text: string): CliCase {
  return {
    id,
    attack,
    targets: ["visible"],
    build: () => ({ keepBase: true, base: BASE, head: { [path]: text }, hidden: showsKind("ClusterRoleBinding") }),
  };
}

export const manifestFileCases: CliCase[] = [
  hiddenFile(
    "files/json-flavoured-yaml-manifest",
    "a `.yaml` file holding the ClusterRoleBinding as one JSON object (`{\"apiVersion\": …}`): no line starts with `apiVersion:`",
    "deploy/rbac.yaml",
    `${CRB_JSON("json-flavoured")}\n`,
  ),
  hiddenFile(
    "files/quoted-identity-keys",
    'a manifest whose keys are quoted (`"apiVersion": …`, `"kind": …`), as YAML generators write them',
    "deploy/rbac.yaml",
    `"apiVersion": rbac.authorization.k8s.io/v1\n"kind": ClusterRoleBinding\n${REST("quoted-keys")}`,
  ),
  hiddenFile(
    "files/identity-from-merge-key",
    "`<<: {apiVersion: …, kind: ClusterRoleBinding}`: kubectl applies the merge key, so the file has an apiVersion and kind",
    "deploy/rbac.yaml",
    `<<: {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding}\n${REST("merged-identity")}`,
  ),
  hiddenFile("files/json-file-in-manifests-folder", "a `.json` manifest beside the YAML ones (kubectl apply -f reads .json files)", "deploy/rbac.json", `${CRB_JSON("dot-json")}\n`),
  hiddenFile(
    "files/manifest-named-like-helm-values",
    "a manifest named `values-prod.yaml` in a folder that is no chart",
    "deploy/values-prod.yaml",
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n${REST("values-named")}`,
  ),
  hiddenFile(
    "files/dot-file-manifest",
    "a manifest named `.rbac.yaml` (kubectl reads dot files of the folder it is given)",
    "deploy/.rbac.yaml",
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n${REST("dot-named")}`,
  ),
];
