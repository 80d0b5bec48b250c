/**
 * Uniqueness rules for service sequences (compose-spec merge.md "Unique resources" and
 * compose-go's EnforceUnicity): a later entry with the same key replaces the earlier one in
 * place, so `"8080:80"` given in two files is published once.
 */
import { portKey, type PortConfig } from "./ports.js";
import { isRecord } from "./tagged.js";

type KeyOf = (entry: unknown) => string;

const exact: KeyOf = (e) => (typeof e === "string" ? e : JSON.stringify(e));
const byTarget: KeyOf = (e) => (isRecord(e) && typeof e.target === "string" ? e.target : exact(e));
const mountKey =
  (prefix: string): KeyOf =>
  (e) =>
    isRecord(e) ? (typeof e.target === "string" ? e.target : `${prefix}${String(e.source)}`) : exact(e);
const deviceKey: KeyOf = (e) => {
  if (isRecord(e)) return typeof e.target === "string" ? e.target : exact(e);
  if (typeof e !== "string") return exact(e);
  const parts = e.split(":");
  return parts[1] ?? parts[0]!;
};

/** Service fields whose entries must be unique, with the key that identifies an entry. */
export const UNIQUE_SERVICE_FIELDS: Record<string, KeyOf> = {
  ports: (e) => (isRecord(e) ? portKey(e as PortConfig) : exact(e)),
  volumes: byTarget,
  secrets: mountKey("/run/secrets/"),
  configs: mountKey("/"),
  env_file: (e) => (isRecord(e) && typeof e.path === "string" ? e.path : exact(e)),
  devices: deviceKey,
  expose: exact,
  dns: exact,
  dns_search: exact,
  dns_opt: exact,
  tmpfs: exact,
  cap_add: exact,
  cap_drop: exact,
  profiles: exact,
  links: exact,
  extra_hosts: exact,
};

export function uniqueBy(list: readonly unknown[], keyOf: KeyOf): unknown[] {
  const out: unknown[] = [];
  const index = new Map<string, number>();
  for (const entry of list) {
    const key = keyOf(entry);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(entry);
    } else {
      out[at] = entry;
    }
  }
  return out;
}
