/**
 * What each rule id means and what to do about it, for the rule descriptors of the SARIF
 * log (the text a code-scanning alert shows under "Rule help"). Exact ids first, then one
 * entry per id family (`render/`, `policy/`, …), then a generic text: a rule added later
 * still gets a descriptor, just a plainer one.
 */
import { escapeMarkdown } from "../markdown/escape.js";

export interface RuleDocs {
  shortDescription: string;
  fullDescription: { text: string; markdown: string };
  help: { text: string; markdown: string };
}

/**
 * Static help, written as Markdown whose only markup is code spans; the plain-text form
 * drops the backticks.
 */
interface StaticHelp {
  short: string;
  full: string;
  help: string;
}

const CONFIG_FILE = "`.github/shipshape.yml` on the base branch";

const EXACT: Readonly<Record<string, StaticHelp>> = {
  "render/failed": {
    short: "Render failed",
    full: "The renderer (kustomize, `kubectl kustomize` or helm) failed on this target; the message is the tool's trimmed error output.",
    help: "Run the same render locally (`kubectl kustomize <dir>` or `helm template <release> <chart> -f <values>`) and fix the error it reports. This is a problem in the repository's content, not in Shipshape: the other targets are still reviewed.",
  },
  "render/timeout": {
    short: "Render timed out",
    full: "Rendering this target took longer than `render.timeoutSeconds`.",
    help: `Look for unusually large or slow inputs, or raise \`render.timeoutSeconds\` in ${CONFIG_FILE}.`,
  },
  "render/output-too-large": {
    short: "Render output too large",
    full: "The rendered output of this target is larger than `render.maxOutputBytes`.",
    help: `Split the target, or raise \`render.maxOutputBytes\` in ${CONFIG_FILE}.`,
  },
  "render/remote-base": {
    short: "Remote Kustomize base",
    full: "A kustomization refers to a URL or a git repository. Shipshape never fetches remote content, so the target cannot be rendered.",
    help: "Vendor the remote base into the repository and refer to it by a relative path.",
  },
  "render/missing-file": {
    short: "Referenced file missing",
    full: "A file the target refers to (a resource, patch, generator or values file) does not exist.",
    help: "Add the file, or fix the reference to it.",
  },
  "render/outside-repo": {
    short: "Reference outside the repository",
    full: "A reference resolves to a path outside the repository, which Shipshape does not read.",
    help: "Move the referenced file into the repository, or refer to a copy inside it.",
  },
  "render/kustomize-helm": {
    short: "Helm chart inflated by Kustomize",
    full: "A kustomization uses `helmCharts`; Helm inflation inside Kustomize is disabled.",
    help: `Render the chart as a Helm target instead: a \`targets\` entry with \`type: helm\` in ${CONFIG_FILE}.`,
  },
  "render/helm-missing-dependency": {
    short: "Helm dependency not vendored",
    full: "A chart dependency is not in the chart's `charts/` folder; Shipshape does not download dependencies.",
    help: "Run `helm dependency build` and commit the resulting `charts/` folder.",
  },
  "render/helm-external-schema": {
    short: "Remote Helm values schema",
    full: "The chart's `values.schema.json` refers to a remote schema, so the chart was rendered with `--skip-schema-validation`.",
    help: "Vendor the referenced schema into the chart if values should be validated against it.",
  },
  "render/duplicate-resource": {
    short: "Resource defined more than once",
    full: "One identity (group, kind, namespace, name) is rendered more than once in this target; only one copy takes effect when the output is applied. The message lists every copy's file and line.",
    help: "Keep one copy, or make each alternative (for example each install bundle of a folder) a target of its own. Changes are paired copy by copy, by file, so no change is invented meanwhile.",
  },
  "render/base-failed": {
    short: "Base side failed to render",
    full: "Only the base side of this target failed to render, so no changes could be listed for it.",
    help: "The head renders, so this change has nothing to fix here; the finding explains why the target shows no change list.",
  },
  "input/yaml-invalid": {
    short: "Invalid YAML",
    full: "A file could not be parsed as YAML: a syntax error, a duplicate key, or too many aliases.",
    help: "Fix the YAML at the reported line.",
  },
  "input/unreadable": {
    short: "Unreadable file",
    full: "A file could not be read as text: larger than 10 MB, or not valid UTF-8.",
    help: "Keep manifests below 10 MB and encoded as UTF-8.",
  },
  "input/not-a-resource": {
    short: "YAML document is not a resource",
    full: "A YAML document without `apiVersion`, `kind` or `metadata.name`; it is left out of the review.",
    help: "Add the missing fields, or move the file out of the manifests folder if it is not a Kubernetes object.",
  },
  "input/patch-document": {
    short: "Patch document in a manifests folder",
    full: "A document with a top-level `$patch` directive (a kustomize `$patch: delete` stub) in a plain manifests folder: a patch, not an object, so it is not reviewed as a resource. kubectl apply refuses it, or with validation off creates the object.",
    help: "List the file under a kustomization's `patches`, or remove it.",
  },
  "input/symlink-not-followed": {
    short: "Symlink not followed",
    full: "A symbolic link leads outside the repository, to a directory, or nowhere; it was left out of the snapshot.",
    help: "Replace the link with the file it points to, or point it at a file inside the repository.",
  },
  "config/target-missing": {
    short: "Configured target missing",
    full: "A target listed in the config names a folder that exists on neither side of the change.",
    help: `Fix the target's \`path\`, or remove the target from ${CONFIG_FILE}.`,
  },
  "config/policy-invalid": {
    short: "Invalid team policy",
    full: "A team policy file matched by `policies.paths` could not be loaded.",
    help: "Fix the policy at the reported file and line; `shipshape policy test <dir>` runs its Kyverno tests locally.",
  },
  "config/policies-not-found": {
    short: "No team policies found",
    full: "`policies.paths` matches no file on the base side, so no team policies were applied.",
    help: `Fix the globs in \`policies.paths\`, or remove the key from ${CONFIG_FILE}.`,
  },
  "config/waiver-expired": {
    short: "Waiver expired",
    full: "A waiver's `expires` date has passed: it no longer applies and the findings it covered are reported again.",
    help: "Fix the findings, or renew the waiver with a new `expires` date and an up-to-date `reason`.",
  },
  "schema/unknown-field": {
    short: "Unknown field",
    full: "The resource has a field its schema does not define; the API server would reject or drop it.",
    help: `Remove the field or fix its spelling (the message suggests the closest known field). \`schema.strict: false\` in ${CONFIG_FILE} allows unknown fields.`,
  },
  "schema/no-schema": {
    short: "No schema for this kind",
    full: "No built-in schema, CRD or local schema is known for this kind, so the resource was not validated.",
    help: "Add the CRD to the repository, list CRD files in `schema.crds`, or put a JSON schema in the folder named by `schema.localSchemas`.",
  },
  "schema/invalid-schema": {
    short: "Invalid CRD or local schema",
    full: "A CRD or local schema file could not be compiled into a validator.",
    help: "Fix the schema file; resources of its kind are not validated until then.",
  },
  "api/removed": {
    short: "API removed",
    full: "The apiVersion and kind are not served by the chosen Kubernetes version: the cluster would reject the object.",
    help: "Move to the replacement API the message names (for example `policy/v1beta1` PodDisruptionBudget to `policy/v1`) and adapt the fields that changed. The Kubernetes version comes from `--kube-version` or `kubernetesVersion` in the config.",
  },
  "api/deprecated": {
    short: "API deprecated",
    full: "The apiVersion and kind are served by the chosen Kubernetes version but removed in the next minor version.",
    help: "Migrate to the replacement API the message names before the cluster is upgraded.",
  },
  "api/unknown": {
    short: "Unknown API",
    full: "In a built-in API group, a kind or version the chosen Kubernetes version does not know, and no removal explains.",
    help: "Check the apiVersion and kind for typos, or raise the Kubernetes version if the API is only served by newer releases.",
  },
  "policy/policies-changed": {
    short: "Policy files changed",
    full: "The change edits files under `policies.paths`. Policies are read from the base branch, so the edits take effect only once merged.",
    help: "Review the policy change itself: this pull request was checked with the base branch's policies.",
  },
};

type FamilyHelp = (name: string, example: string | undefined) => RuleDocs;

/** Id families, tried in order on `<family>/<name>`. */
const FAMILIES: Readonly<Record<string, FamilyHelp>> = {
  policy: policyHelp,
  render: (name) =>
    fromStatic({
      short: `Render problem: ${name}`,
      full: "This target could not be rendered as written.",
      help: "Render the target locally (`kubectl kustomize <dir>` or `helm template`) and fix the problem the message names.",
    }),
  input: (name) =>
    fromStatic({
      short: `Input problem: ${name}`,
      full: "A file in the repository could not be read or interpreted.",
      help: "Fix the file at the reported location.",
    }),
  config: (name) =>
    fromStatic({
      short: `Configuration problem: ${name}`,
      full: "Shipshape's configuration does not do what it says.",
      help: `Fix ${CONFIG_FILE}; the message names the key.`,
    }),
  schema: (name) =>
    fromStatic({
      short: `Schema violation: ${name}`,
      full: "The rendered resource does not match the schema of its kind: the Kubernetes OpenAPI schema of the chosen version, a CRD, or the Compose specification.",
      help: "Fix the value at the reported JSON path; the message says what was expected. The Kubernetes version comes from `--kube-version` or `kubernetesVersion` in the config.",
    }),
  api: (name) =>
    fromStatic({
      short: `Kubernetes API problem: ${name}`,
      full: "The apiVersion and kind are a problem for the chosen Kubernetes version.",
      help: "Use an API the target Kubernetes version serves; the message names it.",
    }),
  compose: (name) =>
    fromStatic({
      short: `Compose problem: ${name}`,
      full: "The built-in Compose normaliser could not interpret the project the way `docker compose config` would.",
      help: "Run `docker compose config` in the project's folder to see the same problem, and fix the Compose file at the reported location.",
    }),
  cost: (name) =>
    fromStatic({
      short: `Cost: ${name}`,
      full: "The change's estimated effect on the monthly bill.",
      help: `See the cost section of the report; prices and the threshold are set under \`cost\` in ${CONFIG_FILE}.`,
    }),
  risk: (name) =>
    fromStatic({
      short: `Risk: ${name}`,
      full: "The change touches something a reviewer must look at before it merges.",
      help: `See the risk section of the report for who must approve; rules and approvers are set under \`risk\` in ${CONFIG_FILE}.`,
    }),
};

/**
 * Docs for one rule id. `example` is the message of one of the rule's findings; policy
 * rules quote it, since a policy's own message is the best description of what it wants.
 */
export function describeRule(ruleId: string, example?: string): RuleDocs {
  // hasOwn, not a plain lookup: a rule id like "constructor" must not reach Object.prototype.
  if (Object.hasOwn(EXACT, ruleId)) return fromStatic(EXACT[ruleId]!);
  const slash = ruleId.indexOf("/");
  const family = slash > 0 ? ruleId.slice(0, slash) : "";
  if (slash > 0 && Object.hasOwn(FAMILIES, family)) return FAMILIES[family]!(ruleId.slice(slash + 1), example);
  return fromStatic({
    short: `Shipshape rule ${ruleId}`,
    full: "A finding reported by Shipshape.",
    help: "The result's message says what is wrong; `shipshape check` prints the same finding locally.",
  });
}

function policyHelp(name: string, example: string | undefined): RuleDocs {
  const slash = name.indexOf("/");
  const policy = slash > 0 ? name.slice(0, slash) : name;
  const rule = slash > 0 ? name.slice(slash + 1) : "";
  const waiveTarget = rule ? `${policy}/${rule}` : policy;
  const full = `Kyverno policy \`${policy}\`${rule ? `, rule \`${rule}\`` : ""}, evaluated on the rendered resources without a cluster. A failed Enforce rule is an error and an Audit rule a warning, unless \`policies.severity\` says otherwise.`;
  const waive = [
    "Fix the resource so the rule passes, or, if the finding is accepted, waive it:",
    "",
    `- in ${CONFIG_FILE}: a \`waivers\` entry with \`policy: ${waiveTarget}\` (or \`policy: ${policy}\`), a \`reason\`, and optionally \`resource\`, \`target\` and \`expires\`;`,
    `- or on the resource itself: the annotation \`shipshape.dev/waive: ${policy}\` with \`shipshape.dev/waive-reason\`.`,
    "",
    "Waived findings stay in the report, marked with the reason, and never fail the check. The built-in policies are described in Shipshape's `policies/README.md`.",
  ].join("\n");
  const quote = example === undefined ? undefined : oneLine(example);
  return {
    shortDescription: rule ? `Policy ${policy}: ${rule}` : `Policy ${policy}`,
    fullDescription: { text: plain(full), markdown: full },
    help: {
      text: (quote === undefined ? "" : `The policy says: ${quote}\n\n`) + plain(waive),
      markdown: (quote === undefined ? "" : `The policy says: ${escapeMarkdown(quote)}\n\n`) + waive,
    },
  };
}

function fromStatic(entry: StaticHelp): RuleDocs {
  return {
    shortDescription: plain(entry.short),
    fullDescription: { text: plain(entry.full), markdown: entry.full },
    help: { text: plain(entry.help), markdown: entry.help },
  };
}

function plain(markdown: string): string {
  return markdown.replaceAll("`", "");
}

/**
 * Lines trimmed and joined by one space. Not a replace of `\s*\r?\n\s*`: a policy's message is
 * repository text, and that pattern rescans a run of spaces from each of them (quadratic).
 */
function oneLine(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
}
