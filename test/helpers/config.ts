import { ConfigError } from "../../src/config/errors.js";
import { parseConfig } from "../../src/config/load.js";

export const CONFIG_FILE = ".github/shipshape.yml";

export const parse = (text: string) => parseConfig(text, CONFIG_FILE, { cpus: 2 });

/** The ConfigError that parsing `text` raises; fails the test when there is none. */
export function configErrorOf(text: string): ConfigError {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}
