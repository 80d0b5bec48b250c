/**
 * The one Shipshape comment on a pull request. It is found by a hidden marker at the start of
 * a comment whose author is Shipshape (markers anywhere else, or in anyone else's comments,
 * are ignored), edited in place only when its body changes, and split into numbered parts
 * above GitHub's 65,536-character limit; parts no longer needed are deleted. The first part
 * carries the hidden state on its third line, and nowhere else is a state read from.
 */
import { httpStatus, type GitHubApi, type PullRequestRef } from "./api.js";
import { isAuthor, type Author, type Identity } from "./identity.js";
import { hasStickyMarker, lineAt, parsePartMarker, partMarker, STICKY_MARKER } from "./markers.js";
import { listAll } from "./paginate.js";
import { splitComment } from "./split.js";
import { decodeState, encodeState, type StateKey, type StickyState } from "./state.js";

export const COMMENT_LIMIT = 65_536;

export interface IssueComment extends Author {
  id: number;
  body?: string | null;
  html_url?: string;
}

export interface StickyPart {
  id: number;
  body: string;
  part: number;
  total: number;
  /** Written by this identity (its state is trusted) rather than by the other Shipshape publisher. */
  own: boolean;
}

export interface Sticky {
  parts: StickyPart[];
  /** Decoded from our own first part only. */
  state?: StickyState;
  /** Why a state was present but not used, for logs. */
  stateProblem?: string;
  url?: string;
}

/**
 * `others` are identities whose Shipshape comment is taken over (replaced) but whose state is
 * not trusted: the App adopts the Action's comment and vice versa, so moving between them
 * never leaves two comments.
 */
export function findSticky(comments: readonly IssueComment[], self: Identity, others: readonly Pick<Identity, "login">[] = []): Sticky {
  const parts: StickyPart[] = [];
  let url: string | undefined;
  for (const c of comments) {
    // Line ends as GitHub may hand them back; markers are compared line by line.
    const body = (c.body ?? "").replace(/\r\n/g, "\n");
    if (!body.startsWith("<!-- shipshape:sticky")) continue;
    const own = isAuthor(c, self);
    if (!own && !others.some((o) => isAuthor(c, o))) continue;
    const marker = parsePartMarker(body);
    const part = marker?.part ?? (hasStickyMarker(body) && lineAt(body, 1)?.startsWith("<!-- shipshape:sticky") !== true ? 1 : 0);
    if (part === 0) continue;
    if (part === 1 && !url) url = c.html_url;
    parts.push({ id: c.id, body, part, total: marker?.total ?? 1, own });
  }
  // Our own comment wins over an adopted one; then lower part numbers, then the oldest.
  parts.sort((a, b) => Number(b.own) - Number(a.own) || a.part - b.part || a.id - b.id);
  const first = parts.find((p) => p.part === 1);
  if (!first?.own) return { parts, ...(url ? { url } : {}) };
  const decoded = decodeState(stateLineOf(first.body), self.stateKey);
  return decoded.ok ? { parts, state: decoded.state, ...(url ? { url } : {}) } : { parts, stateProblem: decoded.reason, ...(url ? { url } : {}) };
}

export async function loadSticky(api: GitHubApi, pr: PullRequestRef, self: Identity, others: readonly Pick<Identity, "login">[] = []): Promise<Sticky> {
  const comments = await listAll<IssueComment>(api, "GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: pr.owner, repo: pr.repo, issue_number: pr.number });
  return findSticky(comments, self, others);
}

/** Part 1's state line: its third line, where stickyBodies writes it. */
export function stateLineOf(body: string): string {
  const line = lineAt(body, 2) ?? "";
  return line.startsWith("<!-- shipshape:state ") ? line : "";
}

/** The bodies of all parts: markers first, state in part 1, content split safely. */
export function stickyBodies(markdown: string, state: StickyState, key?: StateKey): string[] {
  const stateLine = encodeState(state, key);
  return splitComment(markdown, {
    limit: COMMENT_LIMIT,
    header: (part, total) => (part === 1 ? firstHeader(total, stateLine) : `${partMarker(part, total)}\n_Part ${part} of ${total} (continued)_\n\n`),
  });
}

function firstHeader(total: number, stateLine: string): string {
  return `${STICKY_MARKER}\n${partMarker(1, total)}\n${stateLine}\n${total > 1 ? `_Part 1 of ${total}_\n\n` : ""}`;
}

/**
 * Part 1 of our comment read back as stickyBodies wrote it: the part count and the Markdown
 * after the header. Undefined for a body in any other shape.
 */
export function readFirstPart(body: string): { total: number; markdown: string } | undefined {
  const marker = parsePartMarker(body);
  const stateLine = stateLineOf(body);
  if (marker?.part !== 1 || !stateLine) return undefined;
  const header = firstHeader(marker.total, stateLine);
  return body.startsWith(header) ? { total: marker.total, markdown: body.slice(header.length) } : undefined;
}

/** Part 1 again, with new Markdown and state (same part count). */
export function firstPartBody(total: number, markdown: string, state: StickyState, key?: StateKey): string {
  return firstHeader(total, encodeState(state, key)) + markdown;
}

export interface PublishResult {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** Writes the parts: edits existing ones whose body differs, creates missing ones, deletes the rest. */
export async function publishSticky(api: GitHubApi, pr: PullRequestRef, sticky: Sticky, bodies: readonly string[]): Promise<PublishResult> {
  const result: PublishResult = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
  const byPart = new Map<number, StickyPart>();
  const extra: StickyPart[] = [];
  for (const p of sticky.parts) {
    if (byPart.has(p.part)) extra.push(p);
    else byPart.set(p.part, p);
  }
  const repo = { owner: pr.owner, repo: pr.repo };
  for (const [i, body] of bodies.entries()) {
    const existing = byPart.get(i + 1);
    byPart.delete(i + 1);
    if (!existing || !existing.own) {
      // The other publisher's comment (App ↔ Action) is replaced, not edited: an edit would
      // keep its author, and state is trusted only in a comment Shipshape itself wrote.
      await api.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: pr.number, body });
      result.created++;
      if (existing) extra.push(existing);
    } else if (existing.body === body) {
      result.unchanged++;
    } else {
      await api.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: existing.id, body });
      result.updated++;
    }
  }
  // Stale parts (a shorter report now) and duplicates left by older versions go away.
  for (const stale of [...byPart.values(), ...extra]) {
    try {
      await api.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", { ...repo, comment_id: stale.id });
      result.deleted++;
    } catch (err) {
      // Already gone, or the other publisher's: not worth failing the review for.
      if (stale.own && !isRefused(err)) throw err;
    }
  }
  return result;
}

function isRefused(err: unknown): boolean {
  const status = httpStatus(err);
  return status === 403 || status === 404;
}
