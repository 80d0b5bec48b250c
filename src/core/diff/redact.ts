/**
 * Secret values never leave this module. A Secret's `data`/`stringData` values (and env
 * values whose names say they hold credentials) are replaced by markers that still tell
 * a reviewer whether each key was added, removed or changed, and its size. Markers are
 * computed pairwise so a changed value shows as a changed line in the diff.
 */
import { apiGroup, type Resource } from "../model/resource.js";

export const SECRET_ENV_NAME = /(^|_|-)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)($|_|-)/i;

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
  redactEnvValues(b, h);
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
 * Env values named like credentials (`DB_PASSWORD`, `API_TOKEN`) in containers and Compose
 * services. Walks every `env` list of `{name, value}` and every Compose `environment` map.
 */
function redactEnvValues(b: Record<string, unknown> | undefined, h: Record<string, unknown> | undefined): void {
  const baseEnv = collectEnv(b);
  const headEnv = collectEnv(h);
  for (const [key, slots] of baseEnv) rewrite(slots, headEnv.get(key), "base");
  for (const [key, slots] of headEnv) rewrite(slots, baseEnv.get(key), "head");
}

interface EnvSlot {
  holder: Record<string, unknown>;
  field: string;
  value: string;
}

function rewrite(mine: EnvSlot[], other: EnvSlot[] | undefined, side: Side): void {
  mine.forEach((slot, i) => {
    slot.holder[slot.field] = marker(slot.value, other?.[i]?.value, side, utf8Length);
  });
}

/** Secret-looking env entries keyed by their path-independent identity (container + name). */
function collectEnv(body: Record<string, unknown> | undefined): Map<string, EnvSlot[]> {
  const out = new Map<string, EnvSlot[]>();
  if (!body) return out;
  const add = (key: string, slot: EnvSlot) => {
    const list = out.get(key) ?? [];
    list.push(slot);
    out.set(key, list);
  };
  const visit = (node: unknown, trail: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${trail}[${namedKey(item) ?? i}]`));
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.env)) {
      for (const entry of obj.env) {
        if (typeof entry !== "object" || entry === null) continue;
        const e = entry as Record<string, unknown>;
        if (typeof e.name === "string" && e.value !== undefined && e.value !== null && isSecretEnv(e.name, e.value)) {
          add(`${trail}.env.${e.name}`, { holder: e, field: "value", value: String(e.value) });
        }
      }
    }
    const environment = obj.environment;
    if (typeof environment === "object" && environment !== null && !Array.isArray(environment)) {
      const envMap = environment as Record<string, unknown>;
      for (const [name, value] of Object.entries(envMap)) {
        if (value !== undefined && value !== null && isSecretEnv(name, value)) {
          add(`${trail}.environment.${name}`, { holder: envMap, field: name, value: String(value) });
        }
      }
    }
    for (const [k, v] of Object.entries(obj)) {
      if (k === "env" || k === "environment") continue;
      visit(v, `${trail}.${k}`);
    }
  };
  visit(body, "");
  return out;
}

/** A URL with a password in it (`postgres://app:s3cret@db/shop`), whatever the variable is called. */
export const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

function isSecretEnv(name: string, value: unknown): boolean {
  return SECRET_ENV_NAME.test(name) || (typeof value === "string" && CREDENTIAL_URL.test(value));
}

function namedKey(item: unknown): string | undefined {
  const name = (item as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}
