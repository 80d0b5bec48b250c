/**
 * ExternalArtifacts made by an ArtifactGenerator (source-watcher, Flux 2.7) from sources that are
 * this repository, as in fluxcd/flux2-kustomize-helm-example: `from: "@repo/infrastructure/**"`,
 * `to: "@artifact/"` makes an artifact whose `./controllers` is the repository's
 * `infrastructure/controllers`. The artifact is a view of the snapshot: its own paths, each mapped
 * to the repository file it copies (copy operations in order, later ones overwriting). Renders read
 * the view like any tree; inputs and findings are mapped back to repository paths. Only `*` and
 * `**` globs and plain files are copied; a source that is not this repository makes the artifact
 * unavailable, never guessed.
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import picomatch from "picomatch";
import { TreeReadError, type Tree } from "../../core/ports.js";
import { isPlainObject } from "../../yaml/parse.js";
import { resolveRepoPath } from "../repo-path.js";
import type { FluxObject, FluxObjects } from "./objects.js";
import { describeRef, isThisRepository, type SourceRef } from "./sources.js";

export interface ArtifactView {
  /** The artifact as a tree: its paths, read from the repository's files. */
  tree: Tree;
  /** The repository file an artifact path copies. */
  toRepo(path: string): string | undefined;
  generator: FluxObject;
}

export type ArtifactResolution = { ok: true; view: ArtifactView } | { ok: false; why: string; generator?: FluxObject };

const GLOB = /[*?[{]/;

export function externalArtifact(ref: SourceRef, near: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[], scratchDir: string): ArtifactResolution {
  const found = findArtifact(ref, objects, near);
  if (!found) return { ok: false, why: `its source ${describeRef(ref)} is made by no ArtifactGenerator in the repository` };
  const { generator, artifact } = found;
  const spec = isPlainObject(generator.body.spec) ? generator.body.spec : {};
  const sources = new Map<string, SourceRef>();
  for (const s of Array.isArray(spec.sources) ? spec.sources : []) {
    if (!isPlainObject(s) || typeof s.alias !== "string" || typeof s.kind !== "string" || typeof s.name !== "string") continue;
    sources.set(s.alias, { kind: s.kind, name: s.name, namespace: typeof s.namespace === "string" && s.namespace !== "" ? s.namespace : generator.namespace });
  }
  const mapping = new Map<string, string>();
  for (const op of Array.isArray(artifact.copy) ? artifact.copy : []) {
    if (!isPlainObject(op) || typeof op.from !== "string" || typeof op.to !== "string") continue;
    const from = /^@([A-Za-z0-9_-]+)\/(.*)$/.exec(op.from);
    const to = /^@artifact\/(.*)$/.exec(op.to);
    if (!from || !to) return { ok: false, why: `ArtifactGenerator ${generator.namespace}/${generator.name}: copy ${JSON.stringify(op.from)} → ${JSON.stringify(op.to)} is not @alias/path → @artifact/path`, generator };
    // Not guessed at: which path `exclude` globs match, and the YAML merge of `strategy: Merge`.
    if ((Array.isArray(op.exclude) && op.exclude.length > 0) || op.strategy === "Merge") {
      return { ok: false, why: `ArtifactGenerator ${generator.namespace}/${generator.name}: copy ${JSON.stringify(op.from)} uses ${op.strategy === "Merge" ? "strategy Merge" : "exclude"}, which is not evaluated offline yet`, generator };
    }
    const source = sources.get(from[1]!);
    if (!source || !isThisRepository(source, objects, repositoryUrls, generator)) {
      return { ok: false, why: `its ArtifactGenerator ${generator.namespace}/${generator.name} copies from ${source ? describeRef(source) : `@${from[1]}`}, which is not this repository`, generator };
    }
    const copied = copyOperation(tree, from[2]!, to[1]!);
    if (!copied.ok) return { ok: false, why: `ArtifactGenerator ${generator.namespace}/${generator.name}: ${copied.why}`, generator };
    for (const [dest, file] of copied.files) {
      // The artifact is written to disk under our scratch folder: a destination is a path inside it, never above.
      const safe = resolveRepoPath(".", dest);
      if (safe === undefined || safe === ".") return { ok: false, why: `ArtifactGenerator ${generator.namespace}/${generator.name}: copy destination ${JSON.stringify(op.to.slice(0, 120))} leaves the artifact`, generator };
      mapping.set(safe, file);
    }
  }
  const root = join(scratchDir, "gitops", `artifact-${createHash("sha256").update(`${tree.root}\u0000${generator.file}\u0000${ref.namespace}/${ref.name}`).digest("hex").slice(0, 16)}`);
  return { ok: true, view: { tree: viewTree(tree, mapping, root), toRepo: (p) => mapping.get(p), generator } };
}

/** The generator of the artifact; of several (one per cluster folder), the nearest to the Kustomization. */
function findArtifact(ref: SourceRef, objects: FluxObjects, near: FluxObject): { generator: FluxObject; artifact: Record<string, unknown> } | undefined {
  const candidates: { generator: FluxObject; artifact: Record<string, unknown> }[] = [];
  for (const o of objects.all) {
    if (o.kind !== "ArtifactGenerator" || o.namespace !== ref.namespace || !isPlainObject(o.body.spec)) continue;
    const artifacts = Array.isArray(o.body.spec.artifacts) ? o.body.spec.artifacts : [];
    const artifact = artifacts.find((a): a is Record<string, unknown> => isPlainObject(a) && a.name === ref.name);
    if (artifact) candidates.push({ generator: o, artifact });
  }
  const depth = (file: string) => {
    const a = file.split("/").slice(0, -1);
    const b = near.file.split("/").slice(0, -1);
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  return candidates.reduce<(typeof candidates)[number] | undefined>((best, c) => (!best || depth(c.generator.file) > depth(best.generator.file) ? c : best), undefined);
}

/** Files one copy operation takes: artifact path → repository path. */
function copyOperation(tree: Tree, pattern: string, to: string): { ok: true; files: Map<string, string> } | { ok: false; why: string } {
  const files = new Map<string, string>();
  const parts = pattern.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return { ok: false, why: `copy source ${JSON.stringify(pattern)} leaves the source` };
  const firstGlob = parts.findIndex((p) => GLOB.test(p));
  const destDir = to === "" || to.endsWith("/") ? to.replace(/\/+$/, "") : undefined;
  if (firstGlob === -1) {
    const file = parts.join("/");
    if (!tree.hasFile(file)) return { ok: false, why: `copy source ${JSON.stringify(pattern)} is not a file of this repository` };
    const dest = destDir === undefined ? to : join2(destDir, parts[parts.length - 1]!);
    files.set(dest, file);
    return { ok: true, files };
  }
  const base = parts.slice(0, firstGlob).join("/");
  const matches = picomatch(parts.slice(firstGlob).join("/"), { dot: true });
  for (const file of tree.files()) {
    if (base !== "" && !file.startsWith(`${base}/`)) continue;
    const rel = base === "" ? file : file.slice(base.length + 1);
    if (matches(rel)) files.set(join2(destDir ?? to, rel), file);
  }
  return { ok: true, files };
}

function join2(dir: string, rel: string): string {
  return dir === "" ? rel : `${dir}/${rel}`;
}

function viewTree(tree: Tree, mapping: Map<string, string>, root: string): Tree {
  const names = [...mapping.keys()].sort();
  const dirs = new Set<string>(["."]);
  for (const f of names) for (let i = f.lastIndexOf("/"); i > 0; i = f.lastIndexOf("/", i - 1)) dirs.add(f.slice(0, i));
  const written = new Set<string>();
  const source = (p: string) => {
    const file = mapping.get(p);
    if (file === undefined) throw new TreeReadError(p, "missing", `${p}: not in the artifact`);
    return file;
  };
  return {
    ref: tree.ref,
    root,
    files: () => names,
    hasFile: (p) => mapping.has(p),
    hasDir: (p) => dirs.has(p),
    read: async (p) => tree.read(source(p)),
    digest: async (p) => tree.digest(source(p)),
    materialize: async (paths) => {
      for (const p of paths) {
        if (written.has(p) || !mapping.has(p)) continue;
        const target = join(root, p);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, await tree.read(source(p)));
        written.add(p);
      }
    },
  };
}
