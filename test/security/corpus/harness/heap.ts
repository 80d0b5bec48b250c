/**
 * The CLI run with a bounded JavaScript heap, for cases about Shipshape's own memory (the
 * tools' memory is bounded by render.maxMemoryMiB; Shipshape's is not something a test can
 * exhaust in-process without taking vitest down with it). The CLI is bundled once per test
 * process, as scripts/build.mjs bundles it, into a temporary package folder whose schemas and
 * policies are links to this project's (Shipshape finds them from its package root), and run
 * in a worker thread whose old generation is capped: running out of it ends the worker with
 * ERR_WORKER_OUT_OF_MEMORY, which is what the real CLI or App would die of, only sooner.
 */
import { copyFile, mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import type { CliEnvironment } from "../../../../src/cli/environment.js";
import { PROJECT_ROOT, type CliRun } from "../../../helpers/cli.js";

let bundled: Promise<string> | undefined;

/** The CLI's `main`, bundled into `<tmp>/pkg/dist/cli.mjs` (a package root of its own). */
function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const pkg = join(await mkdtemp(join(tmpdir(), "corpus-heap-")), "pkg");
    await mkdir(join(pkg, "bin"), { recursive: true });
    await mkdir(join(pkg, "dist"));
    await copyFile(join(PROJECT_ROOT, "package.json"), join(pkg, "package.json"));
    await writeFile(join(pkg, "bin", "shipshape.js"), "");
    for (const dir of ["schemas", "policies", "schema"]) await symlink(join(PROJECT_ROOT, dir), join(pkg, dir));
    const outfile = join(pkg, "dist", "cli.mjs");
    await build({
      entryPoints: [join(PROJECT_ROOT, "src", "cli", "main.ts")],
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      logLevel: "silent",
      banner: { js: 'import { createRequire as __corpusRequire } from "node:module"; const require = __corpusRequire(import.meta.url);' },
    });
    return outfile;
  })();
  return bundled;
}

/** What the worker runs: `main` with the environment runCli gives it, output returned whole. */
const WORKER = `
import { parentPort, workerData } from "node:worker_threads";
const { main } = await import(workerData.bundle);
let stdout = "";
let stderr = "";
const code = await main(workerData.argv, { ...workerData.env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false });
parentPort.postMessage({ code, stdout, stderr });
`;

/**
 * `shipshape <argv>` with at most `heapMiB` of old-generation heap. Rejects with the worker's
 * error (ERR_WORKER_OUT_OF_MEMORY) when Shipshape needs more.
 */
export async function runCliWithHeap(argv: string[], heapMiB: number, overrides: Partial<CliEnvironment> = {}): Promise<CliRun> {
  const bundle = await cliBundle();
  const env = {
    cwd: PROJECT_ROOT,
    path: "",
    cpus: 2,
    today: "2026-11-23",
    tmpDir: tmpdir(),
    toolsDir: join(PROJECT_ROOT, "tools", "bin"),
    ...overrides,
  };
  const worker = new Worker(WORKER, { eval: true, workerData: { bundle, argv, env }, resourceLimits: { maxOldGenerationSizeMb: heapMiB } });
  return new Promise((done, fail) => {
    worker.once("message", (run: CliRun) => done(run));
    worker.once("error", fail);
    worker.once("exit", (code) => fail(new Error(`the CLI's worker exited with ${code} before answering`)));
  });
}
