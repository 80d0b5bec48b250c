/**
 * Findings the change fixes: on the base, gone from the head. "The same problem" is decided
 * exactly as for introduced findings (markIntroduced with the sides swapped), so the two
 * lists always agree on identity.
 */
import type { Finding } from "../model/finding.js";
import { markIntroduced } from "./findings.js";

/**
 * Only meaningful when both sides rendered: a head that failed to render has no findings,
 * and calling the base's all fixed would invent good news.
 */
export function resolvedFindings(head: Finding[], base: Finding[]): Finding[] {
  return markIntroduced(base, head)
    .filter((f) => f.introduced)
    .map((f) => ({ ...f, introduced: false }));
}
