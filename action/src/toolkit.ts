/**
 * The Action's one way to the runner, over @actions/core: log lines, groups, annotations, step
 * outputs, the job summary and masks. Everything but a mask goes through the run's secret set
 * first. It fails closed: text that cannot be scrubbed is replaced by a fixed error, and
 * `withheld` tells the entry point to fail the step, so nothing unscrubbed reaches the log,
 * the summary or the outputs.
 */
import * as core from "@actions/core";
import { ScrubError, type SecretSet } from "../../src/core/secrets/secret-set.js";
import { plainText } from "./log-text.js";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  /** `title`, `file`, `startLine`: the runner shows the annotation at that file and line. */
  properties?: core.AnnotationProperties;
}

export interface Toolkit {
  /**
   * Masks each value of the run's secret set not masked yet: the runner prints `***` for it in
   * every later line of the job, other steps' included. Called before anything is printed and
   * again once the analysis has added what it found in the pull request.
   */
  mask(): void;
  /** A plain log line (or several): scrubbed, and never read as a workflow command. */
  log(text: string): void;
  /** Shown only with step debug logging on. */
  debug(text: string): void;
  annotate(annotation: Annotation): void;
  startGroup(name: string): void;
  endGroup(): void;
  /** Written to the GITHUB_OUTPUT file; nothing outside a runner (no deprecated `set-output`). */
  setOutputs(outputs: Readonly<Record<string, string>>): void;
  /** Appended to the GITHUB_STEP_SUMMARY file; nothing outside a runner. */
  summary(markdown: string): Promise<void>;
  /** True once some text could not be scrubbed: the step must fail. */
  readonly withheld: boolean;
}

const ANNOTATE: Record<AnnotationLevel, (message: string, properties?: core.AnnotationProperties) => void> = {
  error: core.error,
  warning: core.warning,
  notice: core.notice,
};

export function createToolkit(secrets: SecretSet): Toolkit {
  const masked = new Set<string>();
  let withheld = false;
  const withhold = (): undefined => {
    withheld = true;
    core.error(new ScrubError().message, { title: "Shipshape: output withheld" });
    return undefined;
  };
  /** The scrubbed text, or undefined (and the fixed error printed) when scrubbing failed. */
  const scrubbed = (text: string): string | undefined => {
    try {
      return secrets.scrub(text);
    } catch {
      return withhold();
    }
  };
  /** Every string of a flat record scrubbed, or undefined when one could not be. */
  const scrubbedRecord = <T extends object>(record: T): T | undefined => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (typeof value !== "string") {
        out[key] = value;
        continue;
      }
      const clean = scrubbed(value);
      if (clean === undefined) return undefined;
      out[key] = clean;
    }
    return out as T;
  };
  return {
    mask() {
      for (const value of secrets.all()) {
        if (masked.has(value)) continue;
        masked.add(value);
        core.setSecret(value);
      }
    },
    log(text) {
      const clean = scrubbed(text);
      // core.info ends the line itself.
      if (clean !== undefined) core.info(plainText(clean.replace(/\n$/, "")));
    },
    debug(text) {
      const clean = scrubbed(text);
      if (clean !== undefined) core.debug(clean);
    },
    annotate({ level, message, properties }) {
      const clean = scrubbedRecord({ message, ...properties });
      if (clean === undefined) return;
      const { message: text, ...props } = clean;
      ANNOTATE[level](text, props);
    },
    startGroup(name) {
      const clean = scrubbed(name);
      if (clean !== undefined) core.startGroup(clean);
    },
    endGroup() {
      core.endGroup();
    },
    setOutputs(outputs) {
      if (!process.env.GITHUB_OUTPUT) return;
      const clean = scrubbedRecord(outputs);
      if (clean !== undefined) for (const [name, value] of Object.entries(clean)) core.setOutput(name, value);
    },
    async summary(markdown) {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      const text = scrubbed(markdown) ?? `## Shipshape\n\n${new ScrubError().message}\n`;
      // The summary object is shared: start from an empty buffer whatever an earlier write left.
      await core.summary.emptyBuffer().addRaw(text.endsWith("\n") ? text : `${text}\n`).write();
    },
    get withheld() {
      return withheld;
    },
  };
}
