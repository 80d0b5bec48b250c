/** The bundle's entry: read the environment once, run, and leave the exit code to Node. */
import { EXIT } from "../../src/core/outcome.js";
import { readActionEnvironment } from "./environment.js";
import { run } from "./main.js";
import { formatCommand } from "./workflow-commands.js";

try {
  process.exitCode = await run(readActionEnvironment());
} catch (err) {
  process.stdout.write(formatCommand("error", { title: "Shipshape: internal error" }, `internal error: ${(err as Error)?.stack ?? String(err)}`));
  process.exitCode = EXIT.toolError;
}
