/**
 * Where `shipshape check` puts the report. Markdown is meant to be pasted into GitHub, which
 * refuses comments over 65,536 characters: on standard output it is shortened to fit, with a
 * note naming what was left out and where to find it; with --output the whole report is
 * written, split into numbered parts that each fit (report.md, report.2.md, …).
 */
import { writeFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import type { Report } from "../core/model/report.js";
import type { SecretSet } from "../core/secrets/secret-set.js";
import { GITHUB_COMMENT_LIMIT, splitComment } from "../github/split.js";
import { renderMarkdown, renderReport } from "../present/index.js";
import type { CheckArgs } from "./args.js";
import type { CliEnvironment } from "./environment.js";

export const STDOUT_MARKDOWN_WORDS = {
  limitLabel: "GitHub's comment limit of 65,536 characters",
  seeAlso: "`--format json` has every change and finding; `--output FILE` writes the whole report as numbered parts that each fit (FILE, then FILE.2.md, …).",
  fullReport: "",
} as const;

export async function writeReport(report: Report, args: CheckArgs, env: CliEnvironment, secrets: SecretSet): Promise<void> {
  if (args.format === "markdown") return writeMarkdown(report, args, env, secrets);
  const text = renderReport(report, args.format, { color: env.isTTY && !args.output, verbose: args.verbose });
  if (args.output) await writeFile(resolve(env.cwd, args.output), secrets.scrub(text));
  else env.stdout(text);
}

async function writeMarkdown(report: Report, args: CheckArgs, env: CliEnvironment, secrets: SecretSet): Promise<void> {
  if (!args.output) {
    env.stdout(renderMarkdown(report, { maxLength: GITHUB_COMMENT_LIMIT, ...STDOUT_MARKDOWN_WORDS }));
    return;
  }
  // Scrubbed before splitting: a redaction changes the length, and the parts must still fit.
  const whole = secrets.scrub(renderMarkdown(report, { maxLength: Number.MAX_SAFE_INTEGER }));
  if (whole.length <= GITHUB_COMMENT_LIMIT) {
    await writeFile(resolve(env.cwd, args.output), whole);
    return;
  }
  const parts = splitComment(whole, {
    limit: GITHUB_COMMENT_LIMIT,
    header: (part, total) => (part === 1 ? "" : `_Shipshape report, part ${part} of ${total}_\n\n`),
    // While the splitter settles the count, `part` may exceed a guessed `total`: name by index only.
    footer: (part, total) => (part >= total ? "" : `\n\n_Continued in part ${part + 1} of ${total}: \`${basename(partName(args.output!, part))}\`_\n`),
  });
  const names = partNames(args.output, parts.length);
  await Promise.all(parts.map((text, i) => writeFile(resolve(env.cwd, names[i]!), text)));
  env.stderr(`shipshape: the Markdown report has ${whole.length} characters, over GitHub's limit of ${GITHUB_COMMENT_LIMIT}; wrote it in ${parts.length} parts: ${names.join(", ")}\n`);
}

/** report.md → report.md, report.2.md, report.3.md; a name without an extension gets ".2". */
export function partNames(output: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => partName(output, i));
}

/** The file of part `index + 1`. */
function partName(output: string, index: number): string {
  if (index === 0) return output;
  const ext = extname(output);
  const stem = ext ? output.slice(0, -ext.length) : output;
  return `${stem}.${index + 1}${ext}`;
}
