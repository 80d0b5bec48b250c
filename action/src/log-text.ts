/**
 * Text for the log that the runner must print, never run. The runner reads a line as a command
 * when it starts with `::` after leading whitespace, or (the legacy form) when it holds `##[`
 * anywhere; a report or a log line quoting repository text could otherwise forge annotations,
 * set outputs or `stop-commands` Shipshape's own annotations away. @actions/core escapes a
 * command's data and properties, but `core.info` prints its text as it is. A zero-width space
 * breaks both forms without changing what a reader sees.
 */
export function plainText(text: string): string {
  return text.replace(/^([^\S\n]*)::/gm, "$1:\u200b:").replace(/##\[/g, "#\u200b#[");
}
