/** ToolOptions for renderer tests: only the binaries `npm ci` provisioned, never the host PATH. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ToolOptions } from "../../src/render/tool-options.js";

export const TOOLS_DIR = resolve(import.meta.dirname, "../../tools/bin");

let scratch: string | undefined;

/** One scratch folder per test file; call removeTestScratchDir from afterAll. */
export function testScratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), "shipshape-test-"));
  return scratch;
}

export function removeTestScratchDir(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

export function testToolOptions(overrides: Partial<ToolOptions> = {}): ToolOptions {
  return { binaries: {}, searchPath: "", toolsDir: TOOLS_DIR, scratchDir: testScratchDir(), ...overrides };
}
