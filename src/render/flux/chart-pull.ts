/**
 * Remote charts: pulled with the bundled helm into a content-addressed cache, in a step apart
 * from the render. The pull is the only tool run that has the network (exec.ts `networkForPull`),
 * and it runs nothing from the chart: `helm pull` downloads the repository index and the archive.
 * Its command line is fixed (argv.ts `helmPullArgv`), its URL's host was allowed by the base
 * side's config, helm's config and caches are empty folders of ours (no repositories, no
 * credentials). The archive is then stored under its SHA-256 and rendered from there, offline.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RenderLimits } from "../../core/ports.js";
import { helmPullArgv } from "../argv.js";
import { resolveHelm } from "../binaries.js";
import { runTool } from "../exec.js";
import { scrubRoots } from "../exec.js";
import type { ToolOptions } from "../tool-options.js";
import { checkAllowedHost } from "./allowed-hosts.js";
import { scratchFolder } from "./scratch.js";

/** A chart archive larger than this is refused (helm's own limit for charts is 20 MiB). */
const MAX_ARCHIVE_BYTES = 20 * 1024 * 1024;
const PULL_TIMEOUT_MS = 60_000;
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export interface ChartPullRequest {
  repoUrl: string;
  chart: string;
  version?: string;
}

export type ChartPull = { ok: true; archive: string; digest: string } | { ok: false; why: string; toolError?: boolean };

export async function pullChart(req: ChartPullRequest, opts: ToolOptions, limits: Pick<RenderLimits, "signal">): Promise<ChartPull> {
  const host = checkAllowedHost(req.repoUrl, opts.gitops?.allowedHosts ?? []);
  if (!host.ok) return { ok: false, why: host.why };
  const cache = opts.gitops?.chartCacheDir ?? join(opts.scratchDir, "chart-cache");
  // Only an exact version names the same archive tomorrow; a range is pulled again each review.
  const pointer = req.version !== undefined && EXACT_VERSION.test(req.version) ? join(cache, "refs", sha256(`${req.repoUrl}\n${req.chart}\n${req.version}`)) : undefined;
  if (pointer) {
    const cached = await cachedArchive(cache, pointer);
    if (cached) return cached;
  }
  const destination = await scratchFolder(opts, "chart-pull");
  const args = helmPullArgv({ destination, repoUrl: req.repoUrl, chart: req.chart, ...(req.version !== undefined ? { version: req.version } : {}) });
  if (!args) return { ok: false, why: `chart ${JSON.stringify(req.chart.slice(0, 80))} or version ${JSON.stringify((req.version ?? "").slice(0, 80))} is not a valid chart name or version` };
  let binary: string;
  try {
    binary = (await resolveHelm(opts)).binary;
  } catch (err) {
    return { ok: false, why: (err as Error).message, toolError: true };
  }
  const result = await runTool({
    binary,
    args,
    cwd: destination,
    scratchDir: opts.scratchDir,
    timeoutMs: PULL_TIMEOUT_MS,
    maxOutputBytes: 1024 * 1024,
    networkForPull: true,
    ...(limits.signal ? { signal: limits.signal } : {}),
  });
  if (result.kind !== "ok") {
    const detail = "stderr" in result ? scrubRoots(result.stderr, [destination, opts.scratchDir]).trim().split("\n").pop() : result.message;
    await rm(destination, { recursive: true, force: true });
    return { ok: false, why: `helm pull of chart ${req.chart} from ${host.url.host} failed${detail ? `: ${detail}` : ""}` };
  }
  const archives = (await readdir(destination)).filter((f) => f.endsWith(".tgz"));
  if (archives.length !== 1) return { ok: false, why: `helm pull of chart ${req.chart} left ${archives.length} archives` };
  const pulled = join(destination, archives[0]!);
  if ((await stat(pulled)).size > MAX_ARCHIVE_BYTES) return { ok: false, why: `chart ${req.chart} is larger than ${MAX_ARCHIVE_BYTES} bytes` };
  const digest = sha256(await readFile(pulled));
  const archive = blobPath(cache, digest);
  await mkdir(join(cache, "sha256"), { recursive: true });
  await rename(pulled, archive).catch(() => copyFile(pulled, archive));
  await rm(destination, { recursive: true, force: true });
  if (pointer) {
    await mkdir(join(cache, "refs"), { recursive: true });
    await writeFile(pointer, digest);
  }
  return { ok: true, archive, digest };
}

/** The cached archive a pointer names, when it is still there and still has that digest. */
async function cachedArchive(cache: string, pointer: string): Promise<ChartPull | undefined> {
  try {
    const digest = (await readFile(pointer, "utf8")).trim();
    if (!/^[0-9a-f]{64}$/.test(digest)) return undefined;
    const archive = blobPath(cache, digest);
    if (sha256(await readFile(archive)) !== digest) return undefined;
    return { ok: true, archive, digest };
  } catch {
    return undefined;
  }
}

function blobPath(cache: string, digest: string): string {
  return join(cache, "sha256", `${digest}.tgz`);
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
