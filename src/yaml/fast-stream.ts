/**
 * A fast path for the documents of big streams of plain manifests (rendered charts, manifest
 * folders): js-yaml is about fifteen times faster than the `yaml` library. It is used only for a
 * document with nothing that needs the careful parser: no aliases or anchors (alias bombs), no
 * tags, no directives, no binary integers (the one scalar the two libraries read differently), no
 * complex keys (`? x`, or `{{` of an unrendered template, which reads as one), no `<<` anywhere
 * (merge keys, which only the careful parser applies as Kubernetes does), and not more than one
 * YAML document. Anything it refuses, or any doubt, returns undefined and the caller uses the
 * careful parser, which also gives the precise error lines.
 */
import jsYaml from "js-yaml";
import { nestsDeeperThan } from "./depth.js";

/**
 * Every part is linear in the text: the complex-key test may skip only the spaces of its own
 * line (`[^\S\n\r\u2028\u2029]` is whitespace that ends no line), never blank lines, which `\s*`
 * would rescan from every line start (100,000 blank lines took 25 s).
 */
const NEEDS_CAREFUL_PARSER = /(?:^|[\s[{,])(?:[*&][^\s[\]{},*&"']|![^\s=])|^%|(?:^|[\s:-])0b[01]|\{\{|^[^\S\n\r\u2028\u2029]*\?\s|<</m;

/**
 * The value of one document (one piece of kubectl's split, see kubectl-split.ts): `null` for an
 * empty one, undefined when the careful parser must read it.
 */
export function fastDocument(text: string): { value: unknown } | undefined {
  if (NEEDS_CAREFUL_PARSER.test(text)) return undefined;
  try {
    // `load` refuses a stream of more than one document: the careful parser reports it.
    const value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) ?? null;
    // Too deep: the careful parser reports it, with the line.
    return nestsDeeperThan(value) ? undefined : { value };
  } catch {
    return undefined;
  }
}
