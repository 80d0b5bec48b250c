/**
 * What every pull request must end with, however many processes reviewed it: no check run left
 * queued or in progress, and for the newest head exactly one published review — one `Shipshape`
 * check run, completed with the analysis; one sticky comment whose state is that head's; one
 * inline review on that commit, no inline comment twice — and nothing published for an older
 * head. A worker killed mid-publish may have completed a check run that its successor then
 * completes again with the same result: what the pull request shows is still one review.
 */
import { expect } from "vitest";
import { decodeState } from "../../../src/github/state.js";
import type { FakeGitHubServer } from "../../../scripts/bench/fake-github-server.mjs";

/** Pull request number → the head sha it must end reviewed at. */
export type NewestHeads = ReadonlyMap<number, string>;

export function allPublished(gh: FakeGitHubServer, heads: NewestHeads): boolean {
  if (gh.openChecks().length > 0) return false;
  for (const [pr, sha] of heads) {
    const main = gh.check("Shipshape", sha);
    if (main?.status !== "completed") return false;
    if (!gh.reviews.some((r) => r.pr === pr && r.commit_id === sha)) return false;
    const comment = gh.comments.find((c) => c.pr === pr);
    if (!comment) return false;
    const state = decodeState(comment.body);
    if (!state.ok || state.state.headSha !== sha) return false;
  }
  return true;
}

/** A readable account of where each pull request stands, for timeout messages. */
export function describe(gh: FakeGitHubServer, heads: NewestHeads): string {
  const lines = [...heads].map(([pr, sha]) => {
    const runs = gh.checkRuns.filter((c) => c.head_sha === sha).map((c) => `${c.name}=${c.status}/${c.conclusion ?? "-"}`);
    return `#${pr} ${sha.slice(0, 10)}: ${runs.join(", ") || "no check runs"}; reviews ${gh.reviews.filter((r) => r.pr === pr).length}; comments ${gh.comments.filter((c) => c.pr === pr).length}`;
  });
  const open = gh.openChecks().map((c) => `${c.name}@${c.head_sha.slice(0, 10)}`);
  return [...lines, `open checks: ${open.join(", ") || "none"}`, `unexpected: ${gh.unexpected.join(", ") || "none"}`].join("\n");
}

/** Resolves once `quietMs` pass with no request to the fake GitHub (a duplicate publish would show here). */
export async function settle(gh: FakeGitHubServer, quietMs = 1500, maxMs = 15_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const last = gh.requests.at(-1)?.at ?? 0;
    if (Date.now() - last >= quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function expectPublishedOnce(gh: FakeGitHubServer, heads: NewestHeads, superseded: readonly string[] = []): void {
  expect(gh.unexpected).toEqual([]);
  expect(gh.openChecks().map((c) => `${c.name}@${c.head_sha}`)).toEqual([]);
  for (const [pr, sha] of heads) {
    const mains = gh.checkRuns.filter((c) => c.name === "Shipshape" && c.head_sha === sha);
    expect(mains, `#${pr}: one Shipshape check run for ${sha}`).toHaveLength(1);
    const titles = new Set(mains[0]!.updates.filter((u) => u.conclusion).map((u) => u.output?.title));
    expect([...titles], `#${pr}: the Shipshape check completed with one analysis`).toHaveLength(1);
    expect(mains[0]!.output?.title, `#${pr}: the check carries the analysis`).toMatch(/risk/);
    const inline = gh.reviewComments.filter((c) => c.pr === pr).map((c) => c.body);
    expect(new Set(inline).size, `#${pr}: no inline comment posted twice`).toBe(inline.length);
    expect(gh.reviews.filter((r) => r.pr === pr).map((r) => r.commit_id), `#${pr}: one inline review, on the newest head`).toEqual([sha]);
    const comments = gh.comments.filter((c) => c.pr === pr);
    expect(comments, `#${pr}: one sticky comment`).toHaveLength(1);
    const state = decodeState(comments[0]!.body);
    expect(state.ok && state.state.headSha, `#${pr}: the comment's state is the newest head's`).toBe(sha);
  }
  for (const old of superseded) {
    expect(gh.reviews.filter((r) => r.commit_id === old), `nothing published for the older head ${old}`).toEqual([]);
    const runs = gh.checkRuns.filter((c) => c.head_sha === old);
    for (const run of runs) expect(run.conclusion, `${run.name}@${old} is not reported as a review`).toMatch(/neutral|cancelled|skipped/);
  }
}
