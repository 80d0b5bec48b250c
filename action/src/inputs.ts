/**
 * The Action's inputs, read through @actions/core (`INPUT_<NAME>` as the runner sets them,
 * trimmed) and validated in one place (`parseInputs`), which returns every problem at once,
 * naming the input and the allowed values, rather than throwing on the first.
 */
import * as core from "@actions/core";
import { FAIL_ON_VALUES, isFailOn, type FailOn } from "../../src/core/outcome.js";
import { parseChartCredentials, type ChartCredentials } from "../../src/render/chart-credentials.js";
import { BUNDLED_VERSIONS, normalizeKubernetesVersion, UnknownKubernetesVersionError } from "../../src/schema/index.js";

export interface ActionInputs {
  /** Absent when empty: no comment, no check run. */
  token?: string;
  /** A config file in the checkout, instead of `.github/shipshape.yml` from the base commit. */
  config?: string;
  baseRef?: string;
  headRef?: string;
  /** Normalised (`1.31.4` → `1.31`); absent: the config's, else the newest bundled. */
  kubeVersion?: string;
  /** Absent: `github.failOn` from the config (default `error`). */
  failOn?: FailOn;
  comment: boolean;
  checkRun: boolean;
  /** Where to write the SARIF report, relative to the working directory. */
  sarif?: string;
  workingDirectory: string;
  /** `chart-credentials`: JSON keyed by host[:port] (render/chart-credentials.ts); absent when empty. */
  chartCredentials?: ChartCredentials;
}

export type InputsResult = { ok: true; inputs: ActionInputs } | { ok: false; errors: string[] };

export function parseInputs(): InputsResult {
  const errors: string[] = [];
  const text = (name: string): string | undefined => core.getInput(name) || undefined;
  const flag = (name: string, fallback: boolean): boolean => {
    const value = text(name);
    if (value === undefined) return fallback;
    try {
      // true/True/TRUE or false/False/FALSE (YAML 1.2 core schema); anything else throws.
      return core.getBooleanInput(name);
    } catch {
      errors.push(`input ${name}: "${value}" is not a boolean; allowed values: true, false`);
      return fallback;
    }
  };

  const failOnText = text("fail-on");
  let failOn: FailOn | undefined;
  if (failOnText !== undefined) {
    if (isFailOn(failOnText)) failOn = failOnText;
    else errors.push(`input fail-on: "${failOnText}" is not allowed; allowed values: ${FAIL_ON_VALUES.join(", ")}`);
  }

  const kubeText = text("kube-version");
  let kubeVersion: string | undefined;
  if (kubeText !== undefined) {
    try {
      kubeVersion = normalizeKubernetesVersion(kubeText);
    } catch (err) {
      if (!(err instanceof UnknownKubernetesVersionError)) throw err;
      errors.push(`input kube-version: "${kubeText}" is not a bundled Kubernetes version; allowed values: ${BUNDLED_VERSIONS.join(", ")}`);
    }
  }

  // The message names the input and the problem, never the value (a secret).
  const charts = parseChartCredentialsInput(core.getInput("chart-credentials"));
  if (!charts.ok) errors.push(charts.error);

  const inputs: ActionInputs = {
    token: text("github-token"),
    config: text("config"),
    baseRef: text("base-ref"),
    headRef: text("head-ref"),
    kubeVersion,
    failOn,
    comment: flag("comment", true),
    checkRun: flag("check-run", true),
    sarif: text("sarif"),
    workingDirectory: text("working-directory") ?? ".",
    ...(charts.ok && charts.credentials.size > 0 ? { chartCredentials: charts.credentials } : {}),
  };
  for (const name of ["base-ref", "head-ref"] as const) {
    const value = text(name);
    // A ref starting with "-" would be read by git as an option.
    if (value?.startsWith("-")) errors.push(`input ${name}: "${value}" is not a git revision (it starts with "-")`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, inputs: dropUndefined(inputs) };
}

/** The `chart-credentials` input; empty is none. Also read in main.ts, before anything is printed, to mask its values. */
export function parseChartCredentialsInput(value: string): ReturnType<typeof parseChartCredentials> {
  return value.trim() === "" ? { ok: true, credentials: new Map() } : parseChartCredentials(value, "input chart-credentials");
}

function dropUndefined(inputs: ActionInputs): ActionInputs {
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)) as unknown as ActionInputs;
}
