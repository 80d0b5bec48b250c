/**
 * The App's config: `.github/shipshape.yml` from the repository's DEFAULT branch through
 * Probot's loader (so org-wide `_extends` works), never from the pull request's head.
 */
import type { Context } from "probot";
import { ConfigError } from "../config/errors.js";
import { parseConfigObject } from "../config/load.js";
import type { ShipshapeConfig } from "../config/types.js";

export const CONFIG_FILE = "shipshape.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

/** A repository's own lists replace, not extend, the ones it `_extends` from. */
const MERGE = { arrayMerge: (_base: unknown[], own: unknown[]) => own };

export async function readAppConfig(context: Pick<Context, "config">, cpus: number): Promise<ShipshapeConfig> {
  let raw: unknown;
  try {
    raw = await context.config(CONFIG_FILE, undefined, MERGE);
  } catch (err) {
    // The loader's own errors (bad YAML, an `_extends` loop) name the file's URL.
    throw new ConfigError(CONFIG_PATH, `cannot be read from the default branch: ${(err as Error).message.replace(/^\[@probot\/octokit-plugin-config\] /, "")}`);
  }
  return parseConfigObject(raw, `${CONFIG_PATH} (default branch)`, { cpus });
}
