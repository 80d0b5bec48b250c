/**
 * Keys the config once had and must not have any more. Each is refused with its own message
 * (what to do instead) rather than the schema's generic "unknown key", so a team upgrading
 * Shipshape learns where the setting went.
 */
export interface RetiredKey {
  segments: readonly string[];
  /** Why it is gone and where to set it instead. */
  detail: string;
}

export const RETIRED_KEYS: readonly RetiredKey[] = [
  {
    segments: ["render", "binaries"],
    detail:
      "is no longer read from the config: a repository (and a pull request can change one) must not choose which programs " +
      "Shipshape runs. Set binaries where Shipshape runs instead: the CLI flags --helm, --kustomize and --kubectl, or the " +
      "environment variables SHIPSHAPE_HELM, SHIPSHAPE_KUSTOMIZE and SHIPSHAPE_KUBECTL (CLI, App and Action); " +
      "then remove render.binaries from this file",
  },
];

/** The first retired key present in `raw`, if any. */
export function findRetiredKey(raw: Record<string, unknown>): RetiredKey | undefined {
  return RETIRED_KEYS.find((key) => has(raw, key.segments));
}

function has(value: unknown, segments: readonly string[]): boolean {
  let current = value;
  for (const segment of segments) {
    if (typeof current !== "object" || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return true;
}
