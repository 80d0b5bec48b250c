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
import { TreeReadError, type Tree } from "../core/ports.js";

export const CONFIG_CANDIDATES = [".github/shipshape.yml", ".github/shipshape.yaml"];

export async function loadConfig(explicit: string | undefined, base: Tree, cwd: string, cpus: number): Promise<ShipshapeConfig> {
  if (explicit) {
    const text = await readFile(resolve(cwd, explicit), "utf8").catch((err: NodeJS.ErrnoException) => {
      throw new ConfigError(explicit, `cannot read the config file (${err.code ?? err.message})`);
    });
    return parseConfig(text, explicit, { cpus });
  }
  for (const candidate of CONFIG_CANDIDATES) {
    if (base.hasFile(candidate)) return parseConfig(await readConfig(base, candidate), candidate, { cpus });
  }
  return defaultConfig({ cpus });
}

/** A config that cannot be read (too large, not UTF-8) is a config error, like one that does not parse. */
async function readConfig(base: Tree, file: string): Promise<string> {
  try {
    return await base.read(file);
  } catch (err) {
    if (!(err instanceof TreeReadError)) throw err;
    // The message starts with the file (and line), which ConfigError adds itself.
    const detail = err.message.startsWith(file) ? err.message.slice(file.length).replace(/^(:\d+)?:\s*/, "") : err.message;
    throw new ConfigError(file, detail, undefined, err.line);
  }
}
