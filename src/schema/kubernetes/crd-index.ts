/**
 * The last-resort index of CRDs anywhere in a tree (a chart's crds/ folder, a vendored bundle):
 * built once per tree and lazily, and cheap. Reading a file costs a read and two linear scans;
 * a file is parsed only when a custom resource asks for a group and kind it may define. On a
 * repository with 20 MB of CRDs, finding one schema parses one file, not all of them.
 */
import type { Tree } from "../../core/ports.js";
import { readLikeKubectl } from "../../yaml/kubectl-reading.js";
import { isCrd, schemasOfCrd, type CustomSchema } from "./crd-entries.js";

const YAML_FILE = /\.ya?ml$/i;
const READ_CONCURRENCY = 16;
/**
 * At most this many YAML files are read per tree: a pull request could add files by the hundred
 * thousand, and a CRD the index misses only costs a `schema/no-schema` finding.
 */
export const MAX_INDEXED_FILES = 20_000;
/**
 * `group:` and `kind:` values in block style. Only spaces and tabs before the key, so the scan
 * stays linear however many blank lines a file holds.
 */
const NAME_LINE = /^[ \t]*(?:-[ \t]+)?(group|kind)[ \t]*:[ \t]*["']?([A-Za-z0-9][A-Za-z0-9.-]*)/gm;

interface IndexedFile {
  path: string;
  groups: Set<string>;
  kinds: Set<string>;
  /** Flow-style or otherwise unusual YAML: no names found by the scan, so always a candidate. */
  opaque: boolean;
}

export class CrdIndex {
  private files?: Promise<IndexedFile[]>;
  private readonly parsed = new Map<string, Promise<CustomSchema[]>>();

  constructor(private readonly tree: Tree) {}

  /** The schema for `group/version kind` among the tree's CRD files, or undefined. */
  async find(key: string, group: string, kind: string): Promise<CustomSchema | undefined> {
    this.files ??= indexFiles(this.tree);
    for (const file of await this.files) {
      if (!file.opaque && !(file.groups.has(group) && file.kinds.has(kind))) continue;
      const found = (await this.schemasIn(file.path)).find((s) => s.key === key);
      if (found) return found;
    }
    return undefined;
  }

  private schemasIn(path: string): Promise<CustomSchema[]> {
    let pending = this.parsed.get(path);
    if (!pending) {
      pending = this.tree.read(path).then(schemasInText.bind(undefined, path), () => []);
      this.parsed.set(path, pending);
    }
    return pending;
  }
}

function schemasInText(path: string, text: string): CustomSchema[] {
  const out: CustomSchema[] = [];
  try {
    // Read as kubectl reads the file (its fast path parses a big CRD bundle many times faster).
    for (const doc of readLikeKubectl(text).docs) if (isCrd(doc.value)) out.push(...schemasOfCrd(doc.value, path));
  } catch {
    // An unparsable file defines nothing here; the target that uses it reports it.
  }
  return out;
}

async function indexFiles(tree: Tree): Promise<IndexedFile[]> {
  const paths = tree.files().filter((f) => YAML_FILE.test(f)).slice(0, MAX_INDEXED_FILES);
  const out: IndexedFile[] = [];
  for (let i = 0; i < paths.length; i += READ_CONCURRENCY) {
    const batch = paths.slice(i, i + READ_CONCURRENCY);
    const texts = await Promise.all(batch.map((f) => tree.read(f).catch(() => undefined)));
    batch.forEach((path, j) => {
      const text = texts[j];
      if (text === undefined || !text.includes("CustomResourceDefinition")) return;
      out.push(summarise(path, text));
    });
  }
  return out;
}

function summarise(path: string, text: string): IndexedFile {
  const groups = new Set<string>();
  const kinds = new Set<string>();
  for (const m of text.matchAll(NAME_LINE)) (m[1] === "group" ? groups : kinds).add(m[2]!);
  return { path, groups, kinds, opaque: groups.size === 0 };
}
