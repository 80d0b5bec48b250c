/**
 * Hidden markers that identify Shipshape's sticky pull-request comment. A long report is
 * split over several comments: every part carries `part=i/N`, and the first part also
 * carries STICKY_MARKER, so the publisher can find, update and prune all of them.
 *
 * Markers are read only where Shipshape writes them: the first line of a part (the first
 * two of part 1), in a comment authored by the app itself (the App and the Action post as
 * different users). The same text anywhere else in a body — pasted by someone, or carried in
 * by repository content — is never looked at.
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

/** Whether the body starts as part 1 does. */
export function hasStickyMarker(body: string): boolean {
  return lineAt(body, 0) === STICKY_MARKER;
}

/**
 * The part a body says it is, from its first lines only: part 1 starts with STICKY_MARKER and
 * its part marker, later parts with their part marker (1 < part ≤ total ≤ 9999).
 */
export function parsePartMarker(body: string): { part: number; total: number } | undefined {
  const first = lineAt(body, 0);
  if (first === STICKY_MARKER) {
    const marker = parseMarkerLine(lineAt(body, 1));
    return marker?.part === 1 ? marker : undefined;
  }
  const marker = parseMarkerLine(first);
  return marker && marker.part > 1 ? marker : undefined;
}

function parseMarkerLine(line: string | undefined): { part: number; total: number } | undefined {
  const match = /^<!-- shipshape:sticky part=([1-9]\d{0,3})\/([1-9]\d{0,3}) -->$/.exec(line ?? "");
  if (!match) return undefined;
  const part = Number(match[1]);
  const total = Number(match[2]);
  return part <= total ? { part, total } : undefined;
}

/** Line `index` (0-based) of the body, without scanning past it; undefined if the body is shorter. */
export function lineAt(body: string, index: number): string | undefined {
  let start = 0;
  for (let i = 0; i < index; i++) {
    const next = body.indexOf("\n", start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = body.indexOf("\n", start);
  return body.slice(start, end < 0 ? body.length : end);
}
