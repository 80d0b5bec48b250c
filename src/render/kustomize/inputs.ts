/**
 * The transitive set of files a kustomization build reads, found by reading the
 * kustomizations (not by running kustomize), plus the problems that make a build
 * impossible or unsafe here: remote references, missing files, paths leaving the
 * repository, Helm inflation.
 */
import { isMap, isScalar } from "yaml";
import type { InputProblem, InputSet, Tree } from "../../core/ports.js";
import { lineOf } from "../../yaml/parse.js";
import { KUSTOMIZATION_NAMES, findKustomizationFile, readKustomization, type ParsedKustomization } from "./kustomization-file.js";
import { readPluginEntries } from "./plugin-entries.js";
import { extractReferences, helmFieldsUsed, type Reference, type ReferenceKind } from "./references.js";
import { isDefinitelyRemote, looksRemote } from "./remote.js";
import { at, resolveRepoPath } from "../repo-path.js";

interface Origin {
  readonly file: string;
  readonly line?: number;
}

/**
 * An origin whose line is looked up only when a message needs it: finding a line needs the
 * careful parse of the kustomization, and almost every entry is fine and never reported.
 */
function lazyOrigin(file: string, line: () => number | undefined): Origin {
  let known: { line: number | undefined } | undefined;
  return {
    file,
    get line() {
      return (known ??= { line: line() }).line;
    },
  };
}

interface Walk {
  tree: Tree;
  files: Set<string>;
  blocking: InputProblem[];
  warnings: InputProblem[];
  visited: Set<string>;
  /** The kustomizations being read, outermost first, each with the entry that leads on. */
  stack: Frame[];
}

interface Frame {
  dir: string;
  file?: string;
  next?: Origin;
}

/** A kustomization folder another one names, with the entry that names it. */
interface Child {
  dir: string;
  ref: Reference;
  origin: Origin;
}

export async function kustomizeInputs(targetDir: string, tree: Tree): Promise<InputSet> {
  const walk: Walk = { tree, files: new Set(), blocking: [], warnings: [], visited: new Set(), stack: [] };
  // Depth first, so the chain that leads back to a folder being read is known: that is a cycle,
  // which kustomize refuses to build ("cycle detected"), and it must not end the walk quietly.
  await visit(walk, targetDir, undefined);
  return { files: walk.files, blocking: walk.blocking, warnings: walk.warnings };
}

async function visit(walk: Walk, dir: string, from: Origin | undefined): Promise<void> {
  walk.visited.add(dir);
  const frame: Frame = { dir };
  walk.stack.push(frame);
  const children = await visitDir(walk, dir, from, frame);
  for (const child of children) {
    const open = walk.stack.findIndex((f) => f.dir === child.dir);
    if (open !== -1) {
      walk.blocking.push(cycleProblem(walk.stack.slice(open), child));
      continue;
    }
    if (walk.visited.has(child.dir)) continue;
    frame.next = child.origin;
    await visit(walk, child.dir, child.origin);
  }
  walk.stack.pop();
}

function cycleProblem(frames: Frame[], closing: Child): InputProblem {
  const links = frames.map((f, i) => at(f.file ?? f.dir, (i === frames.length - 1 ? closing.origin : f.next)?.line));
  const chain = [...links, frames[0]!.file ?? frames[0]!.dir].join(" → ");
  return problem(
    "render/kustomize-cycle",
    `${at(closing.origin.file, closing.origin.line)}: ${closing.ref.field} entry "${closing.ref.value}" closes a cycle: ${chain}. ` +
      "kustomize refuses to build a kustomization that includes itself; remove one of these references.",
    closing.origin,
  );
}

/** Reads one kustomization: its files join the input set; the folders it names are returned. */
async function visitDir(walk: Walk, dir: string, from: Origin | undefined, frame: Frame): Promise<Child[]> {
  const file = findKustomizationFile(walk.tree, dir);
  if (!file) {
    const where = from ? `${at(from.file, from.line)}: ` : "";
    walk.blocking.push(problem("render/missing-file", `${where}${dir} has no kustomization file (${KUSTOMIZATION_NAMES.join(", ")})`, from ?? { file: dir }));
    return [];
  }
  frame.file = file;
  // Every variant counts: adding a second one changes the build (kustomize then refuses it).
  for (const name of KUSTOMIZATION_NAMES) {
    const path = dir === "." ? name : `${dir}/${name}`;
    if (walk.tree.hasFile(path)) walk.files.add(path);
  }
  const parsed = await readKustomization(walk.tree, file);
  if (!parsed.ok) {
    // A file that cannot be read says so itself; a parse error is about the kustomization.
    const message = parsed.ruleId ? parsed.message : `${at(file, parsed.line)}: invalid kustomization: ${parsed.message}`;
    walk.blocking.push(problem(parsed.ruleId ?? "input/yaml-invalid", message, { file, line: parsed.line }));
    return [];
  }
  const k = parsed.kustomization;
  for (const field of helmFieldsUsed(k.value)) {
    const origin = { file, line: lineOfTopKey(k, field) };
    walk.blocking.push(
      problem(
        "render/kustomize-helm",
        `${at(file, origin.line)}: ${field} is not supported: Shipshape runs kustomize without --enable-helm, ` +
          "because inflating charts fetches them from the network. Render the chart as a helm target instead.",
        origin,
      ),
    );
  }
  const children: Child[] = [];
  for (const ref of extractReferences(k.value)) {
    const origin = lazyOrigin(k.file, () => lineOfKey(k, ref.keyPath));
    const entry = () => `${at(origin.file, origin.line)}: ${ref.field} entry "${ref.value}"`;
    const folder = checkPath(walk, dir, ref.value, ref.kind, entry, origin);
    if (folder !== undefined) children.push({ dir: folder, ref, origin });
  }
  await checkPlugins(walk, dir, k);
  return children;
}

/**
 * The builtin plugin configs of `generators:`, `transformers:` and `validators:`: configs
 * Shipshape cannot read are refused, and every path they name is checked like the
 * kustomization's own (kustomize resolves them against the kustomization's folder).
 */
async function checkPlugins(walk: Walk, dir: string, k: ParsedKustomization): Promise<void> {
  const { plugins, problems } = await readPluginEntries(walk.tree, k, dir);
  for (const p of problems) walk.blocking.push(problem(p.ruleId, p.message, p));
  for (const plugin of plugins) {
    for (const path of plugin.config.paths) {
      const origin = lazyOrigin(plugin.file, () => plugin.lineOfPath(path.keyPath) ?? plugin.line);
      const entry = () => `${at(origin.file, origin.line)}: ${plugin.config.kind} ${path.field} entry "${path.value}" (configured by ${plugin.entry} of ${k.file})`;
      checkPath(walk, dir, path.value, "file", entry, origin);
    }
  }
}

/**
 * Checks one path named from `dir`; an existing file joins the inputs, and a folder that a
 * `resource` may name is returned, to be read next.
 */
function checkPath(walk: Walk, dir: string, value: string, kind: ReferenceKind, entry: () => string, origin: Origin): string | undefined {
  if (isDefinitelyRemote(value)) {
    walk.blocking.push(remoteProblem(entry, origin));
    return;
  }
  const path = resolveRepoPath(dir, value);
  if (path === undefined) {
    walk.blocking.push(problem("render/outside-repo", `${entry()} points outside the repository; only files in the repository are rendered`, origin));
    return;
  }
  if (walk.tree.hasFile(path)) {
    walk.files.add(path);
    return;
  }
  if (kind === "resource" && walk.tree.hasDir(path)) return path;
  if (looksRemote(value)) {
    walk.blocking.push(remoteProblem(entry, origin));
    return;
  }
  walk.blocking.push(problem("render/missing-file", `${entry()} refers to ${path}, which does not exist`, origin));
}

function remoteProblem(entry: () => string, origin: Origin): InputProblem {
  return problem(
    "render/remote-base",
    `${entry()} is a remote reference; Shipshape does not fetch remote bases, for security. ` +
      "Vendor it into the repository and reference the local copy.",
    origin,
  );
}

function lineOfKey(k: ParsedKustomization, keyPath: (string | number)[]): number | undefined {
  return k.doc ? lineOf(k.doc, keyPath, k.lineCounter) : undefined;
}

/** The line of a top-level key itself (lineOf gives where its value starts). */
function lineOfTopKey(k: ParsedKustomization, key: string): number | undefined {
  const contents = k.doc?.doc.contents;
  if (!isMap(contents)) return undefined;
  const pair = contents.items.find((p) => isScalar(p.key) && p.key.value === key);
  const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  return start === undefined ? undefined : k.lineCounter.linePos(start).line;
}

function problem(ruleId: string, message: string, origin: Origin): InputProblem {
  return {
    ruleId,
    severity: "error",
    message,
    file: origin.file,
    ...(origin.line !== undefined ? { line: origin.line } : {}),
  };
}
