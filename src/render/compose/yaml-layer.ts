/**
 * Reads one Compose file into plain values. We walk the YAML tree ourselves instead of
 * calling `toJS` because three things must happen per node while positions are still known:
 * string values are interpolated (with the line for warnings), `!reset`/`!override` tags
 * become markers for the merger, and the line of every mapping key is recorded.
 * Limits match src/yaml/parse.ts: duplicate keys rejected, alias expansion capped.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { InputProblem } from "../../core/ports.js";
import { castTypedFields } from "./casts.js";
import { interpolate, type Lookup } from "./interpolate.js";
import { yamlErrorText } from "../../yaml/parse.js";
import { composeProblem } from "./problems.js";
import { isRecord, setKey, Tagged } from "./tagged.js";

/** Alias expansions allowed per anchor (uses × nested aliases), as src/yaml/parse.ts allows. */
const MAX_ALIAS_COUNT = 100;

/** Line of each key of each mapping produced by the loader (and of each item of each sequence, by index). */
export type KeyLines = WeakMap<object, Map<string, number>>;

export interface YamlLayer {
  /** One mapping per YAML document, in order; empty when the file failed to parse. */
  docs: { value: Record<string, unknown>; line: number }[];
  problems: InputProblem[];
  /** True when the file could not be read as Compose at all (no partial result). */
  fatal: boolean;
}

export function loadYamlLayer(text: string, file: string, lookup: Lookup, keyLines: KeyLines): YamlLayer {
  const lineCounter = new LineCounter();
  const problems: InputProblem[] = [];
  const docs: YamlLayer["docs"] = [];
  let parsed: Document.Parsed[];
  try {
    const all = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false });
    parsed = Array.isArray(all) ? (all as Document.Parsed[]) : [];
  } catch (err) {
    problems.push(yamlProblem(file, undefined, (err as Error).message));
    return { docs, problems, fatal: true };
  }
  for (const doc of parsed) {
    const first = doc.errors[0];
    if (first) {
      // linePos is only filled in with prettyErrors; derive the line from the offset instead.
      const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
      problems.push(yamlProblem(file, line, yamlErrorText(first.message)));
      return { docs: [], problems, fatal: true };
    }
    if (doc.contents === null) continue;
    const line = lineCounter.linePos(doc.contents.range?.[0] ?? 0).line;
    const converter = new Converter(doc, text, lineCounter, file, lookup, keyLines);
    let value: unknown;
    try {
      value = converter.convert(doc.contents as Node);
    } catch (err) {
      if (!(err instanceof LayerError)) throw err;
      problems.push(...converter.problems(), composeProblem(err.ruleId, "error", { file, line: err.line }, err.message));
      return { docs: [], problems, fatal: true };
    }
    problems.push(...converter.problems());
    if (value === null) continue;
    if (!isRecord(value)) {
      problems.push(
        composeProblem(
          "compose/not-a-mapping",
          "error",
          { file, line },
          "a Compose file must be a mapping with a services key at the top level; fix the file's structure",
        ),
      );
      return { docs: [], problems, fatal: true };
    }
    docs.push({ value: castTypedFields(value, { file, keyLines, problems }), line });
  }
  return { docs, problems, fatal: false };
}

class LayerError extends Error {
  constructor(
    readonly ruleId: "compose/yaml-invalid" | "compose/variable-required" | "compose/interpolation-invalid",
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

class Converter {
  private aliasWeight = 0;
  /** Converted value and alias weight of each anchored node, for aliases to reuse. */
  private readonly anchored = new Map<Node, { value: unknown; weight: number; uses: number }>();
  private readonly unset = new Map<string, number>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly lineCounter: LineCounter,
    private readonly file: string,
    private readonly lookup: Lookup,
    private readonly keyLines: KeyLines,
  ) {}

  problems(): InputProblem[] {
    return [...this.unset].map(([name, line]) =>
      composeProblem(
        "compose/variable-unset",
        "warning",
        { file: this.file, line },
        `variable ${name} is not set; an empty string is used instead. Define it in the project's .env file or in the target's composeEnv`,
      ),
    );
  }

  convert(node: Node | null | undefined): unknown {
    if (!node) return null;
    if (isAlias(node)) return this.alias(node);
    const before = this.aliasWeight;
    const value = this.convertNode(node);
    if ((node as { anchor?: string }).anchor) this.anchored.set(node, { value, weight: 1 + this.aliasWeight - before, uses: 0 });
    return value;
  }

  private convertNode(node: Node): unknown {
    const tag = node.tag === "!reset" ? "reset" : node.tag === "!override" ? "override" : undefined;
    if (tag === "reset") return new Tagged("reset", null);
    let value: unknown;
    if (isScalar(node)) value = this.scalar(node.value, node.type, node.range ?? undefined, tag !== undefined);
    else if (isMap(node)) value = this.mapping(node);
    else if (isSeq(node)) value = this.sequence(node.items as Node[]);
    return tag === "override" ? new Tagged("override", value) : value;
  }

  private alias(node: Node & { resolve(doc: Document): Node | undefined }): unknown {
    const target = node.resolve(this.doc);
    const memo = target ? this.anchored.get(target) : undefined;
    if (!memo) throw new LayerError("compose/yaml-invalid", "invalid YAML: alias refers to an unknown anchor", this.lineAt(node.range?.[0]));
    this.aliasWeight += memo.weight;
    memo.uses++;
    // The same rule as yaml's toJS: uses of an anchor times the aliases it expands to.
    if (memo.uses * memo.weight > MAX_ALIAS_COUNT) {
      throw new LayerError(
        "compose/yaml-invalid",
        `invalid YAML: more than ${MAX_ALIAS_COUNT} alias expansions; reduce the use of YAML anchors`,
        this.lineAt(node.range?.[0]),
      );
    }
    return memo.value;
  }

  /** Items converted in order; their lines are kept under their index, for source mapping. */
  private sequence(items: Node[]): unknown[] {
    const lines = new Map<string, number>();
    const out = items.map((item, i) => {
      const line = this.lineAt((item as Node | null)?.range?.[0]);
      if (line) lines.set(String(i), line);
      return this.convert(item);
    });
    this.keyLines.set(out, lines);
    return out;
  }

  private mapping(node: Node & { items: { key: unknown; value: unknown }[] }): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const lines = new Map<string, number>();
    const merges: unknown[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && typeof keyNode.value === "symbol") {
        merges.push(pair.value);
        continue;
      }
      if (keyNode && !isScalar(keyNode)) {
        throw new LayerError("compose/yaml-invalid", "invalid YAML: mapping keys must be plain values", this.lineAt(keyNode.range?.[0]));
      }
      const key = String(keyNode?.value ?? "null");
      setKey(out, key, this.convert(pair.value as Node | null));
      lines.set(key, this.lineAt(keyNode?.range?.[0]) ?? 0);
    }
    // `<<` merge keys: explicit keys win, then earlier merge sources over later ones.
    for (const source of merges) {
      const sources = isSeq(source) ? source.items : [source];
      for (const s of sources) {
        const value = this.convert(s as Node);
        if (!isRecord(value)) {
          throw new LayerError("compose/yaml-invalid", "invalid YAML: a << merge key must refer to mappings", this.lineAt((s as Node).range?.[0]));
        }
        const sourceLines = this.keyLines.get(value);
        for (const [k, v] of Object.entries(value)) {
          if (Object.hasOwn(out, k)) continue;
          setKey(out, k, v);
          const l = sourceLines?.get(k);
          if (l) lines.set(k, l);
        }
      }
    }
    this.keyLines.set(out, lines);
    return out;
  }

  private scalar(value: unknown, type: string | undefined, range: [number, number, number] | undefined, tagged: boolean): unknown {
    const offset = range?.[0];
    // An unknown tag leaves plain scalars unresolved; resolve them like the core schema would.
    if (tagged && type === "PLAIN" && typeof value === "string") return resolvePlain(value);
    if (typeof value === "number" && type === "PLAIN" && range) return legacyOctal(this.text.slice(range[0], range[1]).trim()) ?? value;
    if (typeof value !== "string") return value;
    const result = interpolate(value, this.lookup);
    const line = this.lineAt(offset);
    for (const name of result.unset) if (!this.unset.has(name)) this.unset.set(name, line ?? 0);
    if (!result.ok) {
      throw new LayerError(
        result.kind === "required" ? "compose/variable-required" : "compose/interpolation-invalid",
        result.kind === "required"
          ? `${result.message}. Set it in the project's .env file or in the target's composeEnv`
          : `${result.message}. Escape a literal dollar sign as $$`,
        line,
      );
    }
    return result.value;
  }

  private lineAt(offset: number | undefined): number | undefined {
    return offset === undefined ? undefined : this.lineCounter.linePos(offset).line;
  }
}

function resolvePlain(s: string): unknown {
  if (/^(null|Null|NULL|~|)$/.test(s)) return null;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?\d+$/.test(s) || /^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  return s;
}

/**
 * Compose's YAML decoder (go-yaml) reads `0440` as octal, and Compose documents file modes
 * that way (`mode: 0440`); YAML 1.2 would read decimal 440.
 */
function legacyOctal(source: string): number | undefined {
  const m = /^([-+]?)0([0-7]+)$/.exec(source);
  if (!m) return undefined;
  const n = parseInt(m[2]!, 8);
  return m[1] === "-" ? -n : n;
}

function yamlProblem(file: string, line: number | undefined, message: string): InputProblem {
  return composeProblem("compose/yaml-invalid", "error", { file, line }, `invalid YAML: ${message}; fix the syntax`);
}
