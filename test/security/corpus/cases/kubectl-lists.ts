/**
 * Objects as kubectl decodes them: apimachinery's unstructured decoder reads ANY object with an
 * `items` field as a list and applies the items, not the object (kubectl apply, helm install and
 * Argo CD all flatten such lists); items of a typed `…List` that have no apiVersion and kind get
 * the list's. `kubectl label --local -f` prints a ClusterRoleBinding for each of these files.
 * A resource that kubectl applies must be in the report (or an error must say why not).
 */
import type { CliCase } from "../harness/cli.js";
import { showsKind } from "../harness/cli.js";
import { configMap } from "./fixtures.js";

const BASE = { "deploy/cm.yaml": configMap("settings", { a: "b" }) };

const CRB_ITEM = (name: string, indent: string, withIdentity = true) =>
  [
    ...(withIdentity ? ["apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRoleBinding"] : []),
    `metadata: {name: ${name}}`,
    "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}",
    'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}]',
  ]
    .map((line, i) => `${indent}${i === 0 ? "- " : "  "}${line}`)
    .join("\n");

/** A custom resource (no schema, so nothing complains about the extra field) carrying `items`. */
const WIDGET_WITH_ITEMS = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: harmless
spec:
  size: 1
items:
${CRB_ITEM("widget-admin", "")}
`;

export const kubectlListCases: CliCase[] = [
  {
    id: "lists/items-field-on-custom-resource",
    attack: "a custom `Widget` with an `items:` list holding a ClusterRoleBinding: kubectl decodes it as a list and applies only the binding",
    targets: ["visible"],
    build: () => ({ keepBase: true, base: BASE, head: { "deploy/widget.yaml": WIDGET_WITH_ITEMS }, hidden: showsKind("ClusterRoleBinding") }),
  },
  {
    id: "lists/items-field-through-kustomize",
    attack: "the same Widget as a kustomize resource: kustomize passes it through unchanged, `kubectl apply -k` then applies the binding",
    targets: ["visible"],
    build: () => ({
      keepBase: true,
      base: { "app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": configMap("settings", { a: "b" }) },
      head: { "app/kustomization.yaml": "resources:\n- cm.yaml\n- widget.yaml\n", "app/widget.yaml": WIDGET_WITH_ITEMS },
      hidden: showsKind("ClusterRoleBinding"),
    }),
  },
  {
    id: "lists/typed-list-items-without-kind",
    attack: "`kind: ClusterRoleBindingList` whose items have no apiVersion or kind: kubectl gives them the list's (a warning is not enough)",
    targets: ["visible"],
    build: () => ({
      keepBase: true,
      base: BASE,
      head: { "deploy/bindings.yaml": `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBindingList\nitems:\n${CRB_ITEM("typed-list-admin", "", false)}\n` },
      hidden: showsKind("ClusterRoleBinding"),
    }),
  },
];
