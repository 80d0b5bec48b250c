/**
 * A small CommonMark fence scanner for tests: which lines sit inside fenced code blocks.
 * Enough to check that user text cannot end a fence early or appear outside one.
 */
export interface Fence {
  open: number;
  close: number;
  info: string;
  body: string;
}

export function scanFences(markdown: string): { fences: Fence[]; outside: string } {
  const lines = markdown.split("\n");
  const fences: Fence[] = [];
  const outside: string[] = [];
  let open: { line: number; marker: string; info: string } | undefined;
  lines.forEach((line, i) => {
    if (!open) {
      const m = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
      if (m?.[1]) open = { line: i, marker: m[1], info: (m[2] ?? "").trim() };
      else outside.push(line);
      return;
    }
    const close = /^ {0,3}(`{3,})\s*$/.exec(line);
    if (close?.[1] && close[1].length >= open.marker.length) {
      fences.push({ open: open.line, close: i, info: open.info, body: lines.slice(open.line + 1, i).join("\n") });
      open = undefined;
    }
  });
  if (open) throw new Error(`unclosed fence opened on line ${open.line + 1}`);
  return { fences, outside: outside.join("\n") };
}
