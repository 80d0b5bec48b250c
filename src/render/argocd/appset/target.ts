/**
 * The ApplicationSet itself as a target, `argocd:<ns>/<name>#applicationset`: its render is the
 * Application objects the ApplicationSet controller would create or update (generated,
 * templated, patched, owned by the ApplicationSet). Those objects exist in no file and no
 * other render, so this is where a change to what an ApplicationSet generates shows — an
 * Application added, removed, moved to another destination, project or source, or made to
 * prune — with the same diff and gitops-* risk rules as an Application written in a file.
 * An ApplicationSet that cannot be evaluated is this target too, not reviewed, saying why.
 */
import { createHash } from "node:crypto";
import type { TargetSpec } from "../../../core/model/target.js";
import type { Resource } from "../../../core/model/resource.js";
import type { InputProblem, InputSet, RenderOutcome, Tree } from "../../../core/ports.js";
import { applicationsOfFile } from "../discover.js";
import { renderedResource } from "../source.js";
import { APPLICATIONSET_SUFFIX, expandApplicationSet } from "./applicationset.js";

export function isApplicationSetTarget(target: Pick<TargetSpec, "id">): boolean {
  return target.id.endsWith(APPLICATIONSET_SUFFIX);
}

interface Expanded {
  /** The ApplicationSet's file and the git files its generators read. */
  files: string[];
  bodies: Record<string, unknown>[];
  problems: InputProblem[];
  file: string;
  line?: number;
}

async function expand(target: TargetSpec, tree: Tree, isLocal: (url: string) => boolean): Promise<Expanded | undefined> {
  const from = target.renderedFrom;
  if (from) {
    const file = from.file ?? target.path;
    const generated = await expandApplicationSet(renderedResource(from), file, 0, tree, isLocal);
    const files = [...new Set([...(from.file ? [from.file] : []), ...generated.read.filter((f) => f !== file), ...generated.apps.flatMap((a) => a.generatedFrom ?? [])])];
    return { files, bodies: generated.bodies, problems: generated.problems, file, ...(from.line !== undefined ? { line: from.line } : {}) };
  }
  const def = target.definedIn;
  if (!def) return undefined;
  const found = (await applicationsOfFile(tree, def.file, isLocal))[def.index]?.appset;
  if (!found) return undefined;
  return { files: [def.file, ...found.read], bodies: found.bodies, problems: found.problems, file: def.file, ...(found.line !== undefined ? { line: found.line } : {}) };
}

/**
 * The ApplicationSet's file and git files, each fingerprinted with what the generators made
 * from them: the target is affected when the generated Applications differ (a folder added
 * for a git directories generator, a list element edited), not whenever the file does.
 */
export async function applicationSetInputs(target: TargetSpec, tree: Tree, isLocal: (url: string) => boolean): Promise<InputSet> {
  const e = await expand(target, tree, isLocal);
  if (!e) return { files: new Set(), blocking: [missing(target)], warnings: [] };
  const files = new Set(e.files.filter((f) => tree.hasFile(f)));
  // The ApplicationSet's file stays a manifest of its folder's target (or a parent's render).
  const shared = [...files];
  // Generating no Application is no failure (Argo CD then deletes those it made), failing to generate is.
  if (e.bodies.length === 0 && e.problems.length > 0) return { files, shared, blocking: e.problems, warnings: [] };
  const digest = createHash("sha256").update(JSON.stringify([e.bodies, e.problems.map((p) => p.message)])).digest("hex");
  return { files, shared, fingerprints: new Map([...files].map((f) => [f, digest])), blocking: [], warnings: e.problems };
}

export async function renderApplicationSet(target: TargetSpec, tree: Tree, isLocal: (url: string) => boolean): Promise<RenderOutcome> {
  const e = await expand(target, tree, isLocal);
  if (!e) return { status: "invalid", problems: [missing(target)] };
  if (e.bodies.length === 0 && e.problems.length > 0) return { status: "invalid", problems: e.problems };
  const resources = e.bodies.map((body): Resource => {
    const metadata = (body.metadata ?? {}) as Record<string, unknown>;
    return {
      apiVersion: String(body.apiVersion),
      kind: "Application",
      name: String(metadata.name ?? ""),
      namespace: String(metadata.namespace ?? ""),
      body,
      source: { file: e.file, ...(e.line !== undefined ? { line: e.line } : {}) },
    };
  });
  return { status: "ok", resources, warnings: e.problems };
}

function missing(target: TargetSpec): InputProblem {
  return { ruleId: "gitops/application-invalid", severity: "error", message: `target ${target.id}: the ApplicationSet could not be read again`, ...(target.definedIn ? { file: target.definedIn.file } : {}) };
}
