// Bench measurements that need src/ (TypeScript) run in a child process bundled with esbuild,
// the same way dist/cli.js is built; the bundle lives inside the package so code that finds
// its files by walking up to the package root works.
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

export async function bundleChild(projectRoot, name, contents) {
  const { build } = await import("esbuild");
  const outDir = join(projectRoot, "node_modules", ".cache", "shipshape-bench");
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, `${name}-child.mjs`);
  await build({
    stdin: { contents, resolveDir: projectRoot, sourcefile: `${name}-child-entry.mjs`, loader: "js" },
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    external: ["esbuild"],
    banner: { js: 'import { createRequire as __benchRequire } from "node:module"; const require = __benchRequire(import.meta.url);' },
    logLevel: "warning",
  });
  return outfile;
}

/** Runs the bundled child; resolves with its wall time and the JSON it printed. */
export function runChild(file, args, label) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`${label} bench child exited with ${code}`));
      resolvePromise({ wallMs, result: JSON.parse(out) });
    });
  });
}
