import { createHash } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { RiskReason } from "../../src/core/model/risk.js";
import { hasStickyMarker, parsePartMarker, partMarker, STICKY_MARKER, stickyMarkers } from "../../src/github/markers.js";
import { decodeState, emptyState, encodeState, encodeStateDetailed, MAX_STATE_PAYLOAD, type StickyState } from "../../src/github/state.js";

const hash = (seed: string) => createHash("sha256").update(seed).digest("hex");

function reason(i: number, overrides: Partial<RiskReason> = {}): RiskReason {
  return {
    ruleId: "rbac-changed",
    level: "high",
    category: "rbac",
    target: "apps/shop",
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    namespace: "shop",
    name: `deployer-${i}`,
    message: `Role shop/deployer-${i} gains verbs: patch`,
    itemHash: hash(`reason-${i}`),
    approvers: ["alice", "team:org/security"],
    approval: { count: 2, allowAuthor: false, acceptReviews: false, minPermission: "write" },
    ...overrides,
  };
}

const sample: StickyState = {
  version: 1,
  headSha: "0123456789abcdef0123456789abcdef01234567",
  riskDigest: hash("digest"),
  riskLevel: "high",
  reasons: [reason(1), reason(2, { level: "critical", approvers: [] })],
  approvals: [
    { user: "alice", itemHashes: [hash("reason-1")], via: "command", at: "2025-03-01T10:00:00Z", reason: "checked with the owners" },
    { user: "bob", itemHashes: [hash("reason-1"), hash("reason-2")], via: "review", at: "2025-03-01T11:00:00Z" },
  ],
  waivers: [
    { rule: "schema/invalid", by: "carol", reason: "CRD applied out of band", at: "2025-03-01T12:00:00Z" },
    { rule: "0123456789ab", findingId: "0123456789ab", by: "dave", reason: "false positive", at: "2025-03-01T13:00:00Z" },
  ],
  reviewsRequested: ["alice", "team:org/security"],
};

/** A state line around a JSON value, for shape tests. */
function lineFor(json: unknown): string {
  return `<!-- shipshape:state v1 ${deflateRawSync(Buffer.from(JSON.stringify(json))).toString("base64url")} -->`;
}

describe("encodeState / decodeState", () => {
  it("round-trips a state", () => {
    const line = encodeState(sample);
    expect(line).toMatch(/^<!-- shipshape:state v1 [A-Za-z0-9_-]+ -->$/);
    expect(decodeState(line)).toEqual({ ok: true, state: sample });
  });

  it("finds the state inside the sticky comment", () => {
    const body = `${STICKY_MARKER}\n${partMarker(1, 1)}\n## Shipshape\n\nAll good.\n\n${encodeState(sample)}\n`;
    expect(decodeState(body)).toEqual({ ok: true, state: sample });
  });

  it("round-trips the empty state", () => {
    expect(emptyState("abc")).toEqual({ version: 1, headSha: "abc", riskDigest: "", riskLevel: "none", reasons: [], approvals: [], waivers: [], reviewsRequested: [] });
    expect(decodeState(encodeState(emptyState("abc")))).toEqual({ ok: true, state: emptyState("abc") });
  });

  it("encodes equal states equally, whatever their key order, and keeps only known fields", () => {
    const shuffled = { waivers: sample.waivers, reviewsRequested: sample.reviewsRequested, approvals: sample.approvals, reasons: sample.reasons, riskLevel: sample.riskLevel, riskDigest: sample.riskDigest, headSha: sample.headSha, version: 1 as const, extra: "dropped" };
    expect(encodeState(shuffled)).toBe(encodeState(sample));
  });

  it("drops unknown fields when decoding", () => {
    const json = { ...sample, future: true, reasons: [{ ...reason(1), extra: 1 }], approvals: [{ ...sample.approvals[1], note: "x" }] };
    expect(decodeState(lineFor(json))).toEqual({ ok: true, state: { ...sample, reasons: [reason(1)], approvals: [sample.approvals[1]] } });
  });

  it("reads the first state line", () => {
    const body = `${encodeState(sample)}\n${encodeState(emptyState("other"))}`;
    expect(decodeState(body)).toEqual({ ok: true, state: sample });
  });

  it("fits the state in the bound untouched when it is small", () => {
    expect(encodeStateDetailed(sample)).toEqual({ text: encodeState(sample) });
  });
});

describe("decodeState: what it refuses", () => {
  const bomb = deflateRawSync(Buffer.alloc(2_000_000)).toString("base64url");
  const truncated = deflateRawSync(Buffer.from(JSON.stringify(sample))).toString("base64url").slice(0, 40);
  const cases: { name: string; body: unknown; reason: string }[] = [
    { name: "no marker", body: "## Shipshape\n\nNo state here.", reason: "no state marker in the comment" },
    { name: "not a string", body: undefined, reason: "no comment body" },
    { name: "malformed marker", body: "<!-- shipshape:state v1 a+b/c -->", reason: "malformed state marker" },
    { name: "unterminated marker", body: "<!-- shipshape:state v1 abcd", reason: "malformed state marker" },
    { name: "unknown version", body: "<!-- shipshape:state v2 abcd -->", reason: "unsupported state version v2" },
    { name: "empty payload", body: "<!-- shipshape:state v1  -->", reason: "state payload is not valid base64url" },
    { name: "impossible base64 length", body: "<!-- shipshape:state v1 abcde -->", reason: "state payload is not valid base64url" },
    { name: "not deflate", body: `<!-- shipshape:state v1 ${Buffer.from("hello").toString("base64url")} -->`, reason: "state payload is not valid deflate data" },
    { name: "cut deflate stream", body: `<!-- shipshape:state v1 ${truncated} -->`, reason: "state payload is not valid deflate data" },
    { name: "deflate bomb", body: `<!-- shipshape:state v1 ${bomb} -->`, reason: "state inflates to more than 1 MB" },
    { name: "too long to be ours", body: `<!-- shipshape:state v1 ${"A".repeat(70_000)} -->`, reason: "state payload too large" },
    { name: "not JSON", body: `<!-- shipshape:state v1 ${deflateRawSync(Buffer.from("{nope")).toString("base64url")} -->`, reason: "state is not valid JSON" },
    { name: "not UTF-8", body: `<!-- shipshape:state v1 ${deflateRawSync(Buffer.from([0x22, 0xff, 0x22])).toString("base64url")} -->`, reason: "state is not valid JSON" },
    { name: "not an object", body: lineFor([1, 2]), reason: "state: must be an object" },
    { name: "newer version inside", body: lineFor({ ...sample, version: 2 }), reason: "state: unsupported state version 2" },
    { name: "version as a string", body: lineFor({ ...sample, version: "1" }), reason: "state: version: must be 1" },
    { name: "missing headSha", body: lineFor({ ...sample, headSha: undefined }), reason: "state: headSha: must be a string" },
    { name: "unknown risk level", body: lineFor({ ...sample, riskLevel: "severe" }), reason: "state: riskLevel: must be a risk level" },
    { name: "reasons not an array", body: lineFor({ ...sample, reasons: {} }), reason: "state: reasons: must be an array" },
    { name: "reason not an object", body: lineFor({ ...sample, reasons: ["x"] }), reason: "state: reasons[0]: must be an object" },
    { name: "reason level", body: lineFor({ ...sample, reasons: [reason(1), { ...reason(2), level: 3 }] }), reason: "state: reasons[1].level: must be a risk level" },
    { name: "reason approvers", body: lineFor({ ...sample, reasons: [{ ...reason(1), approvers: [1] }] }), reason: "state: reasons[0].approvers: must be an array of strings" },
    {
      name: "approval count",
      body: lineFor({ ...sample, reasons: [{ ...reason(1), approval: { count: 0, allowAuthor: false, acceptReviews: true, minPermission: "write" } }] }),
      reason: "state: reasons[0].approval.count: must be an integer >= 1",
    },
    {
      name: "approval flag",
      body: lineFor({ ...sample, reasons: [{ ...reason(1), approval: { count: 1, allowAuthor: "no", acceptReviews: true, minPermission: "write" } }] }),
      reason: "state: reasons[0].approval.allowAuthor: must be a boolean",
    },
    { name: "approval via", body: lineFor({ ...sample, approvals: [sample.approvals[0], { ...sample.approvals[1], via: "email" }] }), reason: "state: approvals[1].via: must be one of command, review, button" },
    { name: "approval reason", body: lineFor({ ...sample, approvals: [{ ...sample.approvals[0], reason: 5 }] }), reason: "state: approvals[0].reason: must be a string" },
    { name: "waiver finding id", body: lineFor({ ...sample, waivers: [{ ...sample.waivers[0], findingId: 5 }] }), reason: "state: waivers[0].findingId: must be a string" },
    { name: "waiver without reason", body: lineFor({ ...sample, waivers: [{ ...sample.waivers[0], reason: undefined }] }), reason: "state: waivers[0].reason: must be a string" },
    { name: "reviews requested", body: lineFor({ ...sample, reviewsRequested: [1] }), reason: "state: reviewsRequested: must be an array of strings" },
    { name: "incomplete flag", body: lineFor({ ...sample, incomplete: "yes" }), reason: "state: incomplete: must be a boolean" },
  ];
  it.each(cases)("$name", ({ body, reason }) => {
    expect(decodeState(body as string)).toEqual({ ok: false, reason });
  });
});

describe("encodeState: staying within the bound", () => {
  /** Pseudo-random text: compresses as badly as real prose at worst. */
  const noise = (seed: string, length: number) => {
    let out = "";
    for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}/${i}`).digest("base64");
    return out.slice(0, length);
  };
  const payloadOf = (line: string) => line.slice("<!-- shipshape:state v1 ".length, -" -->".length);
  const decoded = (line: string): StickyState => {
    const result = decodeState(line);
    if (!result.ok) throw new Error(result.reason);
    return result.state;
  };

  it("empties reason messages first", () => {
    const state: StickyState = { ...sample, reasons: Array.from({ length: 120 }, (_, i) => reason(i, { message: noise(`m${i}`, 300) })) };
    const { text, trimmed } = encodeStateDetailed(state);
    expect(payloadOf(text).length).toBeLessThanOrEqual(MAX_STATE_PAYLOAD);
    expect(trimmed).toEqual({ messages: true, details: false, reviewsRequested: false, approvalsDropped: 0, waiversDropped: 0, reasons: false });
    expect(decoded(text)).toEqual({ ...state, reasons: state.reasons.map((r) => ({ ...r, message: "" })) });
  });

  it("then the oldest approvals, keeping the order of the rest", () => {
    const approvals = Array.from({ length: 400 }, (_, i) => ({
      user: `user${i}`,
      itemHashes: [hash(`approved-${i}`)],
      via: "command" as const,
      // Out of order on purpose: the oldest are spread through the list.
      at: new Date(Date.UTC(2025, 0, 1) + ((i * 7919) % 400) * 60_000).toISOString(),
    }));
    const state: StickyState = { ...sample, approvals };
    const { text, trimmed } = encodeStateDetailed(state);
    expect(payloadOf(text).length).toBeLessThanOrEqual(MAX_STATE_PAYLOAD);
    const kept = decoded(text).approvals;
    expect(trimmed?.approvalsDropped).toBe(400 - kept.length);
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(400);
    const newest = [...approvals].sort((a, b) => a.at.localeCompare(b.at)).slice(400 - kept.length);
    expect(kept).toEqual(approvals.filter((a) => newest.includes(a)));
    expect(decoded(text).reasons.every((r) => r.message === "" && r.name === "" && r.itemHash !== "")).toBe(true);
    expect(decoded(text).reviewsRequested).toEqual([]);
    expect(decoded(text).waivers).toEqual(sample.waivers);
  });

  it("drops all reasons and marks the state incomplete when the reasons alone do not fit", () => {
    const state: StickyState = { ...sample, reasons: Array.from({ length: 800 }, (_, i) => reason(i)) };
    const { text, trimmed } = encodeStateDetailed(state);
    expect(payloadOf(text).length).toBeLessThanOrEqual(MAX_STATE_PAYLOAD);
    expect(trimmed).toEqual({ messages: true, details: true, reviewsRequested: true, approvalsDropped: 0, waiversDropped: 0, reasons: true });
    expect(decoded(text)).toEqual({ ...sample, reasons: [], reviewsRequested: [], incomplete: true });
  });
});

describe("sticky markers", () => {
  it("writes the markers", () => {
    expect(STICKY_MARKER).toBe("<!-- shipshape:sticky -->");
    expect(partMarker(2, 3)).toBe("<!-- shipshape:sticky part=2/3 -->");
    expect(stickyMarkers(1, 3)).toBe("<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/3 -->");
    expect(stickyMarkers(3, 3)).toBe("<!-- shipshape:sticky part=3/3 -->");
    expect(hasStickyMarker(`${stickyMarkers(1, 1)}\nx`)).toBe(true);
    // Markers are read where Shipshape writes them, at the start, never further down.
    expect(hasStickyMarker(`x\n${stickyMarkers(1, 1)}`)).toBe(false);
    expect(hasStickyMarker(partMarker(2, 2))).toBe(false);
  });

  const cases: [string, { part: number; total: number } | undefined][] = [
    ["<!-- shipshape:sticky part=2/3 -->\nbody", { part: 2, total: 3 }],
    [`${STICKY_MARKER}\n<!-- shipshape:sticky part=1/12 -->`, { part: 1, total: 12 }],
    ["<!-- shipshape:sticky part=4/3 -->", undefined],
    ["<!-- shipshape:sticky part=0/3 -->", undefined],
    ["<!-- shipshape:sticky part=01/3 -->", undefined],
    ["<!-- shipshape:sticky part=2/3-->", undefined],
    ["<!-- shipshape:sticky part=99999/99999 -->", undefined],
    [STICKY_MARKER, undefined],
    ["", undefined],
    [`quoted:\n<!-- shipshape:sticky part=2/3 -->`, undefined],
    [`${STICKY_MARKER}\n<!-- shipshape:sticky part=2/3 -->`, undefined],
    [`<!-- shipshape:sticky part=1/3 -->`, undefined],
  ];
  it.each(cases)("parsePartMarker(%j)", (body, want) => {
    expect(parsePartMarker(body)).toEqual(want);
  });
});
