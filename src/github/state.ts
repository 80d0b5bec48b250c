/**
 * Machine-readable state kept in the sticky pull-request comment, as one hidden line:
 * `<!-- shipshape:state v1 <payload> -->`, payload = base64url(deflateRaw(JSON)). It
 * remembers what a later event (a `/shipshape approve`, a review) needs without a full
 * re-run: the risk reasons that need approval, the approvals and waivers given, and the
 * reviews already requested.
 *
 * Trust: anyone can paste such a line into a comment, and people with write access can edit
 * the bot's own comments. The caller decodes only comments authored by the app itself; with a
 * key (the App) the line carries an HMAC and an edited state is refused; this module checks
 * the signature and that the payload is well-formed.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { isRiskLevel, type ApprovalRequirement, type MinPermission, type RiskLevel, type RiskReason } from "../core/model/risk.js";
import { MIN_PERMISSIONS } from "../core/risk/permission.js";

/** A risk reason as stored: the same type, so stored and fresh reasons compare directly. */
export type StoredReason = RiskReason;

export interface StoredApproval {
  user: string;
  /** The item hashes the approval covers: it goes stale when the content changes. */
  itemHashes: string[];
  via: "command" | "review" | "button";
  /** ISO timestamp. */
  at: string;
  reason?: string;
}

export interface StoredWaiver {
  /** A rule id or a 12-hex finding id. */
  rule: string;
  findingId?: string;
  by: string;
  reason: string;
  /** ISO timestamp. */
  at: string;
}

export interface StickyState {
  version: 1;
  headSha: string;
  riskDigest: string;
  riskLevel: RiskLevel;
  /** Only the reasons that need approval. */
  reasons: RiskReason[];
  approvals: StoredApproval[];
  waivers: StoredWaiver[];
  reviewsRequested: string[];
  /**
   * Set by the encoder when the reasons did not fit and were all dropped: approval status
   * must then not be computed from `reasons`; the caller re-runs the review instead.
   */
  incomplete?: true;
}

export type DecodedState = { ok: true; state: StickyState } | { ok: false; reason: string };

/** What the encoder dropped to stay within MAX_STATE_PAYLOAD. */
export interface StateTrim {
  /** Reason messages emptied. */
  messages: boolean;
  /** Reasons' descriptive fields (category, target, resource identity) emptied. */
  details: boolean;
  reviewsRequested: boolean;
  approvalsDropped: number;
  waiversDropped: number;
  /** All reasons dropped; the state is marked `incomplete`. */
  reasons: boolean;
}

export interface EncodedState {
  /** The whole `<!-- shipshape:state v1 … -->` line. */
  text: string;
  /** Undefined when nothing had to be dropped. */
  trimmed?: StateTrim;
}

/** Upper bound on the base64url payload, so the state never crowds the report out of the comment. */
export const MAX_STATE_PAYLOAD = 20_000;
/** A payload may not inflate beyond this: a small comment must not cost a lot of memory. */
export const MAX_INFLATED_BYTES = 1_048_576;

const MARKER = "<!-- shipshape:state ";

export function emptyState(headSha: string): StickyState {
  return { version: 1, headSha, riskDigest: "", riskLevel: "none", reasons: [], approvals: [], waivers: [], reviewsRequested: [] };
}

/**
 * The key that signs the state line (HMAC-SHA256). People with write access can edit any
 * comment on GitHub, the bot's included, so a state read back from Shipshape's own comment is
 * trusted only when its signature matches: an edited state (an approval added, a waiver
 * slipped in) is refused. The App derives the key from its secrets; the Action has none to
 * keep between runs, and its state is as trustworthy as the repository's workflows.
 */
export type StateKey = Uint8Array;

export function encodeState(state: StickyState, key?: StateKey): string {
  return encodeStateDetailed(state, key).text;
}

/**
 * Encodes, trimming when the payload would exceed MAX_STATE_PAYLOAD. Each step is taken
 * only if the previous ones were not enough, cheapest loss first: reason messages, the
 * reasons' descriptive fields (the comment shows both anyway), the list of requested
 * reviews, the oldest approvals, the oldest waivers; last, all reasons (marking the state
 * `incomplete`) with approvals and waivers put back as far as they fit. Every step loses
 * approvals or waivers, never adds any, so a trimmed state asks for more approval, not less.
 */
export function encodeStateDetailed(state: StickyState, key?: StateKey): EncodedState {
  const line = (payload: string) => stateLine(payload, key);
  const full = canonical(state);
  const first = payloadOf(full);
  if (first.length <= MAX_STATE_PAYLOAD) return { text: line(first) };
  const trim: StateTrim = { messages: true, details: false, reviewsRequested: false, approvalsDropped: 0, waiversDropped: 0, reasons: false };
  const noMessages: StickyState = { ...full, reasons: full.reasons.map((r) => ({ ...r, message: "" })) };
  let payload = payloadOf(noMessages);
  if (payload.length <= MAX_STATE_PAYLOAD) return { text: line(payload), trimmed: trim };
  trim.details = true;
  const bare: StickyState = { ...noMessages, reasons: noMessages.reasons.map(bareReason) };
  payload = payloadOf(bare);
  if (payload.length <= MAX_STATE_PAYLOAD) return { text: line(payload), trimmed: trim };
  trim.reviewsRequested = full.reviewsRequested.length > 0;
  const fitted = dropOldest({ ...bare, reviewsRequested: [] }, trim);
  if (fitted) return { text: line(fitted), trimmed: trim };
  trim.reasons = true;
  const withoutReasons = dropOldest({ ...bare, reviewsRequested: [], reasons: [], incomplete: true }, trim);
  // Only absurdly long shas or digests get here; the bound cannot be kept for them.
  return { text: line(withoutReasons ?? payloadOf(canonical({ ...emptyState(full.headSha), riskDigest: full.riskDigest, riskLevel: full.riskLevel, incomplete: true }))), trimmed: trim };
}

/** The payload after dropping as few of the oldest approvals, then waivers, as it takes. */
function dropOldest(state: StickyState, trim: StateTrim): string | undefined {
  const approvals = oldestFirst(state.approvals);
  const waivers = oldestFirst(state.waivers);
  const build = (a: number, w: number): StickyState => ({ ...state, approvals: keepAfter(state.approvals, approvals, a), waivers: keepAfter(state.waivers, waivers, w) });
  const a = fewestDrops(state.approvals.length, (k) => build(k, 0));
  if (a.payload) {
    trim.approvalsDropped = a.dropped;
    trim.waiversDropped = 0;
    return a.payload;
  }
  const w = fewestDrops(state.waivers.length, (k) => build(state.approvals.length, k));
  trim.approvalsDropped = state.approvals.length;
  trim.waiversDropped = w.dropped;
  return w.payload;
}

/** Binary search for the smallest drop count that fits (compressed size grows with the entries kept). */
function fewestDrops(count: number, build: (dropped: number) => StickyState): { dropped: number; payload?: string } {
  const all = payloadOf(build(count));
  if (all.length > MAX_STATE_PAYLOAD) return { dropped: count };
  let lo = 0;
  let hi = count;
  let best = all;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const payload = payloadOf(build(mid));
    if (payload.length <= MAX_STATE_PAYLOAD) {
      hi = mid;
      best = payload;
    } else {
      lo = mid + 1;
    }
  }
  return { dropped: hi, payload: hi === count ? all : best };
}

/** Indexes sorted oldest first (by `at`, then by position). */
function oldestFirst(entries: readonly { at: string }[]): number[] {
  return entries.map((_, i) => i).sort((x, y) => (entries[x]!.at < entries[y]!.at ? -1 : entries[x]!.at > entries[y]!.at ? 1 : x - y));
}

/** The entries minus the `dropped` oldest, in their original order. */
function keepAfter<T>(entries: readonly T[], order: readonly number[], dropped: number): T[] {
  const gone = new Set(order.slice(0, dropped));
  return entries.filter((_, i) => !gone.has(i));
}

function bareReason(r: RiskReason): RiskReason {
  return { ...r, category: "", target: "", apiVersion: "", kind: "", namespace: "", name: "" };
}

function stateLine(payload: string, key: StateKey | undefined): string {
  return key ? `${MARKER}v1 ${payload} ${signature(payload, key)} -->` : `${MARKER}v1 ${payload} -->`;
}

/** 192 bits of HMAC-SHA256 over the payload, base64url: a forgery needs the key. */
function signature(payload: string, key: StateKey): string {
  return createHmac("sha256", key).update(`shipshape-state-v1\n${payload}`).digest("base64url").slice(0, 32);
}

function signatureMatches(payload: string, given: string | undefined, key: StateKey): boolean {
  if (given === undefined) return false;
  const expected = Buffer.from(signature(payload, key));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function payloadOf(state: StickyState): string {
  return deflateRawSync(Buffer.from(JSON.stringify(state), "utf8"), { level: 9 }).toString("base64url");
}

/** A copy with known fields only, in a fixed order, so equal states encode equally. */
function canonical(s: StickyState): StickyState {
  return {
    version: 1,
    headSha: s.headSha,
    riskDigest: s.riskDigest,
    riskLevel: s.riskLevel,
    reasons: s.reasons.map((r) => ({
      ruleId: r.ruleId,
      level: r.level,
      category: r.category,
      target: r.target,
      apiVersion: r.apiVersion,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      message: r.message,
      itemHash: r.itemHash,
      approvers: [...r.approvers],
      ...(r.approval
        ? { approval: { count: r.approval.count, allowAuthor: r.approval.allowAuthor, acceptReviews: r.approval.acceptReviews, minPermission: r.approval.minPermission } }
        : {}),
    })),
    approvals: s.approvals.map((a) => ({ user: a.user, itemHashes: [...a.itemHashes], via: a.via, at: a.at, ...(a.reason !== undefined ? { reason: a.reason } : {}) })),
    waivers: s.waivers.map((w) => ({ rule: w.rule, ...(w.findingId !== undefined ? { findingId: w.findingId } : {}), by: w.by, reason: w.reason, at: w.at })),
    reviewsRequested: [...s.reviewsRequested],
    ...(s.incomplete ? { incomplete: true as const } : {}),
  };
}

/**
 * Reads the first state line in a comment body. Never throws. With a key, only a state
 * signed with that key is read.
 */
export function decodeState(body: string, key?: StateKey): DecodedState {
  try {
    return decode(body, key);
  } catch (err) {
    if (err instanceof ShapeError) return { ok: false, reason: `state: ${err.message}` };
    return { ok: false, reason: "state could not be read" };
  }
}

/** A comment body is at most 65,536 characters; a longer payload was not written by us. */
const MAX_PAYLOAD_READ = 65_536;

function decode(body: string, key: StateKey | undefined): DecodedState {
  if (typeof body !== "string") return { ok: false, reason: "no comment body" };
  const at = body.indexOf(MARKER);
  if (at < 0) return { ok: false, reason: "no state marker in the comment" };
  const pattern = /<!-- shipshape:state v(\d{1,6}) ([A-Za-z0-9_-]*)(?: ([A-Za-z0-9_-]{1,64}))? -->/y;
  pattern.lastIndex = at;
  const match = pattern.exec(body);
  if (!match) return { ok: false, reason: "malformed state marker" };
  if (match[1] !== "1") return { ok: false, reason: `unsupported state version v${match[1]}` };
  const payload = match[2]!;
  if (payload.length > MAX_PAYLOAD_READ) return { ok: false, reason: "state payload too large" };
  if (key && !signatureMatches(payload, match[3], key)) {
    return { ok: false, reason: "state signature does not match: the comment was edited by someone other than Shipshape" };
  }
  if (payload.length === 0 || payload.length % 4 === 1) return { ok: false, reason: "state payload is not valid base64url" };
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(Buffer.from(payload, "base64url"), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (err) {
    const tooLarge = (err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    return { ok: false, reason: tooLarge ? "state inflates to more than 1 MB" : "state payload is not valid deflate data" };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(inflated));
  } catch {
    return { ok: false, reason: "state is not valid JSON" };
  }
  return { ok: true, state: readState(json) };
}

class ShapeError extends Error {}

function readState(value: unknown): StickyState {
  const o = record(value, "");
  if (o.version !== 1) {
    throw new ShapeError(typeof o.version === "number" ? `unsupported state version ${o.version}` : "version: must be 1");
  }
  const incomplete = o.incomplete;
  if (incomplete !== undefined && typeof incomplete !== "boolean") throw new ShapeError("incomplete: must be a boolean");
  return {
    version: 1,
    headSha: str(o, "headSha", ""),
    riskDigest: str(o, "riskDigest", ""),
    riskLevel: level(o, "riskLevel", ""),
    reasons: list(o, "reasons", "", readReason),
    approvals: list(o, "approvals", "", readApproval),
    waivers: list(o, "waivers", "", readWaiver),
    reviewsRequested: strings(o, "reviewsRequested", ""),
    ...(incomplete ? { incomplete: true as const } : {}),
  };
}

function readReason(value: unknown, path: string): RiskReason {
  const o = record(value, path);
  const approval = o.approval === undefined ? undefined : readRequirement(o.approval, `${path}.approval`);
  return {
    ruleId: str(o, "ruleId", path),
    level: level(o, "level", path),
    category: str(o, "category", path),
    target: str(o, "target", path),
    apiVersion: str(o, "apiVersion", path),
    kind: str(o, "kind", path),
    namespace: str(o, "namespace", path),
    name: str(o, "name", path),
    message: str(o, "message", path),
    itemHash: str(o, "itemHash", path),
    approvers: strings(o, "approvers", path),
    ...(approval ? { approval } : {}),
  };
}

function readRequirement(value: unknown, path: string): ApprovalRequirement {
  const o = record(value, path);
  const count = o.count;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) throw new ShapeError(`${path}.count: must be an integer >= 1`);
  return { count, allowAuthor: bool(o, "allowAuthor", path), acceptReviews: bool(o, "acceptReviews", path), minPermission: minPermission(o, path) };
}

/** States written before `minPermission` existed were judged with write access as the minimum. */
function minPermission(o: Record<string, unknown>, path: string): MinPermission {
  const v = o.minPermission;
  if (v === undefined) return "write";
  if (!MIN_PERMISSIONS.some((m) => m === v)) throw new ShapeError(`${path}.minPermission: must be one of ${MIN_PERMISSIONS.join(", ")}`);
  return v as MinPermission;
}

const VIAS: readonly StoredApproval["via"][] = ["command", "review", "button"];

function readApproval(value: unknown, path: string): StoredApproval {
  const o = record(value, path);
  const via = o.via;
  if (!VIAS.some((v) => v === via)) throw new ShapeError(`${path}.via: must be one of ${VIAS.join(", ")}`);
  const reason = optionalStr(o, "reason", path);
  return {
    user: str(o, "user", path),
    itemHashes: strings(o, "itemHashes", path),
    via: via as StoredApproval["via"],
    at: str(o, "at", path),
    ...(reason !== undefined ? { reason } : {}),
  };
}

function readWaiver(value: unknown, path: string): StoredWaiver {
  const o = record(value, path);
  const findingId = optionalStr(o, "findingId", path);
  return {
    rule: str(o, "rule", path),
    ...(findingId !== undefined ? { findingId } : {}),
    by: str(o, "by", path),
    reason: str(o, "reason", path),
    at: str(o, "at", path),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ShapeError(path ? `${path}: must be an object` : "must be an object");
  return value;
}

function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function str(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new ShapeError(`${at(path, key)}: must be a string`);
  return v;
}

function optionalStr(o: Record<string, unknown>, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, path);
}

function bool(o: Record<string, unknown>, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") throw new ShapeError(`${at(path, key)}: must be a boolean`);
  return v;
}

function level(o: Record<string, unknown>, key: string, path: string): RiskLevel {
  const v = o[key];
  if (typeof v !== "string" || !isRiskLevel(v)) throw new ShapeError(`${at(path, key)}: must be a risk level`);
  return v;
}

function strings(o: Record<string, unknown>, key: string, path: string): string[] {
  const v = o[key];
  if (!isStringArray(v)) throw new ShapeError(`${at(path, key)}: must be an array of strings`);
  return [...v];
}

function list<T>(o: Record<string, unknown>, key: string, path: string, read: (value: unknown, path: string) => T): T[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ShapeError(`${at(path, key)}: must be an array`);
  return v.map((item, i) => read(item, `${at(path, key)}[${i}]`));
}
