/**
 * Running a rendering tool (helm, kustomize, kubectl) on untrusted pull-request content.
 *
 * The child gets an environment built from nothing: the bot's tokens live in process.env
 * and a chart or kustomization must not be able to read them (helm templates can read env
 * through plugins, kustomize exec plugins through their parent). PATH is empty so
 * kustomize cannot find `git` to fetch remote bases, every tool's home and caches point into
 * a scratch folder, and the network is closed as far as the host allows
 * (network-isolation.ts: a network namespace of its own, else proxy variables that lead
 * nowhere). The child runs in its own process group so a timeout, an
 * output cap, the memory limit (memory-limit.ts) or the review's time budget (an abort
 * signal) kills everything it started.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { outputBudgetProblem } from "../core/pipeline/output-budget.js";
import type { OutputBudget, RenderOutcome } from "../core/ports.js";
import { isExecutableFile } from "./exec-file.js";
import { isGoOutOfMemory, watchMemory, withKernelLimit, type MemoryWatch } from "./memory-limit.js";
import { isolationFor, proxyEnv, type NetworkIsolationSetting } from "./network-isolation.js";
import { toolFailureMessage } from "./tool-message.js";

export interface ExecRequest {
  /** Absolute path of the binary; never looked up on PATH. */
  binary: string;
  args: readonly string[];
  cwd: string;
  /** Folder for the child's HOME and tool caches; created by the caller. */
  scratchDir: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** The review's output across renders (render.maxTotalOutputBytes); the child stops when spent. */
  outputBudget?: OutputBudget;
  /** Memory of the child's whole process tree (kernel limit and watcher); none when absent. */
  maxMemoryBytes?: number;
  /** Stops the child when aborted (the review's time budget ran out). */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL once we decide to stop the child. */
  graceMs?: number;
  /** The operator's SHIPSHAPE_NETWORK_ISOLATION; absent: `auto`. */
  network?: NetworkIsolationSetting;
  /**
   * Only for `helm pull` of a chart from a host the base side's config allows (flux/chart-pull.ts):
   * the one step that needs the network runs without the namespace and the closed proxy. Never
   * set for a render: templates and kustomizations never run with it.
   */
  networkForPull?: true;
}

/** Why we stopped a child ourselves. */
type StopReason = "timeout" | "output-too-large" | "output-budget" | "memory-limit" | "aborted";

export type ExecResult =
  | { kind: "ok"; stdout: string; stderr: string; ms: number }
  | { kind: Exclude<StopReason, "memory-limit">; stderr: string; ms: number }
  | { kind: "memory-limit"; stderr: string; ms: number; peakBytes: number }
  | { kind: "exited"; code: number | null; signal: string | null; stderr: string; ms: number }
  | { kind: "spawn-failed"; message: string };

/** Stderr kept per run; the tail is where tools put the error that matters. */
export const STDERR_CAP_BYTES = 64 * 1024;
const DEFAULT_GRACE_MS = 2000;

/** The Go heap target: half the hard limit, and never above the 512 MiB that suits renders. */
function goMemoryLimitMiB(maxMemoryBytes: number | undefined): number {
  const half = maxMemoryBytes ? Math.floor(maxMemoryBytes / 2 / (1024 * 1024)) : 512;
  return Math.max(16, Math.min(512, half));
}

/** The complete environment a tool sees. Nothing is inherited from process.env. */
export function sanitizedEnv(scratchDir: string, maxMemoryBytes?: number): Record<string, string> {
  const home = join(scratchDir, "home");
  const helm = join(scratchDir, "helm");
  return {
    PATH: "",
    HOME: home,
    TMPDIR: join(scratchDir, "tmp"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    HELM_CACHE_HOME: join(helm, "cache"),
    HELM_CONFIG_HOME: join(helm, "config"),
    HELM_DATA_HOME: join(helm, "data"),
    HELM_PLUGINS: join(helm, "plugins"),
    KUSTOMIZE_PLUGIN_HOME: join(scratchDir, "kustomize-plugins"),
    KUBECONFIG: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LANG: "C",
    // Renders are short-lived Go processes: collecting garbage only near a soft ceiling
    // (512 MiB, or half the hard limit) makes them about a third faster. Soft: the hard
    // limit is render.maxMemoryMiB, enforced in memory-limit.ts.
    GOGC: "off",
    GOMEMLIMIT: `${goMemoryLimitMiB(maxMemoryBytes)}MiB`,
    ...proxyEnv(),
  };
}

/** The pull's environment: the render's, without the proxy variables that close the network. */
function pullEnv(scratchDir: string, maxMemoryBytes?: number): Record<string, string> {
  const env = sanitizedEnv(scratchDir, maxMemoryBytes);
  for (const name of Object.keys(proxyEnv())) delete env[name];
  return env;
}

/** Tools misbehave when HOME or TMPDIR do not exist; cheap enough to ensure on every run. */
function prepareScratch(scratchDir: string): void {
  mkdirSync(join(scratchDir, "home"), { recursive: true });
  mkdirSync(join(scratchDir, "tmp"), { recursive: true });
}

export async function runTool(req: ExecRequest): Promise<ExecResult> {
  const started = Date.now();
  try {
    prepareScratch(req.scratchDir);
  } catch (err) {
    return { kind: "spawn-failed", message: `cannot prepare ${req.scratchDir}: ${(err as Error).message}` };
  }
  // Checked here because the kernel limit runs the tool through /bin/sh, which would turn
  // a missing binary into an ordinary exit code.
  if (!isExecutableFile(req.binary)) return { kind: "spawn-failed", message: `${req.binary}: not an executable file` };
  const isolation = req.networkForPull ? ({ kind: "proxy-only", reason: "chart pull" } as const) : await isolationFor(req.network);
  if (isolation.kind === "refused") return { kind: "spawn-failed", message: isolation.message };
  if (req.signal?.aborted) return { kind: "aborted", stderr: "", ms: 0 };
  const limited = req.maxMemoryBytes ? withKernelLimit(req.binary, req.args, req.maxMemoryBytes) : { command: req.binary, args: [...req.args] };
  // unshare execs what it starts (no fork): the process group and the memory watcher see the tool.
  const command = isolation.kind === "namespace" ? isolation.wrap(limited.command, limited.args) : limited;
  return new Promise((resolve) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(command.command, command.args, {
        cwd: req.cwd,
        env: req.networkForPull ? pullEnv(req.scratchDir, req.maxMemoryBytes) : sanitizedEnv(req.scratchDir, req.maxMemoryBytes),
        stdio: ["ignore", "pipe", "pipe"],
        // Own process group, so killing -pid reaches grandchildren too.
        detached: true,
      });
    } catch (err) {
      resolve({ kind: "spawn-failed", message: (err as Error).message });
      return;
    }

    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr = new TailBuffer(STDERR_CAP_BYTES);
    let stopReason: StopReason | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    let memory: MemoryWatch | undefined;
    const onAbort = (): void => stop("aborted");

    const finish = (result: ExecResult): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      memory?.stop();
      req.signal?.removeEventListener("abort", onAbort);
      resolve(result);
    };

    const stopped = (reason: StopReason, ms: number): ExecResult =>
      reason === "memory-limit"
        ? { kind: reason, stderr: stderr.text(), ms, peakBytes: memory?.peakBytes() ?? 0 }
        : { kind: reason, stderr: stderr.text(), ms };

    function stop(reason: StopReason): void {
      if (stopReason) return;
      stopReason = reason;
      // Memory cannot wait for a graceful exit, and a spent budget must free its slot now
      // (helm traps SIGTERM and keeps rendering); the tools leave nothing to clean up.
      killGroup(child.pid, reason === "memory-limit" || reason === "aborted" ? "SIGKILL" : "SIGTERM");
      const grace = req.graceMs ?? DEFAULT_GRACE_MS;
      timers.push(setTimeout(() => killGroup(child.pid, "SIGKILL"), grace));
      // A grandchild that left our group could hold the pipes open; do not wait on it forever.
      timers.push(
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish(stopped(reason, Date.now() - started));
        }, grace * 2),
      );
    }

    timers.push(setTimeout(() => stop("timeout"), req.timeoutMs));
    req.signal?.addEventListener("abort", onAbort, { once: true });
    if (req.maxMemoryBytes && child.pid !== undefined) memory = watchMemory(child.pid, req.maxMemoryBytes, () => stop("memory-limit"));

    child.stdout.on("data", (chunk: Buffer) => {
      if (stopReason) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > req.maxOutputBytes) {
        stop("output-too-large");
        return;
      }
      if (req.outputBudget && !req.outputBudget.take(chunk.length)) {
        // What it printed so far is dropped now, not when the child has exited.
        stdout.length = 0;
        stop("output-budget");
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));

    child.on("error", (err) => {
      finish({ kind: "spawn-failed", message: `${req.binary}: ${err.message}` });
    });

    child.on("close", (code, signal) => {
      const ms = Date.now() - started;
      // Anything the tool left running in its group (it should leave nothing) goes too.
      killGroup(child.pid, "SIGKILL");
      if (stopReason) {
        finish(stopped(stopReason, ms));
        return;
      }
      // The kernel limit ended it before the watcher saw it (memory-limit.ts).
      if (code !== 0 && req.maxMemoryBytes && isGoOutOfMemory(stderr.text())) {
        finish({ kind: "memory-limit", stderr: stderr.text(), ms, peakBytes: memory?.peakBytes() ?? 0 });
        return;
      }
      if (code !== 0) {
        finish({ kind: "exited", code, signal, stderr: stderr.text(), ms });
        return;
      }
      finish({ kind: "ok", stdout: Buffer.concat(stdout).toString("utf8"), stderr: stderr.text(), ms });
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Keeps the last `cap` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    // Compact only once we hold twice the cap, so compaction stays rare.
    if (this.bytes > this.cap * 2) this.compact();
  }

  text(): string {
    this.compact();
    return this.chunks.length === 0 ? "" : this.chunks[0]!.toString("utf8").trim();
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const tail = all.length > this.cap ? all.subarray(all.length - this.cap) : all;
    this.chunks = [tail];
    this.bytes = tail.length;
  }
}

/** What a failed tool run means for the target; shared by the tool-backed renderers. */
export interface FailureContext {
  /** Tool name for messages ("helm", "kustomize"). */
  tool: string;
  /** Repo-relative file the problem is reported on (the kustomization, Chart.yaml). */
  file: string;
  limits: { timeoutMs: number; maxOutputBytes: number; maxMemoryBytes?: number; outputBudget?: OutputBudget };
  /** Absolute folders (the tree root, the scratch dir) to strip from messages. */
  roots: readonly string[];
}

export function failureOutcome(result: Exclude<ExecResult, { kind: "ok" }>, ctx: FailureContext): RenderOutcome {
  switch (result.kind) {
    case "spawn-failed":
      return { status: "tool-error", message: `could not run ${ctx.tool}: ${result.message}` };
    case "timeout":
      return invalid("render/timeout", `${ctx.tool} did not finish within ${ctx.limits.timeoutMs} ms`, ctx.file);
    case "output-too-large":
      return invalid("render/output-too-large", `${ctx.tool} produced more than ${ctx.limits.maxOutputBytes} bytes of output`, ctx.file);
    case "output-budget":
      return { status: "invalid", problems: [outputBudgetProblem(ctx.limits.outputBudget?.limit ?? 0, ctx.file)] };
    case "memory-limit":
      return invalid(
        "render/memory-limit",
        `${ctx.tool} needed more than ${mib(ctx.limits.maxMemoryBytes ?? 0)} MiB of memory (render.maxMemoryMiB) and was stopped`,
        ctx.file,
      );
    case "aborted":
      // The scheduler reports the target as skipped (render/budget-exhausted); this is what
      // a renderer called on its own sees.
      return { status: "tool-error", message: `${ctx.tool} was stopped: the review's time budget (render.budgetSeconds) ran out` };
    case "exited": {
      // A signal we did not send is the machine (out of memory, a reaper), not the input.
      if (result.code === null) return { status: "tool-error", message: `${ctx.tool} was killed by ${result.signal ?? "a signal"}` };
      const stderr = toolFailureMessage(scrubRoots(result.stderr, ctx.roots));
      return invalid("render/failed", stderr || `${ctx.tool} exited with code ${result.code}`, ctx.file);
    }
  }
}

/**
 * Base and head render in different folders; stripping them keeps messages (and the
 * finding ids made from them) the same on both sides, and keeps local paths out of
 * PR comments.
 */
export function scrubRoots(text: string, roots: readonly string[]): string {
  let out = text;
  for (const root of [...roots].sort((a, b) => b.length - a.length)) {
    if (!root || root === "/") continue;
    const bare = root.endsWith("/") ? root.slice(0, -1) : root;
    const escaped = bare.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // "/tmp/x/" prefixes vanish; "/tmp/x" alone becomes "."; "/tmp/xy" is another folder.
    out = out.replace(new RegExp(`${escaped}/`, "g"), "").replace(new RegExp(`${escaped}(?![\\w.-])`, "g"), ".");
  }
  return out.trim();
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}

function invalid(ruleId: string, message: string, file: string): RenderOutcome {
  return { status: "invalid", problems: [{ ruleId, severity: "error", message, file }] };
}
