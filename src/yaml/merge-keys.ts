/**
 * YAML merge keys (`<<`) applied the way Kubernetes tools read them. kubectl, helm and kustomize
 * (for kustomization files) parse with go-yaml v2, which applies `<<` wherever it appears in a
 * mapping: the pairs are read in order, a merge writes every key of its map (of a list of maps,
 * the earlier map wins), and a later key overwrites an earlier one. The YAML 1.1 merge rule
 * (kustomize for resources, the `yaml` library) instead lets a key written in the mapping win
 * even when it comes before the `<<`. The two agree except for such a key; that case is
 * returned as a conflict, because which value the cluster gets depends on the tool.
 *
 * The `yaml` library is kept from merging on its own (its rule is the other one): merge keys
 * are turned into plain `<<` keys before conversion and applied here, on the converted values,
 * so its alias-expansion limit still counts every alias a merge uses.
 */
import { isAlias, isMap, isScalar, isSeq, Scalar, visit, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";

const MERGE_TAG = "tag:yaml.org,2002:merge";

export interface MergeConflict {
  message: string;
  line?: number;
}

/** A `<<` key that merges: plain (not quoted) or tagged `!!merge`. */
export function isMergePair(pair: Pair): boolean {
  const key = pair.key;
  if (!isScalar(key)) return false;
  const value = key.value;
  const isMergeValue = value === "<<" || (typeof value === "symbol" && value.description === "<<");
  if (!isMergeValue) return false;
  return key.tag === MERGE_TAG || ((key.type === undefined || key.type === Scalar.PLAIN) && key.tag === undefined);
}

/** What a merge key is renamed to before conversion: no YAML key can be this string. */
const MERGE_SENTINEL = "\u0000<<";

/**
 * Marks the merge keys of a parsed document and renames them, so that `toJS` keeps them as
 * ordinary keys (the library would otherwise merge `!!merge` keys, and every `<<` of a
 * `%YAML 1.1` document, by the other rule). Returns the merge pairs, or undefined when the
 * document has none.
 */
export function takeMergeKeys(doc: Document.Parsed): WeakSet<Pair> | undefined {
  let merges: WeakSet<Pair> | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (!isMergePair(pair)) return;
      merges ??= new WeakSet();
      merges.add(pair);
      const key = pair.key as Scalar & { addToJSMap?: unknown };
      key.value = MERGE_SENTINEL;
      key.tag = undefined;
      delete key.addToJSMap;
    },
  });
  return merges;
}

/**
 * Applies the merge keys of `doc` to `value` (what `toJS` made of it), in place. Throws on a
 * merge that go-yaml refuses too (a value that is not a mapping or a list of mappings, a
 * mapping that merges itself, two `<<` in one mapping).
 */
export function applyMergeKeys(doc: Document.Parsed, value: unknown, merges: WeakSet<Pair>, lineCounter: LineCounter): MergeConflict[] {
  const walk = new MergeWalk(doc, merges, lineCounter);
  walk.node(doc.contents, value);
  return walk.conflicts;
}

class MergeWalk {
  readonly conflicts: MergeConflict[] = [];
  private readonly done = new WeakSet<object>();
  private readonly active = new WeakSet<object>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly merges: WeakSet<Pair>,
    private readonly lineCounter: LineCounter,
  ) {}

  node(node: unknown, value: unknown): void {
    if (isAlias(node)) {
      this.node(node.resolve(this.doc), value);
    } else if (isSeq(node) && Array.isArray(value)) {
      node.items.forEach((item, i) => this.node(item, value[i]));
    } else if (isMap(node) && isObject(value)) {
      this.map(node, value);
    }
  }

  private map(node: YAMLMap, value: Record<string, unknown>): void {
    if (this.done.has(value)) return;
    if (this.active.has(value)) throw this.error(node, "a `<<` merges a mapping that contains it");
    this.active.add(value);
    const merges = node.items.filter((p) => this.merges.has(p));
    if (merges.length > 1) throw this.error(merges[1]!, "more than one `<<` in one mapping (tools disagree on which applies); use one `<<` with a list of mappings");
    for (const pair of node.items) {
      const key = keyString(pair.key);
      if (key !== undefined) this.node(pair.value, value[key]);
    }
    if (merges.length === 1) this.rebuild(node, value, merges[0]!);
    this.active.delete(value);
    this.done.add(value);
  }

  /** Rewrites `value` as go-yaml reads the mapping: pairs in order, each write overwriting. */
  private rebuild(node: YAMLMap, value: Record<string, unknown>, mergePair: Pair): void {
    const merged = this.sources(mergePair, value[MERGE_SENTINEL]);
    const out: Record<string, unknown> = {};
    const explicitLine = new Map<string, number | undefined>();
    for (const pair of node.items) {
      if (pair === mergePair) {
        for (const [k, v] of Object.entries(merged)) {
          if (Object.hasOwn(out, k) && !sameValue(out[k], v)) this.conflict(k, explicitLine.get(k), this.lineOf(mergePair));
          define(out, k, v);
        }
        continue;
      }
      const key = keyString(pair.key);
      if (key === undefined) continue;
      define(out, key, value[key]);
      explicitLine.set(key, this.lineOf(pair));
    }
    // Keys that are not scalars (`? [a, b]`) keep what toJS made of them.
    for (const k of Object.keys(value)) if (k !== MERGE_SENTINEL && !explicitLine.has(k) && !Object.hasOwn(out, k)) define(out, k, value[k]);
    for (const k of Object.keys(value)) delete value[k];
    for (const [k, v] of Object.entries(out)) define(value, k, v);
  }

  /** The entries a merge writes: of a list of mappings, the earlier one wins. */
  private sources(mergePair: Pair, source: unknown): Record<string, unknown> {
    const list = Array.isArray(source) ? source : [source];
    const merged: Record<string, unknown> = {};
    for (let i = list.length - 1; i >= 0; i--) {
      const item = list[i];
      if (!isObject(item)) throw this.error(mergePair, "the value of `<<` must be a mapping or a list of mappings");
      for (const [k, v] of Object.entries(item)) define(merged, k, v);
    }
    return merged;
  }

  private conflict(key: string, line: number | undefined, mergeLine: number | undefined): void {
    this.conflicts.push({
      message:
        `"${key}" is set here and again by the \`<<\` after it${mergeLine ? ` (line ${mergeLine})` : ""}: kubectl and helm take the merged value, ` +
        "kustomize and the YAML merge rule keep this one. Set it once, or put `<<` first",
      ...(line !== undefined ? { line } : {}),
    });
  }

  private lineOf(node: Pair | YAMLMap): number | undefined {
    const start = ((isMap(node) ? node : node.key) as Node | null)?.range?.[0];
    return start === undefined ? undefined : this.lineCounter.linePos(start).line;
  }

  private error(node: Pair | YAMLMap, message: string): MergeError {
    return new MergeError(message, this.lineOf(node));
  }
}

export class MergeError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = "MergeError";
  }
}

/**
 * The pair a key resolves to in a mapping, merges included, by the same rule: a key written
 * after the `<<` first, then the merged mappings (the earlier first), then a key written before.
 * For source lines of fields that come from a merge.
 */
export function findPair(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  const index = map.items.findIndex((p) => !isMergePairLoose(p) && keyString(p.key) === key);
  const mergeIndex = map.items.findIndex(isMergePairLoose);
  if (index !== -1 && (mergeIndex === -1 || index > mergeIndex)) return map.items[index];
  if (mergeIndex !== -1 && depth < 32) {
    const source = resolve(doc, map.items[mergeIndex]!.value);
    const sources = isSeq(source) ? source.items.map((s) => resolve(doc, s)) : [source];
    for (const s of sources) {
      const found = isMap(s) ? findPair(doc, s, key, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return index === -1 ? undefined : map.items[index];
}

/** Merge keys, renamed by takeMergeKeys or not (a document re-read for lines). */
function isMergePairLoose(pair: Pair): boolean {
  return isMergePair(pair) || (isScalar(pair.key) && pair.key.value === MERGE_SENTINEL);
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The key `toJS` gives a pair in a plain object; undefined for keys that are not scalars. */
export function keyString(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "symbol") return v.description;
  return typeof v === "object" ? undefined : String(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Assigns without the `__proto__` setter, as `toJS` does. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
