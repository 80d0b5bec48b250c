/**
 * A folder target is Shipshape's guess at what is deployed where no application says so. When a
 * change makes a GitOps application render a folder that was a target of its own (an
 * ApplicationSet's generator now matches it, an Application points at it), the folder target
 * exists in the base only; when the application goes and the folder stays, in the head only.
 * Diffed alone, that reads as every object of the folder removed (or added), which nothing in
 * the cluster does: the objects are reviewed through the application, which says what its
 * controller will create or prune. Such a target is a handover: it lists no changes and no cost,
 * and its findings count as seen where the application has the same.
 */
import type { TargetSpec } from "../model/target.js";
import type { RendererRegistry, SideTargets } from "./discover.js";

export interface Handover {
  /** The side on which the applications render the folder. */
  side: "base" | "head";
  /** Those applications (targets of that side). */
  applications: string[];
}

/** The one-sided convention targets whose folder a GitOps application renders on the other side. */
export function findHandovers(ids: readonly string[], baseSide: SideTargets, headSide: SideTargets, renderers: RendererRegistry): Map<string, Handover> {
  const out = new Map<string, Handover>();
  for (const id of ids) {
    const [inBase, inHead] = [baseSide.targets.get(id), headSide.targets.get(id)];
    if (inBase && inHead) continue;
    const spec = (inBase ?? inHead)!;
    if (!isConventionTarget(spec, renderers)) continue;
    const [side, other] = inBase ? (["head", headSide] as const) : (["base", baseSide] as const);
    const applications = (other.deployers?.get(spec.path) ?? []).filter((a) => other.targets.has(a));
    if (applications.length > 0) out.set(id, { side, applications: [...new Set(applications)].sort() });
  }
  return out;
}

/** Only what discovery found by convention is a guess; a configured or GitOps target is not. */
function isConventionTarget(spec: TargetSpec, renderers: RendererRegistry): boolean {
  return !spec.renderedFrom && !spec.definedIn && !renderers.get(spec.type)?.discoverFirst;
}

/**
 * Groups for comparing one-sided findings (moved-targets.ts): a handed-over folder and each
 * application it was handed to share one, so the application's findings the folder already had
 * are not new.
 */
export function handoverGroups(id: string, handovers: ReadonlyMap<string, Handover>): string[] {
  const own = handovers.get(id);
  if (own) return own.applications.map((a) => `handover:${a}`);
  return [...handovers.values()].some((h) => h.applications.includes(id)) ? [`handover:${id}`] : [];
}
