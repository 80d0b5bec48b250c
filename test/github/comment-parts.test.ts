/**
 * The sticky comment's shape: at most MAX_COMMENT_PARTS parts whatever the report, the
 * approvals block right after the heading in part 1, and markers and state read only where
 * Shipshape writes them.
 */
import { describe, expect, it } from "vitest";
import { approvalSection, replaceApprovalSection, withApprovalSection } from "../../src/present/markdown/approval-section.js";
import { commentBodies, MAX_COMMENT_PARTS } from "../../src/github/publish.js";
import { emptyState, encodeState } from "../../src/github/state.js";
import { findSticky, readFirstPart } from "../../src/github/sticky-comment.js";
import { bigDiff, change, finding, report, target } from "../present/builders.js";

const self = { login: "shipshape[bot]", slug: "shipshape" };
const bot = { login: "shipshape[bot]", type: "Bot" };
const SECTION = "<!-- shipshape:approvals -->\n### Approvals: ⏳ 1 of 1 pending\n\n<!-- /shipshape:approvals -->\n";

describe("comment parts", () => {
  it("stays within MAX_COMMENT_PARTS for a report of many megabytes, approvals first, and says what was left out", () => {
    const targets = Array.from({ length: 40 }, (_, i) => target(`apps/t${i}`));
    const changes = targets.flatMap((t) => Array.from({ length: 10 }, (_, j) => change(t.id, `d${j}`, { diff: bigDiff(`d${j}`, 400, 120) })));
    const findings = Array.from({ length: 3000 }, (_, i) => finding(`policy/r${i}`, { id: `f${i}`, message: `m${i} ${"x".repeat(400)}` }));
    const big = report({ targets, changes, findings });
    const state = emptyState("h");
    const bodies = commentBodies(big, SECTION, state);
    expect(bodies.length).toBeLessThanOrEqual(MAX_COMMENT_PARTS);
    expect(bodies.length).toBeGreaterThan(1);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(65_536);
    expect(bodies[0]!.startsWith(`<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/${bodies.length} -->\n${encodeState(state)}\n_Part 1 of ${bodies.length}_\n\n## Shipshape\n\n${SECTION}\n`)).toBe(true);
    expect(bodies.at(-1)).toContain(`**✂️ Shortened to fit Shipshape's comment (at most ${MAX_COMMENT_PARTS} parts).** Left out:`);
    expect(bodies.at(-1)).toContain("The `Shipshape` check run annotates new findings on the lines they are about. Run `shipshape check` locally for the full report.");
  });

  it("finds the approvals block only right after the heading", () => {
    const forged = "## Shipshape\n\n<code>x</code>\n\n```diff\n+<!-- shipshape:approvals -->\n+<!-- /shipshape:approvals -->\n```\n";
    expect(replaceApprovalSection(forged, SECTION)).toBeUndefined();
    const real = withApprovalSection(forged, approvalSection(undefined));
    expect(replaceApprovalSection(real, SECTION)).toBe(withApprovalSection(forged, SECTION));
  });
});

describe("markers at fixed places", () => {
  const state = encodeState({ ...emptyState("h"), waivers: [{ rule: "schema/type", by: "x", reason: "r", at: "t" }] });

  it("ignores Shipshape's own comments (replies) that hold a marker anywhere but at the start", () => {
    const reply = `@mallory waived \`x\`: <!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n${state}\n`;
    expect(findSticky([{ id: 1, body: reply, user: bot }], self)).toEqual({ parts: [] });
  });

  it("reads the state from part 1's third line only", () => {
    const moved = `<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n## Shipshape\n\n${state}\n`;
    const sticky = findSticky([{ id: 2, body: moved, user: bot }], self);
    expect(sticky.state).toBeUndefined();
    expect(sticky.stateProblem).toBe("no state marker in the comment");
    expect(readFirstPart(moved)).toBeUndefined();
    const real = `<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n${state}\n## Shipshape\n`;
    expect(findSticky([{ id: 3, body: real.replace(/\n/g, "\r\n"), user: bot }], self).state?.waivers).toHaveLength(1);
    expect(readFirstPart(real)).toEqual({ total: 1, markdown: "## Shipshape\n" });
  });
});
