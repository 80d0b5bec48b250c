/**
 * Standalone renders for coverage. A base or overlay that other kustomizations build on is
 * not a target of its own: it is reviewed through its users. When every user that reads a
 * changed file fails (kubeflow's umbrella `example` is blocked by an unrelated remote base),
 * the change would be reviewed by nobody. So the review renders the nearest part between
 * the changed file and those users that builds on its own, and says so in the report.
 *
 * "Nearest" is the part with the fewest input files: a kustomization that builds on another
 * reads all of that one's files and more, so fewer files means closer to the changed file.
 */
import type { TargetSpec } from "../model/target.js";
import type { InputSet, Tree } from "../ports.js";
import type { RendererRegistry, SideTargets } from "./discover.js";

/** Renders tried at most per review, so a broken umbrella over hundreds of parts stays cheap. */
export const MAX_STANDALONE_RENDERS = 12;

/** An affected target after its render. */
export interface RenderedUser {
  id: string;
  spec: TargetSpec;
  /** Rendered on both sides (or on the only side it exists on): the files it reads are reviewed. */
  ok: boolean;
  /** Failed in a way a smaller render may get around (not the budget, not a broken tool). */
  retry: boolean;
}

export interface StandaloneRequest<T> {
  changed: ReadonlySet<string>;
  users: readonly RenderedUser[];
  base: Tree;
  head: Tree;
  baseSide: SideTargets;
  headSide: SideTargets;
  renderers: RendererRegistry;
  /** Renders a part on both sides (it is in both side maps by then); ok when both rendered. */
  render(spec: TargetSpec): Promise<{ ok: boolean; value: T }>;
}

export interface StandaloneResult<T> {
  /** Parts that rendered alone, with the failed users they stand in for. */
  accepted: { spec: TargetSpec; users: string[]; value: T }[];
  /** Changed file → the parts that were rendered alone for it and failed too. */
  failed: Map<string, string[]>;
}

interface Candidate {
  spec: TargetSpec;
  users: Set<string>;
  files: Set<string>;
  base?: InputSet;
  head?: InputSet;
}

export async function renderStandalone<T>(request: StandaloneRequest<T>): Promise<StandaloneResult<T>> {
  const result: StandaloneResult<T> = { accepted: [], failed: new Map() };
  const covered = new Set<string>();
  for (const u of request.users.filter((u) => u.ok)) for (const f of readBy(u.id, request)) covered.add(f);
  const uncovered = new Map<string, Set<string>>();
  for (const u of request.users.filter((u) => !u.ok && u.retry)) {
    for (const f of readBy(u.id, request)) {
      if (!request.changed.has(f) || covered.has(f)) continue;
      uncovered.set(f, (uncovered.get(f) ?? new Set()).add(u.id));
    }
  }
  if (uncovered.size === 0) return result;
  const candidates = await candidatesFor(request, new Set([...uncovered.values()].flatMap((s) => [...s])));
  const tried = new Set<string>();
  while (uncovered.size > 0 && tried.size < MAX_STANDALONE_RENDERS) {
    const round = new Map<string, Candidate>();
    for (const [file, users] of uncovered) {
      const next = candidates.filter((c) => !tried.has(c.spec.id) && c.files.has(file) && [...users].some((u) => c.users.has(u)))[0];
      if (next) round.set(next.spec.id, next);
    }
    if (round.size === 0) break;
    const picks = [...round.values()].slice(0, MAX_STANDALONE_RENDERS - tried.size);
    for (const c of picks) tried.add(c.spec.id);
    await Promise.all(
      picks.map(async (c) => {
        addToSides(request, c);
        const rendered = await request.render(c.spec);
        const mine = [...uncovered.keys()].filter((f) => c.files.has(f));
        if (!rendered.ok) {
          removeFromSides(request, c);
          for (const f of mine) result.failed.set(f, [...(result.failed.get(f) ?? []), c.spec.id]);
          return;
        }
        const users = new Set(mine.flatMap((f) => [...uncovered.get(f)!]).filter((u) => c.users.has(u)));
        result.accepted.push({ spec: c.spec, users: [...users].sort(), value: rendered.value });
        for (const f of mine) uncovered.delete(f);
      }),
    );
  }
  result.accepted.sort((a, b) => (a.spec.id < b.spec.id ? -1 : 1));
  return result;
}

function readBy(id: string, request: StandaloneRequest<unknown>): Set<string> {
  return new Set([...(request.baseSide.inputs.get(id)?.files ?? []), ...(request.headSide.inputs.get(id)?.files ?? [])]);
}

/** Every part of the failed users that is not a target already, nearest first, with its inputs on both sides. */
async function candidatesFor(request: StandaloneRequest<unknown>, failedUsers: Set<string>): Promise<Candidate[]> {
  const byId = new Map<string, Candidate>();
  for (const user of request.users.filter((u) => failedUsers.has(u.id))) {
    const renderer = request.renderers.get(user.spec.type);
    if (!renderer?.parts) continue;
    for (const [tree, side] of [[request.head, request.headSide], [request.base, request.baseSide]] as const) {
      const inputs = side.inputs.get(user.id);
      if (!inputs) continue;
      for (const spec of await renderer.parts(user.spec, tree, inputs)) {
        if (request.headSide.targets.has(spec.id) || request.baseSide.targets.has(spec.id)) continue;
        const known = byId.get(spec.id);
        if (known) known.users.add(user.id);
        else byId.set(spec.id, { spec, users: new Set([user.id]), files: new Set() });
      }
    }
  }
  const candidates = [...byId.values()];
  await Promise.all(
    candidates.map(async (c) => {
      const renderer = request.renderers.get(c.spec.type)!;
      const [b, h] = await Promise.all([
        request.base.hasDir(c.spec.path) ? renderer.inputs(c.spec, request.base) : undefined,
        request.head.hasDir(c.spec.path) ? renderer.inputs(c.spec, request.head) : undefined,
      ]);
      if (b) c.base = b;
      if (h) c.head = h;
      c.files = new Set([...(b?.files ?? []), ...(h?.files ?? [])]);
    }),
  );
  // A part blocked on its own (a remote base of its own) cannot stand in; nearest first.
  return candidates
    .filter((c) => (c.head ?? c.base) && (c.head?.blocking.length ?? 0) === 0 && (c.base?.blocking.length ?? 0) === 0)
    .sort((a, b) => (a.head?.files.size ?? a.files.size) - (b.head?.files.size ?? b.files.size) || (a.spec.id < b.spec.id ? -1 : 1));
}

function addToSides(request: StandaloneRequest<unknown>, c: Candidate): void {
  if (c.base) {
    request.baseSide.targets.set(c.spec.id, c.spec);
    request.baseSide.inputs.set(c.spec.id, c.base);
  }
  if (c.head) {
    request.headSide.targets.set(c.spec.id, c.spec);
    request.headSide.inputs.set(c.spec.id, c.head);
  }
}

function removeFromSides(request: StandaloneRequest<unknown>, c: Candidate): void {
  for (const side of [request.baseSide, request.headSide]) {
    side.targets.delete(c.spec.id);
    side.inputs.delete(c.spec.id);
  }
}
