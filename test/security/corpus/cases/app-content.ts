/**
 * Content attacks through the App: a selection of the CLI cases, one or more per guarantee,
 * delivered as a pull request (tarballs from the fake GitHub, config from the default branch),
 * so every request body sent to GitHub and every log line is searched too: check runs,
 * annotations, the sticky comment, inline review comments.
 */
import { overlay, type FileMap } from "../harness/files.js";
import { pullRequestOf } from "../harness/app.js";
import type { AppCase } from "../harness/app-case.js";
import type { CliCase } from "../harness/cli.js";
import { pullRequestPayload } from "../../../app/helpers/payloads.js";
import { CLI_CASES } from "./index.js";

const THROUGH_THE_APP = [
  "argv/kustomize-folder-load-restrictor-proc-environ",
  "argv/helm-chart-name-set-file-url",
  "read/kustomize-merge-key-resources-climb",
  "read/helm-schema-escaped-ref-file-url",
  "net/kustomize-lowercase-generator-url",
  "secret/helm-fail-quotes-secret-value",
  "secret/team-policy-message-echoes-secret",
  "secret/credential-env-names-without-separators",
  "secret/compose-dotenv-broken-interpolation",
  // Second red team: the same paths to the network and to secrets, through the App.
  "plugins/inline-configmap-generator-url",
  "schema/ref-under-property-named-default",
  "secret-early/inline-plugin-literal",
  "secret-forms/urlquery-encoded-password",
  // Third red team: the scrubber's pattern outgrown (its SyntaxError quotes every secret), and
  // credentials under plain Helm keys quoted by a failing chart.
  "scrubber/secret-with-30kb-ca-bundle",
  "secret-values/plain-keys-quoted-by-failing-chart",
];

function throughTheApp(c: CliCase): AppCase {
  return {
    id: `app/${c.id}`,
    attack: `through the App: ${c.attack}`,
    targets: c.targets.filter((t) => t !== "visible"),
    prepare: async (gh, host) => {
      // The CLI case's own id keeps its loopback URLs and canaries; attribution uses this case's.
      const setup = await c.build(host, `app/${c.id}`);
      const trusted: FileMap = { ...(setup.trusted ?? {}) };
      const both: FileMap = { ...(setup.base ?? {}), ...trusted };
      const pr = await pullRequestOf(setup.keepBase ? both : trusted, overlay(both, setup.head));
      if (setup.config !== undefined) gh.config = setup.config;
      gh.tarballs = pr.tarballs;
      gh.files = pr.files;
    },
    act: async ({ app }) => app.receive("pull_request", pullRequestPayload()),
  };
}

export const appContentCases: AppCase[] = THROUGH_THE_APP.map((id) => {
  const c = CLI_CASES.find((x) => x.id === id);
  if (!c) throw new Error(`no CLI case ${id}`);
  return throughTheApp(c);
});
