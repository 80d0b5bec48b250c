/**
 * The operator's own secrets, taken from the environment an entry point was started with:
 * every variable whose name says it holds a credential (GITHUB_TOKEN, PRIVATE_KEY,
 * WEBHOOK_SECRET, INPUT_GITHUB-TOKEN, ACTIONS_RUNTIME_TOKEN, …) and the password of any URL
 * in any variable. Shipshape never gives its environment to the tools it runs, but a value
 * could still reach an output some other way (a file of the pull request that holds it, an
 * error that quotes it): the run's secret set, seeded with these, scrubs them everywhere.
 * Pure: entry points pass `process.env` in.
 */
import { isCredentialName } from "./credential-name.js";
import { credentialSpans } from "./credential-values.js";

export function operatorSecretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (isCredentialName(name)) out.push(...keyForms(value));
    for (const span of credentialSpans(value)) out.push(value.slice(span.start, span.end));
  }
  return out;
}

/**
 * Probot takes PRIVATE_KEY with real newlines, with `\n` escapes, or base64-encoded: the key
 * is added in each form it may take, so its PEM lines are scrubbed one by one too.
 */
function keyForms(value: string): string[] {
  const forms = [value];
  if (value.includes("\\n")) forms.push(value.replace(/\\n/g, "\n"));
  if (/^[A-Za-z0-9+/=\s]+$/.test(value) && value.length >= 64) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    if (decoded.includes("-----BEGIN")) forms.push(decoded);
  }
  return forms;
}
