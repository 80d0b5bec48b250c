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
import { extractReferences, helmFieldsUsed, type Reference } from "./references.js";
import { isDefinitelyRemote, looksRemote } from "./remote.js";
import { at, resolveRepoPath } from "../repo-path.js";

interface Origin {
  file: string;
  line?: number;
}

interface Walk {
  tree: Tree;
  files: Set<string>;
  blocking: InputProblem[];
  warnings: InputProblem[];
  visited: Set<string>;
  /** Kustomization directories still to read, with the entry that led to them. */
  pending: { dir: string; from?: Origin }[];
}

export async function kustomizeInputs(targetDir: string, tree: Tree): Promise<InputSet> {
  const walk: Walk = { tree, files: new Set(), blocking: [], warnings: [], visited: new Set(), pending: [{ dir: targetDir }] };
  // A work list instead of recursion: the visited set makes cycles terminate.
  for (let next = walk.pending.shift(); next; next = walk.pending.shift()) {
    if (walk.visited.has(next.dir)) continue;
    walk.visited.add(next.dir);
    await visitDir(walk, next.dir, next.from);
  }
  return { files: walk.files, blocking: walk.blocking, warnings: walk.warnings };
}

async function visitDir(walk: Walk, dir: string, from: Origin | undefined): Promise<void> {
  const file = findKustomizationFile(walk.tree, dir);
  if (!file) {
    const where = from ? `${at(from.file, from.line)}: ` : "";
    walk.blocking.push(problem("render/missing-file", `${where}${dir} has no kustomization file (${KUSTOMIZATION_NAMES.join(", ")})`, from ?? { file: dir }));
    return;
  }
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
    return;
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
  for (const ref of extractReferences(k.value)) checkReference(walk, dir, k, ref);
}

function checkReference(walk: Walk, dir: string, k: ParsedKustomization, ref: Reference): void {
  const origin: Origin = { file: k.file, line: lineOfKey(k, ref.keyPath) };
  const entry = `${at(origin.file, origin.line)}: ${ref.field} entry "${ref.value}"`;
  if (isDefinitelyRemote(ref.value)) {
    walk.blocking.push(remoteProblem(entry, origin));
    return;
  }
  const path = resolveRepoPath(dir, ref.value);
  if (path === undefined) {
    walk.blocking.push(problem("render/outside-repo", `${entry} points outside the repository; only files in the repository are rendered`, origin));
    return;
  }
  if (walk.tree.hasFile(path)) {
    walk.files.add(path);
    return;
  }
  if (ref.kind === "resource" && walk.tree.hasDir(path)) {
    walk.pending.push({ dir: path, from: origin });
    return;
  }
  if (looksRemote(ref.value)) {
    walk.blocking.push(remoteProblem(entry, origin));
    return;
  }
  walk.blocking.push(problem("render/missing-file", `${entry} refers to ${path}, which does not exist`, origin));
}

function remoteProblem(entry: string, origin: Origin): InputProblem {
  return problem(
    "render/remote-base",
    `${entry} is a remote reference; Shipshape does not fetch remote bases, for security. ` +
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
