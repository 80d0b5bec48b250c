/**
 * The Action's build (scripts/build-action.mjs) into a temporary folder: one ESM file that
 * loads and runs with nothing beside it, @actions/core and @octokit/rest inside, and without
 * undici, which @actions/http-client pulls in for what Shipshape never calls.
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- a build script without types
import { buildAction } from "../../scripts/build-action.mjs";

const ENV = { PATH: process.env.PATH ?? "" };
let dir: string;
let bundle: string;
let text: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "shipshape-action-build-"));
  // Where the runner finds it: action/dist below a checkout of Shipshape (package.json, bin/).
  await mkdir(join(dir, "bin"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "shipshape", version: "0.0.0-test", type: "module" }));
  await writeFile(join(dir, "bin", "shipshape.js"), "");
  bundle = (await buildAction(join(dir, "action", "dist", "index.js"))) as string;
  text = await readFile(bundle, "utf8");
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the Action's build", () => {
  it("is one ESM file with the toolkit and the REST client inside", async () => {
    expect(text.startsWith('import { createRequire as __shipshapeCreateRequire } from "node:module";')).toBe(true);
    expect(text).not.toMatch(/^module\.exports\s*=/m);
    expect(text).toContain("ghadelimiter_"); // @actions/core's file commands
    expect(text).toContain("@octokit/rest"); // its user agent
    expect(text).not.toContain("undici");
    // The README states the size; a jump means a dependency brought something big along.
    expect((await stat(bundle)).size).toBeLessThan(3 * 1024 * 1024);
  });

  it("loads and runs alone: a bad input is reported through @actions/core, exit 2", () => {
    const r = spawnSync(process.execPath, [bundle], { cwd: dir, env: { ...ENV, "INPUT_FAIL-ON": "loud" }, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('::error title=Shipshape%3A bad input::input fail-on: "loud" is not allowed');
  });

  it("fails the step through setFailed when it breaks before the run, scrubbed, exit 3", async () => {
    // Away from a Shipshape checkout it cannot find its package root.
    // The error names the folder, and the folder's name holds the token: it must be scrubbed.
    const token = "ghs_BuildTestCanaryToken0123456789";
    const elsewhere = await mkdtemp(join(tmpdir(), `${token}-`));
    const alone = join(elsewhere, "index.js");
    await copyFile(bundle, alone);
    const r = spawnSync(process.execPath, [alone], { cwd: tmpdir(), env: { ...ENV, "INPUT_GITHUB-TOKEN": token }, encoding: "utf8" });
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^::error::Shipshape: internal error: Error: cannot find Shipshape's package root above [^\n]*\[redacted\]/);
    expect(r.stdout + r.stderr).not.toContain(token);
    await rm(elsewhere, { recursive: true, force: true });
  });
});
