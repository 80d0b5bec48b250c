/**
 * Finding the targets of one side: by convention (each renderer's `discover`) and from
 * the config's explicit list. Renderers that depend on what the others own (plain
 * manifests) run last. Inputs are computed here once per target and reused for the
 * affected check.
 */
import picomatch from "picomatch";
import type { TargetSpec, TargetType } from "../model/target.js";
import type { InputSet, Renderer, Tree } from "../ports.js";

export type RendererRegistry = ReadonlyMap<TargetType, Renderer>;

export interface SideTargets {
  targets: Map<string, TargetSpec>;
  inputs: Map<string, InputSet>;
  /** Folder → the GitOps targets that render it (what they supersede), for handovers (handover.ts). */
  deployers?: Map<string, string[]>;
}

/** Records that `id` renders `folders` (and so supersedes their convention targets). */
export function addDeployer(side: SideTargets, id: string, folders: Iterable<string>): void {
  side.deployers ??= new Map();
  for (const folder of folders) side.deployers.set(folder, [...(side.deployers.get(folder) ?? []), id]);
}

export interface DiscoverOptions {
  discovery: boolean;
  explicitTargets: readonly TargetSpec[];
  ignore: readonly string[];
}

export async function discoverSide(tree: Tree, renderers: RendererRegistry, options: DiscoverOptions): Promise<SideTargets> {
  const isIgnored = options.ignore.length ? picomatch([...options.ignore], { dot: true }) : () => false;
  const explicit = options.explicitTargets.filter((t) => tree.hasDir(t.path));
  const explicitKeys = new Set(options.explicitTargets.map((t) => `${t.type}|${t.path}`));
  const superseded = new Set<string>();
  const keep = (t: TargetSpec) =>
    !explicitKeys.has(`${t.type}|${t.path}`) && !isIgnored(t.path) && !isIgnored(`${t.path}/`) && (renderers.get(t.type)?.discoverFirst || !superseded.has(t.path));
  const targets = new Map<string, TargetSpec>();
  const inputs = new Map<string, InputSet>();
  const owned = new Set<string>();
  const ownedDirs: string[] = [];
  const ownedFlatDirs = new Set<string>();
  const side: SideTargets = { targets, inputs };

  const own = (d: string) => {
    if (d.endsWith("/*")) ownedFlatDirs.add(d.slice(0, -2));
    else ownedDirs.push(d === "." ? "" : `${d}/`);
  };
  const addAll = async (specs: TargetSpec[]) => {
    await Promise.all(
      specs.map(async (t) => {
        const renderer = renderers.get(t.type);
        if (!renderer) return;
        targets.set(t.id, t);
        const set = await renderer.inputs(t, tree);
        inputs.set(t.id, set);
        const shared = new Set(set.shared ?? []);
        for (const f of set.files) if (!shared.has(f)) owned.add(f);
        for (const d of renderer.owns?.(t, tree, set) ?? []) own(d);
        const folders = renderer.supersedes?.(t, tree, set) ?? [];
        for (const d of folders) superseded.add(d);
        addDeployer(side, t.id, folders);
      }),
    );
  };

  // GitOps applications first: the folders they render are not also targets of their own.
  if (options.discovery) {
    for (const r of renderers.values()) if (r.discoverFirst) await addAll((await r.discover(tree, { isOwned: () => false })).filter(keep));
  }
  const first = [...renderers.values()].filter((r) => !r.discoverLast && !r.discoverFirst);
  const last = [...renderers.values()].filter((r) => r.discoverLast);
  const context = {
    isOwned: (path: string) =>
      owned.has(path) || isIgnored(path) || ownedFlatDirs.has(dirOf(path)) || ownedDirs.some((d) => path.startsWith(d)),
  };
  const early: TargetSpec[] = [...explicit.filter((t) => !renderers.get(t.type)?.discoverLast)];
  if (options.discovery) {
    for (const r of first) early.push(...(await r.discover(tree, context)).filter(keep));
  }
  await addAll(early);
  // What tools use whatever the targets are (a Component no kustomization uses, its patches):
  // never plain manifests, even when discovery is off and only explicit targets are listed.
  for (const r of first) for (const d of (await r.claims?.(tree)) ?? []) own(d);
  const late: TargetSpec[] = [...explicit.filter((t) => renderers.get(t.type)?.discoverLast)];
  if (options.discovery) {
    for (const r of last) late.push(...(await r.discover(tree, context)).filter(keep));
  }
  await addAll(late);
  return side;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "." : path.slice(0, i);
}
