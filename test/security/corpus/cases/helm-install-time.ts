/**
 * Chart output that `helm template` cannot see because it depends on the install, not on the
 * chart: `.Release.IsUpgrade` (false in template mode; true on every `helm upgrade` of an
 * existing release, which is how most changes ship), `.Capabilities.APIVersions.Has` (template
 * mode knows only built-in APIs; a real cluster has its CRDs) and `lookup` (always empty in
 * template mode). Each gates a ClusterRoleBinding to every authenticated user: the review must
 * show it, or say loudly that what it shows is not what will be applied.
 */
import { showsKind, type CliCase } from "../harness/cli.js";
import { chart, configMap, CRB } from "./fixtures.js";

const gated = (condition: string) => `{{- if ${condition} }}\n${CRB}{{- end }}\n`;

function installTimeCase(id: string, attack: string, condition: string): CliCase {
  return {
    id,
    attack,
    targets: ["visible"],
    build: () => {
      const templates = { "cm.yaml": configMap("settings", { a: "b" }) };
      return {
        base: chart("web", "web", templates),
        keepBase: true,
        head: chart("web", "web", { ...templates, "crb.yaml": gated(condition) }),
        hidden: showsKind("ClusterRoleBinding"),
      };
    },
  };
}

export const helmInstallTimeCases: CliCase[] = [
  installTimeCase("helm-install/release-is-upgrade", "a ClusterRoleBinding rendered only when `.Release.IsUpgrade` (every later helm upgrade)", ".Release.IsUpgrade"),
  installTimeCase(
    "helm-install/capabilities-has-crd-api",
    'a ClusterRoleBinding rendered only when the cluster serves monitoring.coreos.com/v1 (`.Capabilities.APIVersions.Has`)',
    '.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"',
  ),
  installTimeCase("helm-install/lookup-finds-namespace", "a ClusterRoleBinding rendered only when `lookup` finds kube-system (always, on a cluster)", '(lookup "v1" "Namespace" "" "kube-system")'),
];
