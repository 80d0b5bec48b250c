/**
 * Terminal styling. A `Paint` with color off returns text untouched, so the renderer
 * never branches on color itself.
 */
export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "blue" | "cyan";

export type Paint = (style: Style, text: string) => string;

const CODES: Record<Style, [open: number, close: number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  cyan: [36, 39],
};

export function makePaint(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => {
    if (text === "") return text;
    const [open, close] = CODES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

/**
 * Makes a user-controlled string safe to print: control characters (other than tab)
 * become visible escapes, so a ConfigMap value or tool message holding ESC sequences
 * cannot move the cursor, retitle the terminal or forge colored output. Call it on one
 * line at a time; newlines are escaped too.
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
