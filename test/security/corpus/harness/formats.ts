/**
 * Every output format of one `shipshape check` run. The review does not depend on the format:
 * `--format` and `--verbose` reach only the logger (more lines on stderr) and `writeReport`,
 * which renders the finished report and prints it through the run's scrubbing stdout. So a
 * case reviews its input once, with `--verbose`, and `writeReport` — the CLI's own, replaced by
 * this wrapper with `vi.mock` in cli-corpus.test.ts — prints the report in each format in turn;
 * what each printed is kept apart, exactly as a run in that format alone would print it.
 * Four reviews of the same input were the corpus's largest cost.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CheckArgs } from "../../../../src/cli/args.js";
import type { writeReport } from "../../../../src/cli/write-report.js";

type WriteReport = typeof writeReport;

export interface FormatRun {
  name: string;
  format: CheckArgs["format"];
  verbose: boolean;
}

interface FanOut {
  formats: readonly FormatRun[];
  /** Which format's output the run's stdout callback is receiving now. */
  current?: string;
}

const fanOut = new AsyncLocalStorage<FanOut>();

/** The wrapper vi.mock puts in place of writeReport: outside a fan-out it is writeReport. */
export function fanOutWriteReport(real: WriteReport): WriteReport {
  const wrapper: WriteReport = async (report, args, env, secrets) => {
    const ctx = fanOut.getStore();
    if (!ctx) return real(report, args, env, secrets);
    for (const f of ctx.formats) {
      ctx.current = f.name;
      await real(report, { ...args, format: f.format, verbose: f.verbose }, env, secrets);
    }
    ctx.current = undefined;
  };
  return Object.assign(wrapper, { fanOut: true as const });
}

/**
 * Runs `run` (the CLI) with its stdout split by format: `stdout` is the callback given to the
 * CLI, and routes each write to the format being printed.
 */
export async function withFormats<T>(formats: readonly FormatRun[], run: (stdout: (text: string) => void) => Promise<T>): Promise<{ result: T; stdout: Map<string, string> }> {
  const ctx: FanOut = { formats };
  const stdout = new Map(formats.map((f) => [f.name, ""]));
  const write = (text: string) => {
    // Nothing else prints on stdout; should something, it is scanned with every format.
    if (ctx.current === undefined) for (const f of formats) stdout.set(f.name, stdout.get(f.name)! + text);
    else stdout.set(ctx.current, stdout.get(ctx.current)! + text);
  };
  const result = await fanOut.run(ctx, () => run(write));
  return { result, stdout };
}

/** True once vi.mock has put the wrapper in place (a case run elsewhere falls back to one run per format). */
export function fanOutActive(real: WriteReport): boolean {
  return (real as { fanOut?: true }).fanOut === true;
}
