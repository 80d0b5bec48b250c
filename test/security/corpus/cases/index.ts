/** Every CLI case of the corpus, in the order they are reported. */
import type { CliCase } from "../harness/cli.js";
import { argvCases } from "./argv.js";
import { composeDotenvCases } from "./compose-dotenv.js";
import { helmInstallTimeCases } from "./helm-install-time.js";
import { helmSchemaCases } from "./helm-schemas.js";
import { kubectlListCases } from "./kubectl-lists.js";
import { kustomizePluginCases } from "./kustomize-plugins.js";
import { manifestFileCases } from "./manifest-files.js";
import { memoryCases } from "./memory.js";
import { nestingCases } from "./nesting.js";
import { netCases } from "./net.js";
import { pathNameCases } from "./path-names.js";
import { readCases } from "./read.js";
import { redosCases } from "./redos.js";
import { scrubberSizeCases } from "./scrubber-size.js";
import { secretFormCases } from "./secret-forms.js";
import { secretKnownEarlyCases } from "./secret-known-early.js";
import { secretValueFormCases } from "./secret-values-forms.js";
import { secretDigestCases } from "./secret-digests.js";
import { secretCases } from "./secrets.js";
import { sourceCases } from "./sources.js";
import { writeCases } from "./write.js";
import { yamlCases } from "./yaml.js";
import { yamlSpellingCases } from "./yaml-spellings.js";
import { yamlStreamCases } from "./yaml-stream.js";

export const CLI_CASES: CliCase[] = [
  ...argvCases,
  ...readCases,
  ...netCases,
  ...writeCases,
  ...sourceCases,
  ...secretCases,
  ...yamlCases,
  // Second red team (issue 11): parser and file-selection differentials, plugin configs, schemas, secret forms.
  ...manifestFileCases,
  ...kubectlListCases,
  ...yamlStreamCases,
  ...yamlSpellingCases,
  ...pathNameCases,
  ...kustomizePluginCases,
  ...helmSchemaCases,
  ...secretFormCases,
  ...secretKnownEarlyCases,
  ...composeDotenvCases,
  // Third red team: the scrubber's own limits, credentials under plain Helm keys, output that
  // depends on the install, and regular expressions that backtrack on repository text.
  ...scrubberSizeCases,
  ...secretValueFormCases,
  ...secretDigestCases,
  ...helmInstallTimeCases,
  ...redosCases,
  ...memoryCases,
  ...nestingCases,
];
