/**
 * GitOps applications of the base that the head does not have are removed — unless a target of
 * the head that did not render defines them. khuedoan/homelab moved its ApplicationSets from a
 * root chart into the values of its Argo CD chart, whose dependency is on a host the config
 * does not allow: every Application read as deleted with its objects. Shipshape cannot tell
 * which applications such a target would define; it says that the removals are not verified,
 * names the targets that did not render and what to do. The risk reasons stay: a person checks.
 */
import type { Finding } from "../model/finding.js";
import type { RendererRegistry, SideTargets } from "./discover.js";
import { problemToFinding } from "./findings.js";
import { count } from "../words.js";

/** Applications and ApplicationSets named in full; the rest are counted. */
const LISTED = 5;

/** `headNotRendered`: affected targets of the head that did not render, less the folders of the vanished applications themselves (handovers). */
export function vanishedApplicationsFinding(baseSide: SideTargets, headSide: SideTargets, renderers: RendererRegistry, headNotRendered: readonly string[]): Finding | undefined {
  if (headNotRendered.length === 0) return undefined;
  const vanished = [...baseSide.targets.values()].filter((t) => !headSide.targets.has(t.id) && renderers.get(t.type)?.discoverFirst).map((t) => t.id).sort();
  if (vanished.length === 0) return undefined;
  const failed = [...headNotRendered].sort();
  return problemToFinding(
    {
      ruleId: "gitops/removal-unverified",
      severity: "warning",
      message:
        `${count(vanished.length, "GitOps application")} of the base ${vanished.length === 1 ? "is" : "are"} not in the head (${listed(vanished)}), ` +
        `and ${count(failed.length, "target")} of the head did not render (${listed(failed)}): ` +
        `an application ${failed.length === 1 ? "it" : "they"} would define is not seen, so these removals are not verified. ` +
        "Make those targets render (allow their chart hosts in gitops.allowedHosts, vendor their dependencies) to review them.",
    },
    failed[0]!,
  );
}

function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED).join(", ");
  return ids.length > LISTED ? `${shown} and ${ids.length - LISTED} more` : shown;
}
