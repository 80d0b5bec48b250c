/** Everything the App takes from the process, read once at start-up and passed down. */
import { hkdfSync } from "node:crypto";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";
import { overridesFromEnvironment } from "../render/binaries.js";
import { NETWORK_ISOLATION_VARIABLE, parseNetworkIsolation, type NetworkIsolationSetting } from "../render/network-isolation.js";
import type { ToolOptions } from "../render/tool-options.js";
import { operatorSecretValues } from "../core/secrets/operator.js";
import { chartCredentialSecrets, type ChartCredentials } from "../render/chart-credentials.js";
import { readChartCredentials } from "../render/chart-credentials-env.js";
import { readQueueSettings, type QueueSettings } from "./queue/settings.js";

export interface AppEnvironment {
  /** PATH, only to find helm/kustomize/kubectl. */
  path: string;
  /** SHIPSHAPE_HELM, SHIPSHAPE_KUSTOMIZE, SHIPSHAPE_KUBECTL: the operator's binaries (never a repository's). */
  binaries?: ToolOptions["binaries"];
  /** SHIPSHAPE_NETWORK_ISOLATION: `required`, `auto` (default) or `off` (render/network-isolation.ts). */
  network?: NetworkIsolationSetting;
  toolsDir: string;
  tmpDir: string;
  cpus: number;
  /** Analyses running at once. */
  concurrency: number;
  /** Pull requests waiting at most. */
  queueLimit: number;
  /** Role, engine and timings of the queue (default: role `all`, the in-process queue). */
  queue?: QueueSettings;
  /** The app's slug, for `@slug` commands and recognising its own comments. */
  slug: string;
  now: () => Date;
  /** The values of the operator's credential-named variables and chart credentials: scrubbed from every output. */
  operatorSecrets?: readonly string[];
  /**
   * SHIPSHAPE_CHART_CREDENTIALS or SHIPSHAPE_CHART_CREDENTIALS_FILE: credentials for private
   * chart hosts (render/chart-credentials.ts). A bad value stops the start.
   */
  chartCredentials?: ChartCredentials;
  /**
   * Signs the state in Shipshape's comment (src/github/state.ts): SHIPSHAPE_STATE_KEY, else
   * derived from WEBHOOK_SECRET. Every replica must have the same; changing it makes the
   * approvals given so far be asked again.
   */
  stateKey?: Uint8Array;
}

export function readAppEnvironment(env: NodeJS.ProcessEnv = process.env): AppEnvironment {
  const cpus = availableParallelism();
  const queue = readQueueSettings(env);
  const charts = readChartCredentials(env, process.cwd());
  // Names the variable and the problem, never a value.
  if (!charts.ok) throw new Error(`Shipshape cannot start: ${charts.error}`);
  return {
    path: env.PATH ?? "",
    binaries: overridesFromEnvironment(env, process.cwd()),
    network: parseNetworkIsolation(env[NETWORK_ISOLATION_VARIABLE]),
    toolsDir: join(packageRoot(), "tools", "bin"),
    tmpDir: tmpdir(),
    cpus,
    concurrency: positive(env.SHIPSHAPE_CONCURRENCY, Math.max(1, Math.floor(cpus / 2))),
    // The shared queue holds references only (a few hundred bytes each): it can be far longer.
    queueLimit: positive(env.SHIPSHAPE_QUEUE_LIMIT, queue.redisUrl ? 10_000 : 100),
    queue,
    slug: env.SHIPSHAPE_APP_SLUG ?? "shipshape",
    now: () => new Date(),
    operatorSecrets: [...operatorSecretValues(env), ...chartCredentialSecrets(charts.credentials)],
    ...(charts.credentials.size > 0 ? { chartCredentials: charts.credentials } : {}),
    ...stateKeyFrom(env),
  };
}

/** HKDF, so the webhook secret itself never signs anything and the two uses stay apart. */
function stateKeyFrom(env: NodeJS.ProcessEnv): { stateKey?: Uint8Array } {
  const secret = env.SHIPSHAPE_STATE_KEY || env.WEBHOOK_SECRET;
  if (!secret) return {};
  return { stateKey: new Uint8Array(hkdfSync("sha256", secret, "shipshape", "sticky-state v1", 32)) };
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
