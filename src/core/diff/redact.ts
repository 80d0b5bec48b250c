/**
 * Secret values never leave this module. A Secret's `data`/`stringData` values, env values
 * whose names say they hold credentials (the shared test of src/core/secrets/credential-name.ts:
 * DB_PASSWORD, PGPASSWORD, CLIENTSECRET…) and credentials inside any other string (a
 * `--db-password=…` argument, the value after `--password`, `Authorization: Bearer …`, the
 * password of a URL) are replaced by markers that still tell a reviewer whether each was
 * added, removed or changed, and its size. Markers are computed pairwise so a changed value
 * shows as a changed line in the diff.
 */
import { apiGroup, type Resource } from "../model/resource.js";
import { isCredentialName } from "../secrets/credential-name.js";
import { CREDENTIAL_URL, credentialSpans, splitFlagValues } from "../secrets/credential-values.js";

export { CREDENTIAL_URL } from "../secrets/credential-values.js";

type Side = "base" | "head";
type Values = Map<string, string>;

export function isSecret(r: { apiVersion: string; kind: string }): boolean {
  return r.kind === "Secret" && apiGroup(r.apiVersion) === "";
}

/** Returns redacted copies of both sides; either may be undefined (added or removed). */
export function redactPair(
  base: Record<string, unknown> | undefined,
  head: Record<string, unknown> | undefined,
  ref: { apiVersion: string; kind: string },
): { base?: Record<string, unknown>; head?: Record<string, unknown> } {
  const b = base ? structuredClone(base) : undefined;
  const h = head ? structuredClone(head) : undefined;
  if (isSecret(ref)) {
    redactSecretField(b, h, "data", decodedLength);
    redactSecretField(b, h, "stringData", utf8Length);
    dropLastApplied(b);
    dropLastApplied(h);
  }
  redactCredentials(b, h);
  return { ...(b ? { base: b } : {}), ...(h ? { head: h } : {}) };
}

export function redactResource(r: Resource): Resource {
  const { head } = redactPair(undefined, r.body, r);
  return { ...r, body: head ?? {} };
}

function redactSecretField(
  b: Record<string, unknown> | undefined,
  h: Record<string, unknown> | undefined,
  field: string,
  size: (v: string) => number,
): void {
  const bv = stringMap(b?.[field]);
  const hv = stringMap(h?.[field]);
  if (b && b[field] !== undefined) b[field] = markers(bv, hv, "base", size);
  if (h && h[field] !== undefined) h[field] = markers(hv, bv, "head", size);
}

function markers(mine: Values, other: Values, side: Side, size: (v: string) => number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of mine) out[key] = marker(value, other.get(key), side, size);
  return out;
}

export function marker(value: string, other: string | undefined, side: Side, size: (v: string) => number): string {
  const bytes = `${size(value)} bytes`;
  if (other === undefined) return `<redacted: ${side === "head" ? "added" : "removed"}, ${bytes}>`;
  if (other === value) return `<redacted: unchanged, ${bytes}>`;
  return side === "head" ? `<redacted: changed, ${bytes}>` : `<redacted: previous value, ${bytes}>`;
}

function stringMap(v: unknown): Values {
  const out: Values = new Map();
  if (typeof v !== "object" || v === null || Array.isArray(v)) return out;
  for (const [k, val] of Object.entries(v)) out.set(k, val === null || val === undefined ? "" : String(val));
  return out;
}

function decodedLength(v: string): number {
  const clean = v.replace(/\s+/g, "");
  return Buffer.from(clean, "base64").length;
}

function utf8Length(v: string): number {
  return Buffer.byteLength(v, "utf8");
}

function dropLastApplied(body: Record<string, unknown> | undefined): void {
  const annotations = (body?.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  if (annotations && "kubectl.kubernetes.io/last-applied-configuration" in annotations) {
    annotations["kubectl.kubernetes.io/last-applied-configuration"] = "<redacted>";
  }
}

/**
 * A place holding a credential: `holder[field]` is a string whose spans (or the whole of it)
 * are credentials. Slots are keyed by a path-independent identity (container and variable
 * names rather than list positions) so base and head pair up when lists are reordered.
 */
interface Slot {
  holder: Record<string, unknown> | unknown[];
  field: string | number;
  value: string;
  /** Undefined: the whole value. */
  spans?: { start: number; end: number; key: string }[];
}

function redactCredentials(b: Record<string, unknown> | undefined, h: Record<string, unknown> | undefined): void {
  const baseSlots = collectSlots(b);
  const headSlots = collectSlots(h);
  const rewrites = [...[...baseSlots].map(([k, s]) => [s, headSlots.get(k), "base"] as const), ...[...headSlots].map(([k, s]) => [s, baseSlots.get(k), "head"] as const)];
  // Computed from the original values of both sides before any slot is written.
  const results = rewrites.map(([slot, other, side]) => [slot, rewrite(slot, other, side)] as const);
  for (const [slot, text] of results) (slot.holder as Record<string | number, unknown>)[slot.field] = text;
}

function rewrite(slot: Slot, other: Slot | undefined, side: Side): string {
  if (!slot.spans) return marker(slot.value, other?.value, side, utf8Length);
  let out = slot.value;
  for (const span of [...slot.spans].reverse()) {
    const match = other?.spans?.find((s) => s.key === span.key);
    const otherValue = match ? other!.value.slice(match.start, match.end) : undefined;
    out = out.slice(0, span.start) + marker(slot.value.slice(span.start, span.end), otherValue, side, utf8Length) + out.slice(span.end);
  }
  return out;
}

function collectSlots(body: Record<string, unknown> | undefined): Map<string, Slot> {
  const out = new Map<string, Slot>();
  if (!body) return out;
  const add = (key: string, slot: Slot) => {
    let k = key;
    for (let n = 1; out.has(k); n++) k = `${key}#${n}`;
    out.set(k, slot);
  };
  const visitString = (holder: Slot["holder"], field: string | number, value: string, trail: string) => {
    const spans = credentialSpans(value);
    if (spans.length > 0) add(trail, { holder, field, value, spans });
  };
  const visit = (node: unknown, trail: string): void => {
    if (Array.isArray(node)) {
      const flagValues = new Set(splitFlagValues(node));
      node.forEach((item, i) => {
        const at = `${trail}[${namedKey(item) ?? i}]`;
        if (typeof item === "string") {
          if (flagValues.has(i)) add(at, { holder: node, field: i, value: item });
          else visitString(node, i, item, at);
        } else if (isCredentialEntry(item)) add(`${at}.value`, entrySlot(item));
        else visit(item, at);
      });
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const obj = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      const at = `${trail}.${k}`;
      if (ENV_MAPS.has(k) && typeof v === "object" && v !== null && !Array.isArray(v)) {
        const envMap = v as Record<string, unknown>;
        for (const [name, value] of Object.entries(envMap)) {
          if (value === undefined || value === null) continue;
          if (isSecretEnv(name, value)) add(`${at}.${name}`, { holder: envMap, field: name, value: String(value) });
          else if (typeof value === "string") visitString(envMap, name, value, `${at}.${name}`);
        }
        continue;
      }
      if (typeof v === "string") visitString(obj, k, v, at);
      else visit(v, at);
    }
  };
  visit(body, "");
  return out;
}

/**
 * `{name, value}` list items whose name says credential (env entries, HTTP headers such as
 * `X-Api-Key`, parameters) or whose value is a URL with a password: the whole value is one.
 */
function isCredentialEntry(item: unknown): item is { name: string; value: unknown } {
  if (typeof item !== "object" || item === null) return false;
  const { name, value } = item as { name?: unknown; value?: unknown };
  return typeof name === "string" && value !== undefined && value !== null && isSecretEnv(name, value);
}

/**
 * The whole value is the credential, except an `Authorization`-style value whose scheme stays
 * readable: `Bearer <redacted: changed, 24 bytes>`.
 */
function entrySlot(item: { name: string; value: unknown }): Slot {
  const value = String(item.value);
  const spans = credentialSpans(value);
  const schemeOnly = spans.length > 0 && spans.every((s) => AUTH_SCHEME_KEY.test(s.key)) && value.slice(0, spans[0]!.start).trim() !== "";
  return schemeOnly ? { holder: item, field: "value", value, spans } : { holder: item, field: "value", value };
}

const AUTH_SCHEME_KEY = /^(bearer|basic|token|bot)#/;

/** Name → value maps: Compose `environment` and `build.args`. */
const ENV_MAPS: ReadonlySet<string> = new Set(["environment", "args"]);

function isSecretEnv(name: string, value: unknown): boolean {
  return isCredentialName(name) || (typeof value === "string" && CREDENTIAL_URL.test(value));
}

function namedKey(item: unknown): string | undefined {
  const name = (item as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}
