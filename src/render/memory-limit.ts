/**
 * A hard memory limit for a renderer's process tree, enforced twice (Linux only; elsewhere
 * the per-render timeout is the only bound):
 *
 * - by the kernel: the tool starts under `ulimit -d` (RLIMIT_DATA, the heap and every
 *   private writable mapping), so no single process can allocate past the limit however
 *   fast it grows. The Go runtime reserves address space PROT_NONE, which RLIMIT_DATA does
 *   not count, so helm and kubectl start normally under it (unlike RLIMIT_AS);
 * - by a watcher: every WATCH_INTERVAL_MS the resident memory of the whole tree is summed
 *   from /proc, and the process group is killed above the limit. This catches what a
 *   per-process limit cannot: several children that each stay under it.
 *
 * GOMEMLIMIT (exec.ts) only asks the Go collector to try; it is not a limit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isExecutableFile } from "./exec-file.js";

export const WATCH_INTERVAL_MS = 25;
/** Every this many ticks, /proc is scanned whole for group members that left the tree. */
const FULL_SCAN_EVERY = 40;
const SHELL = "/bin/sh";

/** Where the kernel limit and the /proc watcher can work. */
export function memoryLimitSupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform === "linux";
}

/**
 * The command to spawn for `binary args…` under RLIMIT_DATA = maxBytes. The binary and its
 * arguments are passed to the shell as positional parameters ("$0" "$@"), never as script
 * text, so nothing in them is interpreted. Without /bin/sh the command is left as it is and
 * only the watcher applies.
 */
export function withKernelLimit(binary: string, args: readonly string[], maxBytes: number): { command: string; args: string[] } {
  if (!memoryLimitSupported() || !isExecutableFile(SHELL)) return { command: binary, args: [...args] };
  const kib = Math.max(1, Math.floor(maxBytes / 1024));
  // A lower hard limit already set by the operator is kept: `ulimit` then fails and exec goes on.
  return { command: SHELL, args: ["-c", `ulimit -d ${kib} 2>/dev/null; exec "$0" "$@"`, binary, ...args] };
}

/**
 * The Go runtime's own words when the kernel refuses it memory (it then exits with code 2):
 * "fatal error: out of memory", "fatal error: runtime: out of memory", "fatal error:
 * runtime: cannot allocate memory", "fatal error: out of memory allocating heap arena
 * metadata". Only consulted for a tool started under the kernel limit; a template that
 * prints the same words only gets its failure reported as a memory-limit failure.
 */
const GO_OUT_OF_MEMORY = /^fatal error: (?:runtime: )?(?:out of memory|cannot allocate memory)/m;

export function isGoOutOfMemory(stderr: string): boolean {
  return GO_OUT_OF_MEMORY.test(stderr);
}

interface Watch {
  pgid: number;
  limitBytes: number;
  peakBytes: number;
  onExceeded: (bytes: number) => void;
}

const watches = new Set<Watch>();
let ticker: NodeJS.Timeout | undefined;
let ticks = 0;

export interface MemoryWatch {
  /** Highest sum of resident memory seen, in bytes. */
  peakBytes(): number;
  stop(): void;
}

/**
 * Watches the process tree led by `pgid` (the child spawned detached, so its pid is its
 * group id) and calls `onExceeded` once when its resident memory passes `limitBytes`.
 * One timer serves every watch; it runs only while something is watched.
 */
export function watchMemory(pgid: number, limitBytes: number, onExceeded: (bytes: number) => void): MemoryWatch {
  const watch: Watch = { pgid, limitBytes, peakBytes: 0, onExceeded };
  if (memoryLimitSupported()) {
    watches.add(watch);
    ticker ??= setInterval(tick, WATCH_INTERVAL_MS).unref();
  }
  return {
    peakBytes: () => watch.peakBytes,
    stop: () => {
      watches.delete(watch);
      if (watches.size === 0 && ticker) {
        clearInterval(ticker);
        ticker = undefined;
      }
    },
  };
}

function tick(): void {
  ticks += 1;
  const groups = ticks % FULL_SCAN_EVERY === 0 ? groupMembers(new Set([...watches].map((w) => w.pgid))) : undefined;
  for (const watch of [...watches]) {
    const pids = descendants(watch.pgid);
    for (const pid of groups?.get(watch.pgid) ?? []) pids.add(pid);
    let bytes = 0;
    for (const pid of pids) bytes += residentBytes(pid);
    watch.peakBytes = Math.max(watch.peakBytes, bytes);
    if (bytes > watch.limitBytes) {
      watches.delete(watch);
      watch.onExceeded(bytes);
    }
  }
  if (watches.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/** `pid` and everything it started, through /proc/PID/task/TID/children (every thread's). */
function descendants(pid: number): Set<number> {
  const seen = new Set<number>();
  const queue = [pid];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    for (const tid of list(`/proc/${next}/task`)) {
      for (const child of read(`/proc/${next}/task/${tid}/children`).split(" ")) {
        const n = Number(child);
        if (child !== "" && Number.isInteger(n)) queue.push(n);
      }
    }
  }
  return seen;
}

/**
 * Members of the given process groups found anywhere in /proc: a process whose parent
 * exited is re-parented out of the tree but stays in the group. Costs a few milliseconds,
 * so it runs only every FULL_SCAN_EVERY ticks.
 */
function groupMembers(pgids: Set<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const entry of list("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // Fields after "(comm)": state ppid pgrp …; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pgrp = Number(fields[2]);
    if (pgids.has(pgrp)) out.set(pgrp, [...(out.get(pgrp) ?? []), Number(entry)]);
  }
  return out;
}

/** VmRSS of a process; 0 once it is gone (or a zombie). */
function residentBytes(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`))?.[1];
  return kib ? Number(kib) * 1024 : 0;
}

function read(path: string): string {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return "";
  }
}

function list(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
