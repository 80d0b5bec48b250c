/**
 * A fast path for big streams of plain manifests (rendered charts, manifest folders):
 * js-yaml is about fifteen times faster than the `yaml` library. It is used only for text
 * with nothing that needs the careful parser: no aliases or anchors (alias bombs), no tags,
 * no directives, no binary integers (the one scalar the two libraries read differently),
 * no complex keys (`? x`, or `{{` of an unrendered template, which reads as one), and no
 * `<<` anywhere (merge keys, which only the careful parser applies as Kubernetes does).
 * Anything it refuses, or any doubt, returns undefined and the caller uses the careful
 * parser, which also gives the precise error lines.
 */
import jsYaml from "js-yaml";
import { LineCounter } from "yaml";

export interface FastDoc {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** Offsets of the start of that line and of the document's end. */
  start: number;
  end: number;
}

const NEEDS_CAREFUL_PARSER = /(?:^|[\s[{,])(?:[*&][^\s[\]{},*&"']|![^\s=])|^%|(?:^|[\s:-])0b[01]|\{\{|^\s*\?\s|<</m;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:[ \t]|$)/;
const CONTENT_LINE = /^[ \t]*[^\s#]/;

export function fastStream(text: string): { docs: FastDoc[]; lineCounter: LineCounter } | undefined {
  if (NEEDS_CAREFUL_PARSER.test(text)) return undefined;
  const lineCounter = new LineCounter();
  const docs: FastDoc[] = [];
  let contentStart = -1;
  let contentLine = 0;
  let line = 0;
  const flush = (end: number): boolean => {
    if (contentStart !== -1) {
      let value: unknown;
      try {
        value = jsYaml.load(text.slice(contentStart, end), { schema: jsYaml.CORE_SCHEMA });
      } catch {
        return false;
      }
      if (value !== null && value !== undefined) docs.push({ value, line: contentLine, start: contentStart, end });
    }
    contentStart = -1;
    return true;
  };
  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf("\n", pos);
    const lineText = text.slice(pos, nl === -1 ? text.length : nl);
    line += 1;
    lineCounter.addNewLine(pos);
    if (DOCUMENT_MARKER.test(lineText)) {
      // Content after a marker ("--- {a: 1}") is legal but rare: leave it to the careful parser.
      if (lineText.slice(3).trim() !== "" && !lineText.slice(3).trimStart().startsWith("#")) return undefined;
      if (!flush(pos)) return undefined;
    } else if (contentStart === -1 && CONTENT_LINE.test(lineText)) {
      contentStart = pos;
      contentLine = line;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  if (!flush(text.length)) return undefined;
  return { docs, lineCounter };
}
