/**
 * The operator's chart credentials, as an entry point reads them once at start-up:
 * SHIPSHAPE_CHART_CREDENTIALS (the JSON itself) or SHIPSHAPE_CHART_CREDENTIALS_FILE (a file
 * holding it; relative to the entry point's working directory), not both. The Action also takes
 * its `chart-credentials` input the same way. Never read from the repository or its config.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseChartCredentials, type ChartCredentialsSetting } from "./chart-credentials.js";

export const CHART_CREDENTIALS_VARIABLE = "SHIPSHAPE_CHART_CREDENTIALS";
export const CHART_CREDENTIALS_FILE_VARIABLE = "SHIPSHAPE_CHART_CREDENTIALS_FILE";

const NONE: ChartCredentialsSetting = { ok: true, credentials: new Map() };

/** `extra`: another place the JSON may come from (the Action's input), named for errors. */
export function readChartCredentials(env: Readonly<Record<string, string | undefined>>, cwd: string, extra?: { name: string; value: string | undefined }): ChartCredentialsSetting {
  const given = [
    ...(extra?.value ? [{ name: extra.name, text: () => extra.value! }] : []),
    ...(env[CHART_CREDENTIALS_VARIABLE] ? [{ name: CHART_CREDENTIALS_VARIABLE, text: () => env[CHART_CREDENTIALS_VARIABLE]! }] : []),
    ...(env[CHART_CREDENTIALS_FILE_VARIABLE] ? [{ name: CHART_CREDENTIALS_FILE_VARIABLE, text: () => readFileSync(resolve(cwd, env[CHART_CREDENTIALS_FILE_VARIABLE]!), "utf8") }] : []),
  ];
  if (given.length === 0) return NONE;
  if (given.length > 1) return { ok: false, error: `${given.map((g) => g.name).join(" and ")} are both set; chart credentials come from one of them` };
  const only = given[0]!;
  let text: string;
  try {
    text = only.text();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: `${only.name}: the file ${JSON.stringify(env[CHART_CREDENTIALS_FILE_VARIABLE])} cannot be read${code ? ` (${code})` : ""}` };
  }
  return parseChartCredentials(text, only.name);
}
