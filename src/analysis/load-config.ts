/**
 * Which config applies: `--config FILE` when given, else `.github/shipshape.yml` from the
 * BASE side. The head's config is never used: a pull request must not be able to change
 * how it is reviewed.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { defaultConfig, parseConfig } from "../config/load.js";
import { ConfigError } from "../config/errors.js";
import type { ShipshapeConfig } from "../config/types.js";
import type { Tree } from "../core/ports.js";

export const CONFIG_CANDIDATES = [".github/shipshape.yml", ".github/shipshape.yaml"];

export async function loadConfig(explicit: string | undefined, base: Tree, cwd: string, cpus: number): Promise<ShipshapeConfig> {
  if (explicit) {
    const text = await readFile(resolve(cwd, explicit), "utf8").catch((err: NodeJS.ErrnoException) => {
      throw new ConfigError(explicit, `cannot read the config file (${err.code ?? err.message})`);
    });
    return parseConfig(text, explicit, { cpus });
  }
  for (const candidate of CONFIG_CANDIDATES) {
    if (base.hasFile(candidate)) return parseConfig(await base.read(candidate), candidate, { cpus });
  }
  return defaultConfig({ cpus });
}
