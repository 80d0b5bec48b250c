/**
 * Where a field of a normalised Compose entry was written. A canonical entry is built from
 * several files (merged in order, `extends` resolved, short syntax expanded), so a field is
 * looked up in the documents as they were read, in every file that defines the entry: the
 * file that spells out most of the path wins and, on a tie, the later one (whose value
 * survived the merge). Best effort by design: a port expanded from a range, or an
 * environment variable that came from an env_file, maps to the nearest line that exists.
 */
import type { Resource, SourceLocation } from "../../core/model/resource.js";
import { dirOf, resolveRepoPath } from "./paths.js";
import type { Section } from "./shape-top-level.js";
import { isRecord, isTagged } from "./tagged.js";
import type { KeyLines } from "./yaml-layer.js";

export type FieldPath = readonly (string | number)[];

export interface ComposeSourceMap {
  /** The Compose files merged, in order, one layer per YAML document as read. */
  layers: readonly { file: string; doc: Record<string, unknown> }[];
  /** Documents as read of every file loaded, including those named by `extends.file`. */
  files: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  lines: KeyLines;
}

interface Candidate {
  file: string;
  entry: unknown;
  /** Line of the entry's own key (`web:` under `services:`). */
  line: number | undefined;
}

/** An extends chain longer than this is a cycle the normaliser already reported. */
const MAX_EXTENDS_DEPTH = 16;

/**
 * The file and line that defined `path` inside entry `name` of `section`, or undefined when
 * no file spells out even its first key (an implied default, such as the default network).
 * With `onlyFile`, only that file's definitions are considered.
 */
export function locateField(
  map: ComposeSourceMap,
  section: Section,
  name: string,
  path: FieldPath,
  onlyFile?: string,
): SourceLocation | undefined {
  if (path.length === 0) return undefined;
  let best: { file: string; line: number; depth: number } | undefined;
  for (const c of candidates(map, section, name)) {
    if (onlyFile !== undefined && c.file !== onlyFile) continue;
    const { depth, line } = walk(map.lines, c.entry, path);
    if (depth === 0 || line === undefined) continue;
    if (!best || depth >= best.depth) best = { file: c.file, line, depth };
  }
  return best ? { file: best.file, line: best.line } : undefined;
}

/** Definitions of one entry in merge order: an `extends` base comes before the service using it. */
function candidates(map: ComposeSourceMap, section: Section, name: string): Candidate[] {
  const out: Candidate[] = [];
  for (const layer of map.layers) {
    const found = entryIn(map.lines, layer.doc, section, name);
    if (!found) continue;
    if (section === "services") out.push(...extendsChain(map, layer.file, found.entry, new Set([`${layer.file}#${name}`])));
    out.push({ file: layer.file, ...found });
  }
  return out;
}

function entryIn(lines: KeyLines, doc: Record<string, unknown>, section: string, name: string): Omit<Candidate, "file"> | undefined {
  const entries = untag(doc[section]);
  if (!isRecord(entries) || !Object.hasOwn(entries, name)) return undefined;
  return { entry: untag(entries[name]), line: lines.get(entries)?.get(name) };
}

function extendsChain(map: ComposeSourceMap, file: string, entry: unknown, seen: Set<string>): Candidate[] {
  if (!isRecord(entry) || seen.size > MAX_EXTENDS_DEPTH) return [];
  const ext = untag(entry.extends);
  const service = typeof ext === "string" ? ext : isRecord(ext) && typeof ext.service === "string" ? ext.service : undefined;
  if (service === undefined) return [];
  // extends.file is relative to the file holding the extends, as in load-file.ts.
  const other = isRecord(ext) && typeof ext.file === "string" ? resolveRepoPath(dirOf(file), ext.file) : file;
  const key = `${other}#${service}`;
  if (seen.has(key)) return [];
  seen.add(key);
  let found: Omit<Candidate, "file"> | undefined;
  for (const doc of map.files.get(other) ?? []) found = entryIn(map.lines, doc, "services", service) ?? found;
  if (!found) return [];
  return [...extendsChain(map, other, found.entry, seen), { file: other, ...found }];
}

/** How many segments of `path` exist in `entry`, and the line of the deepest one. */
function walk(lines: KeyLines, entry: unknown, path: FieldPath): { depth: number; line: number | undefined } {
  let node = entry;
  let line: number | undefined;
  let depth = 0;
  for (const segment of path) {
    const step = stepInto(lines, untag(node), segment);
    if (!step) break;
    depth++;
    line = step.line ?? line;
    node = step.value;
  }
  return { depth, line };
}

function stepInto(lines: KeyLines, node: unknown, segment: string | number): { value: unknown; line: number | undefined } | undefined {
  if (isRecord(node)) {
    const key = String(segment);
    return Object.hasOwn(node, key) ? { value: node[key], line: lines.get(node)?.get(key) } : undefined;
  }
  if (!Array.isArray(node)) return undefined;
  if (typeof segment === "number") {
    return segment < node.length ? { value: node[segment], line: lines.get(node)?.get(String(segment)) } : undefined;
  }
  // The canonical form has a mapping where the file wrote a list: `- KEY=value`, `- name`, `- host:ip`.
  const i = node.findIndex((item) => typeof item === "string" && (item === segment || item.startsWith(`${segment}=`) || item.startsWith(`${segment}:`)));
  return i < 0 ? undefined : { value: node[i], line: lines.get(node)?.get(String(i)) };
}

function untag(v: unknown): unknown {
  return isTagged(v) ? v.value : v;
}

type FieldLocator = (path: FieldPath) => SourceLocation | undefined;

/** Keyed by the resource body, which every copy of a rendered resource shares. */
const locators = new WeakMap<object, FieldLocator>();

/**
 * Where a field of a rendered Compose resource was written, in whichever Compose file set it
 * (`Resource.locate` only answers for `source.file`). Undefined when unknown.
 */
export function composeFieldSource(resource: Resource, path: FieldPath): SourceLocation | undefined {
  return locators.get(resource.body)?.(path);
}

/** Gives a Compose resource its `locate` and registers it for composeFieldSource. */
export function withComposeLocator(resource: Resource, map: ComposeSourceMap, section: Section): Resource {
  const name = resource.name;
  locators.set(resource.body, (path) => locateField(map, section, name, path));
  const source = resource.source;
  if (!source) return resource;
  return {
    ...resource,
    locate: (path) => (path.length === 0 ? source.line : locateField(map, section, name, path, source.file)?.line),
  };
}
