/**
 * What the Action takes from the process besides what @actions/core reads itself: the runner's
 * `GITHUB_*` / `RUNNER_*` variables and PATH, read once here and passed down. The inputs
 * (`INPUT_*`), the step's output and summary files and the log are the toolkit's
 * (inputs.ts, toolkit.ts); nothing else reads `process.env`.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.js";
import { overridesFromEnvironment } from "../../src/render/binaries.js";
import { NETWORK_ISOLATION_VARIABLE, parseNetworkIsolation, type NetworkIsolationSetting } from "../../src/render/network-isolation.js";
import type { ToolOptions } from "../../src/render/tool-options.js";
import { operatorSecretValues } from "../../src/core/secrets/operator.js";

export interface ActionEnvironment {
  /** GITHUB_EVENT_NAME, e.g. `pull_request`; undefined outside Actions. */
  eventName?: string;
  /** GITHUB_EVENT_PATH: the webhook payload that triggered the run. */
  eventPath?: string;
  /** GITHUB_WORKSPACE, else the current directory: `working-directory` is relative to it. */
  workspace: string;
  /** GITHUB_REPOSITORY: `owner/name`. */
  repository?: string;
  /** GITHUB_SHA: the commit the workflow runs on. */
  sha?: string;
  /** GITHUB_API_URL (GitHub Enterprise Server differs). */
  apiUrl: string;
  /** GITHUB_SERVER_URL. */
  serverUrl: string;
  /** RUNNER_TEMP: cleared by the runner after each job; the JSON report goes below it. */
  runnerTemp?: string;
  /** PATH, only to find helm/kustomize/kubectl. */
  path: string;
  /**
   * SHIPSHAPE_HELM, SHIPSHAPE_KUSTOMIZE, SHIPSHAPE_KUBECTL from the step's `env:` (relative
   * paths from GITHUB_WORKSPACE): the workflow's binaries, never the repository config's.
   */
  binaries?: ToolOptions["binaries"];
  /** SHIPSHAPE_NETWORK_ISOLATION from the step's `env:`: `required`, `auto` (default) or `off`. */
  network?: NetworkIsolationSetting;
  cpus: number;
  /** Today's date (YYYY-MM-DD, UTC), for waiver expiry. */
  today: string;
  /** Where private scratch folders are made (RUNNER_TEMP on a runner). */
  tmpDir: string;
  /** Where `npm ci` provisioned helm and kubectl (absent on GitHub: PATH has them). */
  toolsDir: string;
  /** Shipshape's version, for SARIF. */
  version: string;
  /**
   * The values of credential-named variables (INPUT_GITHUB-TOKEN, ACTIONS_RUNTIME_TOKEN, …):
   * scrubbed from every output and masked in the runner's log.
   */
  operatorSecrets?: readonly string[];
}

export function readActionEnvironment(env: NodeJS.ProcessEnv = process.env): ActionEnvironment {
  const root = packageRoot();
  const runnerTemp = nonEmpty(env.RUNNER_TEMP);
  const workspace = nonEmpty(env.GITHUB_WORKSPACE) ?? process.cwd();
  return {
    eventName: nonEmpty(env.GITHUB_EVENT_NAME),
    eventPath: nonEmpty(env.GITHUB_EVENT_PATH),
    workspace,
    repository: nonEmpty(env.GITHUB_REPOSITORY),
    sha: nonEmpty(env.GITHUB_SHA),
    apiUrl: nonEmpty(env.GITHUB_API_URL) ?? "https://api.github.com",
    serverUrl: nonEmpty(env.GITHUB_SERVER_URL) ?? "https://github.com",
    runnerTemp,
    path: env.PATH ?? "",
    binaries: overridesFromEnvironment(env, workspace),
    network: parseNetworkIsolation(env[NETWORK_ISOLATION_VARIABLE]),
    cpus: availableParallelism(),
    today: new Date().toISOString().slice(0, 10),
    tmpDir: runnerTemp ?? tmpdir(),
    toolsDir: join(root, "tools", "bin"),
    version: readVersion(root),
    operatorSecrets: operatorSecretValues(env),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function readVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
