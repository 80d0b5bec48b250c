/**
 * Reads the committed schema bundles, lazily and once per process: a run that validates
 * against 1.31 never reads the other versions. Parsed bundles are shared by every validator
 * and never mutated (loading for strict or loose mode copies what it changes).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { kubernetesSchemaDir } from "./schema-dir.js";
import type { ApiHistory, KubernetesBundle } from "./types.js";

const bundles = new Map<string, Promise<KubernetesBundle>>();
const histories = new Map<string, Promise<ApiHistory>>();

export function loadBundle(version: string, dir: string = kubernetesSchemaDir()): Promise<KubernetesBundle> {
  const file = join(dir, `${version}.json.gz`);
  let pending = bundles.get(file);
  if (!pending) {
    pending = readFile(file).then((gz) => JSON.parse(gunzipSync(gz).toString("utf8")) as KubernetesBundle);
    // A failed read is not cached: the next call reports the problem again rather than a stale rejection.
    pending.catch(() => bundles.delete(file));
    bundles.set(file, pending);
  }
  return pending;
}

export function loadApiHistory(dir: string = kubernetesSchemaDir()): Promise<ApiHistory> {
  const file = join(dir, "index.json");
  let pending = histories.get(file);
  if (!pending) {
    pending = readFile(file, "utf8").then((text) => JSON.parse(text) as ApiHistory);
    pending.catch(() => histories.delete(file));
    histories.set(file, pending);
  }
  return pending;
}
