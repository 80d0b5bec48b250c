/**
 * GitHub's workflow commands, written the way the runner parses them (the same rules as
 * actions/toolkit's `command.ts` and `file-command.ts`): `::name key=value,…::message` lines on
 * standard output, step outputs as heredocs in the GITHUB_OUTPUT file, and the job summary
 * appended to the GITHUB_STEP_SUMMARY file. Formatting is pure; only the two `append*`
 * functions touch the file system.
 */
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";

/** GitHub refuses a step summary over 1 MiB. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationProperties {
  file?: string;
  line?: number;
  title?: string;
}

/** A command's message: `%`, CR and LF would end or corrupt the command. */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value: additionally `:` and `,`, which separate the command's parts. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One command line, newline included. Properties that are undefined are left out. */
export function formatCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::${command}${props.length > 0 ? ` ${props.join(",")}` : ""}::${escapeData(message)}\n`;
}

/** `::error file=…,line=…,title=…::message` (and warning, notice). */
export function annotation(level: AnnotationLevel, message: string, properties: AnnotationProperties = {}): string {
  return formatCommand(level, { file: properties.file, line: properties.line, title: properties.title }, message);
}

/**
 * Text for the log that the runner must print, never run. The runner reads a line as a command
 * when it starts with `::` after leading whitespace, or (the legacy form) when it holds `##[`
 * anywhere; a report or a log line quoting repository text could otherwise forge annotations,
 * set outputs or `stop-commands` Shipshape's own annotations away. A zero-width space breaks
 * both forms without changing what a reader sees.
 */
export function plainText(text: string): string {
  return text.replace(/^([^\S\n]*)::/gm, "$1:\u200b:").replace(/##\[/g, "#\u200b#[");
}

/** Tells the runner to print `***` wherever the value would appear in the log. */
export function maskCommand(secret: string): string {
  return formatCommand("add-mask", {}, secret);
}

/**
 * One output in the GITHUB_OUTPUT file: `name<<DELIM`, the value, `DELIM`. The delimiter is
 * random so a value cannot end the heredoc early and inject other outputs.
 */
export function formatOutput(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`output ${name}: the value contains the heredoc delimiter`);
  }
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export async function appendOutputs(file: string, outputs: Readonly<Record<string, string>>): Promise<void> {
  const text = Object.entries(outputs)
    .map(([name, value]) => formatOutput(name, value))
    .join("");
  await appendFile(file, text, "utf8");
}

export async function appendSummary(file: string, markdown: string): Promise<void> {
  await appendFile(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`, "utf8");
}
