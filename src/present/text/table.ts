/** Plain-text columns: widths from the unstyled cells, styling applied after padding. */
import type { Paint, Style } from "./ansi.js";

export interface Cell {
  text: string;
  style?: Style;
}

/**
 * Lays out rows under a header. Columns are separated by two spaces; the last column
 * is not padded so lines carry no trailing whitespace.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[], paint: Paint): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.text.length ?? 0)));
  const line = (cells: readonly Cell[]): string =>
    cells
      .map((cell, i) => {
        const last = i === cells.length - 1;
        const pad = last ? "" : " ".repeat((widths[i] ?? 0) - cell.text.length);
        return (cell.style ? paint(cell.style, cell.text) : cell.text) + pad;
      })
      .join("  ");
  return [line(header.map((h) => ({ text: h, style: "bold" as const }))), ...rows.map(line)];
}
