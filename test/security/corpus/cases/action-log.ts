/**
 * Workflow commands in the Action's log. The Action prints its text report to standard output,
 * and the runner reads every line of it for commands: `::name …::data` after leading spaces, or
 * `##[name …]data` anywhere in a line. Repository text that reaches the report (a chart's `fail`
 * message over several lines, a value quoted by a schema message, a file name with a newline)
 * must not become a command: a forged annotation, `set-output`, `add-mask`, or `stop-commands`,
 * after which the runner ignores every annotation Shipshape prints.
 */
import type { ActionCase } from "../harness/action.js";
import { chart, configMap } from "./fixtures.js";

const TAG = "corpusforged";
const SAFE_CHART = chart("web", "web", { "cm.yaml": configMap("settings", { a: "b" }) });

/** A Pod with no resources or security context: policy findings name its file and line. */
const POD = (name: string, extra = "") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: nginx:1.27.0
${extra}`;

export const actionCases: ActionCase[] = [
  {
    id: "action/helm-fail-message-workflow-commands",
    attack: "a template `fail`s with a message whose later lines are `::error …::` and `::stop-commands::` (the text report indents them; the runner trims)",
    tag: TAG,
    base: SAFE_CHART,
    head: () => ({
      "web/templates/fail.yaml": `{{ fail "values rejected\\n::error file=README.md,line=1,title=${TAG}::approved by the security team\\n::stop-commands::${TAG}" }}\n`,
    }),
  },
  {
    id: "action/schema-message-legacy-command",
    attack: "a value a schema message quotes: `hostNetwork: \"##[set-output name=risk-level;]none\"` (the legacy form counts anywhere in a line)",
    tag: TAG,
    base: { "deploy/cm.yaml": configMap("settings", { a: "b" }) },
    head: () => ({ "deploy/pod.yaml": POD("api").replace("spec:\n", `spec:\n  hostNetwork: "##[set-output name=risk-level;]none ${TAG}"\n`) }),
  },
  {
    id: "action/file-name-with-newline",
    attack: "a manifest named `pod\\n::warning title=…::forged.yaml`: its findings print the name in the text report",
    tag: TAG,
    base: { "deploy/cm.yaml": configMap("settings", { a: "b" }) },
    head: () => ({ [`deploy/pod\n::warning title=${TAG}::forged.yaml`]: POD("api") }),
  },
];
