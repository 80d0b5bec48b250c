// The naive way to review a change: run the renderer once per affected target and side, one
// after the other. Shipshape should beat it by rendering concurrently and skipping what did
// not change.
import { access } from "node:fs/promises";
import { constants } from "node:fs";
import { delimiter, join } from "node:path";
import { run } from "./measure.mjs";

/** tools/bin/kubectl (provisioned by `npm ci`), else the first kubectl on PATH, else null. */
export async function findKubectl(projectRoot, searchPath) {
  const candidates = [join(projectRoot, "tools", "bin", "kubectl"), ...searchPath.split(delimiter).filter(Boolean).map((d) => join(d, "kubectl"))];
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** Renders every overlay on both sides with `kubectl kustomize`, sequentially. */
export async function runSequentialBaseline({ kubectl, baseDir, headDir, overlays, env }) {
  const started = process.hrtime.bigint();
  let renders = 0;
  for (const overlay of overlays) {
    for (const root of [baseDir, headDir]) {
      const dir = join(root, overlay);
      const result = await run(kubectl, ["kustomize", dir], { env });
      if (result.exitCode !== 0) {
        const why = result.spawnError ? result.spawnError.message : result.stderr.trim();
        throw new Error(`baseline: kubectl kustomize ${dir} failed (exit ${result.exitCode}): ${why}`);
      }
      renders++;
    }
  }
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, renders };
}
