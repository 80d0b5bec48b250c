/**
 * Hidden markers that identify Shipshape's sticky pull-request comment. A long report is
 * split over several comments: every part carries `part=i/N`, and the first part also
 * carries STICKY_MARKER, so the publisher can find, update and prune all of them.
 *
 * Anyone can paste these markers into a comment of their own: callers match them only on
 * comments authored by the app itself (the App and the Action post as different users).
 */

export const STICKY_MARKER = "<!-- shipshape:sticky -->";

/** `<!-- shipshape:sticky part=2/3 -->` */
export function partMarker(part: number, total: number): string {
  return `<!-- shipshape:sticky part=${part}/${total} -->`;
}

/** The markers that start part `part` of `total`: the first part carries both. */
export function stickyMarkers(part: number, total: number): string {
  return part === 1 ? `${STICKY_MARKER}\n${partMarker(part, total)}` : partMarker(part, total);
}

export function hasStickyMarker(body: string): boolean {
  return body.includes(STICKY_MARKER);
}

/** The first part marker in the body, if it is well-formed (1 ≤ part ≤ total ≤ 9999). */
export function parsePartMarker(body: string): { part: number; total: number } | undefined {
  const match = /<!-- shipshape:sticky part=([1-9]\d{0,3})\/([1-9]\d{0,3}) -->/.exec(body);
  if (!match) return undefined;
  const part = Number(match[1]);
  const total = Number(match[2]);
  return part <= total ? { part, total } : undefined;
}
