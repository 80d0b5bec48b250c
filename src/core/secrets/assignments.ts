/**
 * `KEY: value` and `KEY=value` lines read from raw text (Compose files, `.env` and env files,
 * Helm values files), for values known before rendering. Raw text rather than a parse, so a
 * file that does not parse (a broken `${`, an unterminated quote) still gives its values up.
 */
import { isReference } from "./credential-values.js";

/** `KEY: value`, `KEY=value`, `- KEY=value`, `export KEY=value`, with optional quotes around KEY. */
const ASSIGNMENT = /^[ \t]*(?:-[ \t]+)?(?:export[ \t]+)?["']?([A-Za-z_][\w.-]*)["']?[ \t]*[:=][ \t]*(.*)$/;

export interface Assignment {
  key: string;
  /** As written after the separator, trimmed. */
  value: string;
}

export function assignments(text: string): Assignment[] {
  const out: Assignment[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (m && m[2]!.trim() !== "") out.push({ key: m[1]!, value: m[2]!.trim() });
  }
  return out;
}

/**
 * A raw value as written, without its quotes (even an unterminated one), and its literal
 * parts around `${…}`; nothing for a bare reference to another variable.
 */
export function valueForms(raw: string): string[] {
  const unquoted = raw.replace(/^(["'])(.*?)(\1)?$/s, "$2");
  if (isReference(unquoted)) return [];
  const literalParts = unquoted.split(/\$\{[^}]*\}?|\$[A-Za-z_]\w*/).filter((p) => p !== unquoted);
  return [raw, unquoted, ...literalParts];
}
