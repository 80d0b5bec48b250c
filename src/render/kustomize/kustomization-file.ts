/**
 * Locating and parsing the kustomization file of a directory. Kustomize accepts three
 * names and takes the first that exists in this order.
 */
import type { LineCounter } from "yaml";
import { TreeReadError, type Tree } from "../../core/ports.js";
import { fastDocument } from "../../yaml/fast-stream.js";
import { isPlainObject, parseYamlStream, type YamlDoc, type YamlParseResult } from "../../yaml/parse.js";
import { canonicalKustomization } from "./field-names.js";
import { goStrings } from "./go-values.js";

export const KUSTOMIZATION_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

export function isKustomizationFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(base);
}

function joinDir(dir: string, name: string): string {
  return dir === "." ? name : `${dir}/${name}`;
}

/** The kustomization file kustomize would read in `dir`, if any. */
export function findKustomizationFile(tree: Tree, dir: string): string | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const path = joinDir(dir, name);
    if (tree.hasFile(path)) return path;
  }
  return undefined;
}

export interface ParsedKustomization {
  readonly file: string;
  readonly value: Record<string, unknown>;
  /** Absent for an empty file. Positions only: may parse the text again the first time it is asked for. */
  readonly doc: YamlDoc | undefined;
  readonly lineCounter: LineCounter;
}

export type KustomizationParse =
  | { ok: true; kustomization: ParsedKustomization }
  | { ok: false; file: string; message: string; line?: number; ruleId?: string };

/**
 * One parse per file and tree: discovery, the input walk, plugin configs and the secrets known
 * before rendering all read the same kustomizations. Callers treat the result as read-only.
 */
const parses = new WeakMap<Tree, Map<string, Promise<KustomizationParse>>>();

export function readKustomization(tree: Tree, file: string): Promise<KustomizationParse> {
  let byFile = parses.get(tree);
  if (!byFile) parses.set(tree, (byFile = new Map()));
  let parse = byFile.get(file);
  if (!parse) byFile.set(file, (parse = parseKustomization(tree, file)));
  return parse;
}

async function parseKustomization(tree: Tree, file: string): Promise<KustomizationParse> {
  let text: string;
  try {
    text = await tree.read(file);
  } catch (err) {
    if (err instanceof TreeReadError) {
      const problem = err.toProblem();
      return { ok: false, file, message: err.message, ruleId: problem.ruleId, ...(err.line !== undefined ? { line: err.line } : {}) };
    }
    throw err;
  }
  return parseText(file, text);
}

/**
 * Parses by file and text, shared by every tree: the base and the head of a review hold the
 * same kustomizations but for the few the change touches (half the parsing on a big repository).
 * Bounded, since the App reviews many repositories in one process.
 */
const byContent = new Map<string, KustomizationParse>();
const MAX_SHARED_PARSES = 4096;

function parseText(file: string, text: string): KustomizationParse {
  const key = `${file}\u0000${text}`;
  const known = byContent.get(key);
  if (known) return known;
  const parse = parseFresh(file, text);
  if (byContent.size >= MAX_SHARED_PARSES) byContent.clear();
  byContent.set(key, parse);
  return parse;
}

/**
 * Most kustomizations are plain YAML that js-yaml reads about fifteen times faster than the
 * careful parser (see fast-stream.ts for what it refuses). Positions are needed only to place a
 * problem on a line, so the careful parse that gives them waits until someone asks. Anything
 * the fast path refuses, and every error, takes the careful path, which words the messages.
 */
function parseFresh(file: string, text: string): KustomizationParse {
  const fast = fastDocument(text);
  if (fast && (fast.value === null || isPlainObject(fast.value))) {
    const canonical = canonicalKustomization(goStrings(fast.value ?? {}) as Record<string, unknown>);
    if (canonical.clashes.length === 0) return { ok: true, kustomization: withLazyPositions(file, canonical.value, text) };
  }
  return parseCarefully(file, text);
}

function withLazyPositions(file: string, value: Record<string, unknown>, text: string): ParsedKustomization {
  let careful: YamlParseResult | undefined;
  const positions = () => (careful ??= parseYamlStream(text));
  return {
    file,
    value,
    get doc() {
      return positions().docs[0];
    },
    get lineCounter() {
      return positions().lineCounter;
    },
  };
}

function parseCarefully(file: string, text: string): KustomizationParse {
  const parsed = parseYamlStream(text);
  const firstError = parsed.errors[0];
  if (firstError) return { ok: false, file, message: firstError.message, line: firstError.line };
  const doc = parsed.docs[0];
  if (!doc) return { ok: true, kustomization: { file, value: {}, doc: undefined, lineCounter: parsed.lineCounter } };
  if (!isPlainObject(doc.value)) return { ok: false, file, message: "expected a mapping at the top level", line: doc.line };
  // kustomize matches field names case-insensitively and decodes `!!binary` as a string: read
  // them as it does.
  const canonical = canonicalKustomization(goStrings(doc.value) as Record<string, unknown>);
  const clash = canonical.clashes[0];
  if (clash) {
    const where = clash.where ? ` in ${clash.where}` : "";
    return {
      ok: false,
      file,
      ruleId: "render/kustomization-key-clash",
      message: `${file}: the keys ${clash.keys.map((k) => `"${k}"`).join(" and ")}${where} are one field to kustomize, which ignores case in field names; keep one`,
      ...(doc.line !== undefined ? { line: doc.line } : {}),
    };
  }
  return { ok: true, kustomization: { file, value: canonical.value, doc, lineCounter: parsed.lineCounter } };
}
