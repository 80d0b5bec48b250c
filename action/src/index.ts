/** The bundle's entry: read the environment once, run, and leave the exit code to Node. */
import * as core from "@actions/core";
import { EXIT } from "../../src/core/outcome.js";
import { operatorSecretValues } from "../../src/core/secrets/operator.js";
import { ScrubError, scrubOrWithhold, SecretSet } from "../../src/core/secrets/secret-set.js";
import { readActionEnvironment } from "./environment.js";
import { run } from "./main.js";

try {
  process.exitCode = await run(readActionEnvironment());
} catch (err) {
  // run() reports its own errors: this is Shipshape breaking around it, still scrubbed.
  const secrets = SecretSet.ofCredentials(operatorSecretValues(process.env));
  core.setFailed(scrubOrWithhold(secrets, `Shipshape: internal error: ${(err as Error)?.stack ?? String(err)}`, new ScrubError().message));
  // setFailed set 1; Shipshape breaking is 3, as for the CLI.
  process.exitCode = EXIT.toolError;
}
