import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { failureOutcome, runTool, sanitizedEnv, scrubRoots, STDERR_CAP_BYTES, type ExecRequest } from "../../src/render/exec.js";

const scratch = mkdtempSync(join(tmpdir(), "shipshape-exec-"));
const scripts = mkdtempSync(join(tmpdir(), "shipshape-script-"));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(scripts, { recursive: true, force: true });
});
const LIMITS = { timeoutMs: 10_000, maxOutputBytes: 1024 * 1024 };

function req(binary: string, args: string[], extra: Partial<ExecRequest> = {}): ExecRequest {
  return { binary, args, cwd: scratch, scratchDir: scratch, ...LIMITS, ...extra };
}

function script(name: string, body: string): string {
  const path = join(scripts, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** True while the process exists and is not a zombie waiting for a reaper. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe("runTool", () => {
  const secretKey = "SHIPSHAPE_TEST_SECRET_TOKEN";
  afterEach(() => {
    delete process.env[secretKey];
  });

  it("returns stdout of a successful run", async () => {
    const result = await runTool(req("/bin/sh", ["-c", "echo hello; echo note >&2"]));
    expect(result).toMatchObject({ kind: "ok", stdout: "hello\n", stderr: "note" });
  });

  it("gives the child only the sanitised environment", async () => {
    process.env[secretKey] = "ghp_should_never_leak";
    const result = await runTool(req("/usr/bin/env", []));
    if (result.kind !== "ok") throw new Error(JSON.stringify(result));
    expect(result.stdout).not.toContain("ghp_should_never_leak");
    expect(result.stdout).not.toContain(secretKey);
    const seen = Object.fromEntries(result.stdout.trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    expect(seen).toEqual(sanitizedEnv(scratch));
    expect(seen.PATH).toBe("");
    expect(seen.KUBECONFIG).toBe("/dev/null");
    expect(seen.GIT_TERMINAL_PROMPT).toBe("0");
    expect(seen.LANG).toBe("C");
    for (const key of ["HOME", "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME", "HELM_PLUGINS"]) {
      expect(seen[key]!.startsWith(`${scratch}/`)).toBe(true);
    }
  });

  it("reports a non-zero exit with stderr", async () => {
    const result = await runTool(req("/bin/sh", ["-c", "echo '  oops  ' >&2; exit 3"]));
    expect(result).toMatchObject({ kind: "exited", code: 3, signal: null, stderr: "oops" });
  });

  it("keeps only the tail of a large stderr", async () => {
    const result = await runTool(req("/bin/sh", ["-c", "/usr/bin/yes abcdefghi | /usr/bin/head -c 300000 >&2; echo THE-END >&2; exit 1"]));
    if (result.kind !== "exited") throw new Error(result.kind);
    expect(result.stderr.length).toBeLessThanOrEqual(STDERR_CAP_BYTES);
    expect(result.stderr.length).toBeGreaterThan(STDERR_CAP_BYTES - 100);
    expect(result.stderr.endsWith("THE-END")).toBe(true);
  });

  it("reports a binary that cannot be started", async () => {
    const result = await runTool(req("/nonexistent/helm", ["version"]));
    expect(result.kind).toBe("spawn-failed");
    if (result.kind === "spawn-failed") expect(result.message).toBe("/nonexistent/helm: not an executable file");
  });

  it("kills the whole process group on timeout", async () => {
    const pidFile = join(scratch, "grandchild.pid");
    const slow = script("slow", `/bin/sleep 30 &\necho $! > "${pidFile}"\nwait`);
    const result = await runTool(req(slow, [], { timeoutMs: 300, graceMs: 200 }));
    expect(result.kind).toBe("timeout");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(await waitUntil(() => !isRunning(grandchild), 2000)).toBe(true);
  });

  it("escalates to SIGKILL when the child ignores SIGTERM", async () => {
    const stubborn = script("stubborn", "trap '' TERM\n/bin/sleep 30");
    const started = Date.now();
    const result = await runTool(req(stubborn, [], { timeoutMs: 100, graceMs: 300 }));
    expect(result.kind).toBe("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("stops a child whose output passes the cap", async () => {
    const result = await runTool(req("/usr/bin/yes", [], { maxOutputBytes: 1000 }));
    expect(result.kind).toBe("output-too-large");
  });
});

describe("failureOutcome", () => {
  const ctx = { tool: "helm", file: "chart/Chart.yaml", limits: { timeoutMs: 5000, maxOutputBytes: 10 }, roots: ["/tmp/snap-head"] };

  it("maps each failure to the outcome the pipeline expects", () => {
    expect(failureOutcome({ kind: "timeout", stderr: "", ms: 5001 }, ctx)).toEqual({
      status: "invalid",
      problems: [{ ruleId: "render/timeout", severity: "error", message: "helm did not finish within 5000 ms", file: "chart/Chart.yaml" }],
    });
    expect(failureOutcome({ kind: "output-too-large", stderr: "", ms: 1 }, ctx)).toMatchObject({
      status: "invalid",
      problems: [{ ruleId: "render/output-too-large" }],
    });
    expect(failureOutcome({ kind: "spawn-failed", message: "EACCES" }, ctx)).toEqual({ status: "tool-error", message: "could not run helm: EACCES" });
    expect(failureOutcome({ kind: "exited", code: null, signal: "SIGKILL", stderr: "", ms: 1 }, ctx).status).toBe("tool-error");
    expect(failureOutcome({ kind: "exited", code: 1, signal: null, stderr: "Error: open /tmp/snap-head/chart/x.yaml: denied", ms: 1 }, ctx)).toEqual({
      status: "invalid",
      problems: [{ ruleId: "render/failed", severity: "error", message: "Error: open chart/x.yaml: denied", file: "chart/Chart.yaml" }],
    });
  });

  it("scrubs every root, longest first", () => {
    expect(scrubRoots("at /a/b/c/file and /a/b and /a/bc", ["/a/b", "/a/b/c/"])).toBe("at file and . and /a/bc");
  });
});
