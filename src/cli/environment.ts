/** Everything the CLI takes from the process, read once here and passed down. */
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";
import { overridesFromEnvironment } from "../render/binaries.js";
import { NETWORK_ISOLATION_VARIABLE, parseNetworkIsolation, type NetworkIsolationSetting } from "../render/network-isolation.js";
import type { ToolOptions } from "../render/tool-options.js";
import { operatorSecretValues } from "../core/secrets/operator.js";
import type { ChartCredentialsSetting } from "../render/chart-credentials.js";
import { readChartCredentials } from "../render/chart-credentials-env.js";

export interface CliEnvironment {
  cwd: string;
  /** PATH, used only to find helm/kustomize/kubectl. Other variables are read only as `operatorSecrets` and the binary overrides. */
  path: string;
  /**
   * SHIPSHAPE_HELM, SHIPSHAPE_KUSTOMIZE, SHIPSHAPE_KUBECTL: binaries the operator chose
   * (the --helm, --kustomize, --kubectl flags win over them). Besides SHIPSHAPE_NETWORK_ISOLATION
   * (`network`) and the chart credentials (`chartCredentials`), no other variable is read.
   */
  binaries?: ToolOptions["binaries"];
  /** SHIPSHAPE_NETWORK_ISOLATION: `required`, `auto` (default) or `off` (render/network-isolation.ts). */
  network?: NetworkIsolationSetting;
  cpus: number;
  /** Today's date (YYYY-MM-DD, UTC), for waiver expiry. */
  today: string;
  tmpDir: string;
  /** Where `npm ci` provisioned helm and kubectl. */
  toolsDir: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  /** The values of the operator's credential-named variables: scrubbed from every output. */
  operatorSecrets?: readonly string[];
  /**
   * SHIPSHAPE_CHART_CREDENTIALS or SHIPSHAPE_CHART_CREDENTIALS_FILE: credentials for private
   * chart hosts (render/chart-credentials.ts); a bad value is reported when `check` starts.
   */
  chartCredentials?: ChartCredentialsSetting;
}

export function readEnvironment(): CliEnvironment {
  const cwd = process.cwd();
  return {
    cwd,
    path: process.env.PATH ?? "",
    binaries: overridesFromEnvironment(process.env, cwd),
    network: parseNetworkIsolation(process.env[NETWORK_ISOLATION_VARIABLE]),
    cpus: availableParallelism(),
    today: new Date().toISOString().slice(0, 10),
    tmpDir: tmpdir(),
    toolsDir: join(packageRoot(), "tools", "bin"),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    operatorSecrets: operatorSecretValues(process.env),
    chartCredentials: readChartCredentials(process.env, cwd),
  };
}
