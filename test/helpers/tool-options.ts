/** ToolOptions for renderer tests: only the binaries `npm ci` provisioned, never the host PATH. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ToolOptions } from "../../src/render/tool-options.js";

export const TOOLS_DIR = resolve(import.meta.dirname, "../../tools/bin");

export function testToolOptions(overrides: Partial<ToolOptions> = {}): ToolOptions {
  return {
    binaries: {},
    searchPath: "",
    toolsDir: TOOLS_DIR,
    scratchDir: mkdtempSync(join(tmpdir(), "shipshape-test-")),
    ...overrides,
  };
}
