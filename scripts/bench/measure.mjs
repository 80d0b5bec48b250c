// Running child processes for the benchmark: wall time, exit code, peak RSS.
import { spawn } from "node:child_process";
import { readFile, rm } from "node:fs/promises";

const STDERR_TAIL_BYTES = 4000;

/**
 * Runs a command to completion, draining its stdout (so a renderer that writes a lot is not
 * blocked on a full pipe) and keeping the end of stderr for error messages.
 */
export function run(command, args, { cwd, env } = {}) {
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdoutBytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdoutBytes += chunk.length;
    });
    child.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    const finish = (exitCode, spawnError) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolvePromise({ exitCode, wallMs, stdoutBytes, stderr, spawnError });
    };
    child.on("error", (err) => finish(null, err));
    child.on("close", (code, signal) => finish(code ?? (signal ? `signal ${signal}` : null)));
  });
}

/** True when GNU time is present and understands `-f %M -o FILE`. */
export async function gnuTimeWorks(timePath, probeFile) {
  const result = await run(timePath, ["-f", "%M", "-o", probeFile, "true"]);
  if (result.exitCode !== 0) return false;
  try {
    return parseKb(await readFile(probeFile, "utf8")) !== null;
  } catch {
    return false;
  } finally {
    await rm(probeFile, { force: true });
  }
}

/** Last integer on the last non-empty line; GNU time may print a "Command exited" line first. */
export function parseKb(text) {
  const lines = text.trim().split("\n").filter(Boolean);
  const match = /(\d+)\s*$/.exec(lines.at(-1) ?? "");
  return match ? Number(match[1]) : null;
}

/** Reads `maxRSS N` (kilobytes) that the in-process wrapper prints on stderr. */
export function parseWrapperRss(stderr) {
  const match = /maxRSS (\d+)\s*$/m.exec(stderr);
  return match ? Number(match[1]) : null;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
