/**
 * GitOps objects that exist only in rendered output: an app-of-apps whose child Applications
 * come out of a chart or a kustomization, a Flux Kustomization whose HelmReleases are built by
 * kustomize. After discovery, each target whose input files hold a GitOps renderer's marker (an
 * API group) is rendered — through the scheduler, so the review's own render of it is the same
 * one — and the renderers that know such objects (`fromRendered`) turn them into targets of
 * their own, on this side. Children may have children: at most MAX_DEPTH levels and MAX_TARGETS
 * targets per side, with a finding where a limit stops the search.
 *
 * An object found this way whose target already exists (the same Application in a file of
 * the repository) is not added again: the file's wins. A child replaces the convention
 * targets of the folders it renders, as an application found in a file does. A file's own
 * target whose object every target that builds the file renders another way (each cluster's
 * overlay patches the base HelmRelease) goes too: what is deployed are the children.
 */
import type { Finding } from "../model/finding.js";
import type { TargetSpec } from "../model/target.js";
import type { Renderer, Tree } from "../ports.js";
import { addDeployer, type RendererRegistry, type SideTargets } from "./discover.js";
import { problemToFinding } from "./findings.js";
import type { SideRender } from "./scheduler.js";

export const MAX_DEPTH = 3;
export const MAX_TARGETS = 500;

export interface EmbeddedSide {
  tree: Tree;
  side: SideTargets;
  /** Renders a target of this side as the review will (same scheduler, same Kubernetes version). */
  render(id: string): Promise<SideRender | undefined>;
}

export interface EmbeddedOptions {
  renderers: RendererRegistry;
  explicitIds: ReadonlySet<string>;
  maxDepth?: number;
  maxTargets?: number;
}

/** Both sides at once, each with its own tree and targets. */
export async function addRenderedTargetsBoth(
  base: readonly [Tree, SideTargets],
  head: readonly [Tree, SideTargets],
  render: (tree: Tree, side: SideTargets, id: string) => Promise<SideRender | undefined>,
  options: EmbeddedOptions,
): Promise<Finding[]> {
  const found = await Promise.all([base, head].map(([tree, side]) => addRenderedTargets({ tree, side, render: (id) => render(tree, side, id) }, options)));
  const [b, h] = await Promise.all([base, head].map(([tree, side]) => replacedOrigins(tree, side, options)));
  // Gone on one side only would read as a removed (or added) target: only where both sides agree, or the other has none.
  for (const [[, side], mine, theirs, other] of [[base, b!, h!, head[1]], [head, h!, b!, base[1]]] as const) {
    for (const id of mine) {
      if (!theirs.has(id) && other.targets.has(id)) continue;
      side.targets.delete(id);
      side.inputs.delete(id);
    }
    dropOrphans(side);
  }
  return found.flat();
}

/** Children of a target that is no review any more (a replaced origin) render a thing deployed nowhere: they go too. */
function dropOrphans(side: SideTargets): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, t] of side.targets) {
      if (!t.renderedFrom || side.targets.has(t.renderedFrom.target)) continue;
      side.targets.delete(id);
      side.inputs.delete(id);
      changed = true;
    }
  }
}

/**
 * File targets every builder of whose file rendered them as a child: the targets that build
 * the file (it is among their inputs, not a shared one) are all parents of such a child.
 * A builder that made no child (it applies the file as written) keeps the file's target.
 */
async function replacedOrigins(tree: Tree, side: SideTargets, options: EmbeddedOptions): Promise<Set<string>> {
  const parents = new Map<string, { file: string; parents: Set<string> }>();
  for (const child of side.targets.values()) {
    const from = child.renderedFrom;
    const origin = from ? await options.renderers.get(child.type)?.renderedOrigin?.(child, tree) : undefined;
    if (!from || !origin || origin.id === child.id || !side.targets.has(origin.id) || options.explicitIds.has(origin.id)) continue;
    const entry = parents.get(origin.id) ?? { file: origin.file, parents: new Set<string>() };
    entry.parents.add(from.target);
    parents.set(origin.id, entry);
  }
  // A builder that is itself replaced (a file Kustomization whose parent patches it) deploys
  // nothing: it does not keep the files it builds as written, so replacing runs to a fixed point.
  const out = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, { file, parents: made }] of parents) {
      if (out.has(id)) continue;
      const builders = [...side.inputs.entries()].filter(([t, i]) => t !== id && !out.has(t) && i.files.has(file) && !(i.shared ?? []).includes(file)).map(([t]) => t);
      if (builders.length === 0 || !builders.every((t) => made.has(t))) continue;
      out.add(id);
      grew = true;
    }
  }
  return out;
}

/** Adds the targets found in rendered output to `side`; returns findings where a limit stopped the search. */
export async function addRenderedTargets(s: EmbeddedSide, options: EmbeddedOptions): Promise<Finding[]> {
  const producers = [...options.renderers.values()].filter((r): r is Renderer & Required<Pick<Renderer, "fromRendered">> => r.fromRendered !== undefined);
  const markers = [...new Set(producers.flatMap((r) => r.renderedMarkers ?? []))];
  if (producers.length === 0 || markers.length === 0) return [];
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  const maxTargets = options.maxTargets ?? MAX_TARGETS;
  const findings: Finding[] = [];
  let added = 0;
  let limitReported = false;
  let frontier = [...s.side.targets.values()];
  for (let depth = 1; frontier.length > 0; depth++) {
    const found = await Promise.all(frontier.map((parent) => childrenOf(parent, s, producers, markers)));
    const next: TargetSpec[] = [];
    for (const [i, children] of found.entries()) {
      const parent = frontier[i]!;
      const fresh = children.filter((c) => !s.side.targets.has(c.id));
      if (fresh.length === 0) continue;
      if (depth > maxDepth) {
        findings.push(limitFinding(parent.id, `${fresh.length} GitOps object(s) rendered by ${parent.id} are more than ${maxDepth} levels of applications deep: they are not reviewed`));
        continue;
      }
      for (const child of fresh) {
        if (s.side.targets.has(child.id)) continue;
        if (added >= maxTargets) {
          if (!limitReported) findings.push(limitFinding(parent.id, `more than ${maxTargets} GitOps objects found in rendered output: the rest (from ${parent.id} on) are not reviewed`));
          limitReported = true;
          break;
        }
        await addChild(child, s, options);
        added++;
        next.push(child);
      }
    }
    frontier = next;
  }
  return findings;
}

async function childrenOf(parent: TargetSpec, s: EmbeddedSide, producers: Required<Pick<Renderer, "fromRendered">>[], markers: readonly string[]): Promise<TargetSpec[]> {
  if (!(await mayHold(parent, s, markers))) return [];
  const rendered = await s.render(parent.id);
  if (rendered?.outcome?.status !== "ok") return [];
  const resources = rendered.outcome.resources;
  const out: TargetSpec[] = [];
  for (const producer of producers) out.push(...(await producer.fromRendered(resources, parent, s.tree)));
  return out;
}

/** Whether a file the target reads (not one it shares, like its own Application's file) names a marker. */
async function mayHold(target: TargetSpec, s: EmbeddedSide, markers: readonly string[]): Promise<boolean> {
  const inputs = s.side.inputs.get(target.id);
  if (!inputs || inputs.blocking.length > 0) return false;
  const shared = new Set(inputs.shared ?? []);
  for (const file of inputs.files) {
    if (shared.has(file) || !s.tree.hasFile(file)) continue;
    const text = await s.tree.read(file).catch(() => "");
    if (markers.some((m) => text.includes(m))) return true;
  }
  return false;
}

async function addChild(child: TargetSpec, s: EmbeddedSide, options: EmbeddedOptions): Promise<void> {
  const renderer = options.renderers.get(child.type)!;
  const inputs = await renderer.inputs(child, s.tree);
  s.side.targets.set(child.id, child);
  s.side.inputs.set(child.id, inputs);
  // One review per deployed thing: the folders it renders are no convention targets any more —
  // except the child's own ancestors: a self-managing app-of-apps (a root chart whose
  // ApplicationSet generates an Application for the root chart's folder) would otherwise take
  // away the target that found it, and with it every application below.
  const folders = new Set(renderer.supersedes?.(child, s.tree, inputs) ?? []);
  addDeployer(s.side, child.id, folders);
  const ancestors = ancestorsOf(child, s.side);
  for (const [id, t] of s.side.targets) {
    if (!folders.has(t.path) || ancestors.has(id) || t.renderedFrom || t.definedIn || options.explicitIds.has(id) || options.renderers.get(t.type)?.discoverFirst) continue;
    s.side.targets.delete(id);
    s.side.inputs.delete(id);
  }
}

/** The targets whose renders found `child`, nearest first (bounded: renderedFrom chains are at most MAX_DEPTH long). */
function ancestorsOf(child: TargetSpec, side: SideTargets): Set<string> {
  const out = new Set<string>();
  for (let id = child.renderedFrom?.target; id !== undefined && !out.has(id); id = side.targets.get(id)?.renderedFrom?.target) out.add(id);
  return out;
}

function limitFinding(target: string, message: string): Finding {
  return problemToFinding({ ruleId: "gitops/rendered-limit", severity: "warning", message }, target);
}
