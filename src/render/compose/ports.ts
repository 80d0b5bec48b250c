/**
 * Service `ports`, short syntax (`"127.0.0.1:8080-8081:80-81/udp"`, `3000`) expanded to the
 * long form Compose prints: `{mode, host_ip?, target, published?, protocol}`, one entry per
 * container port of a range.
 */
import { FieldError } from "./shape-helpers.js";
import { isRecord } from "./tagged.js";

export interface PortConfig {
  mode: string;
  host_ip?: string;
  target: number;
  /** A string because it may be a range the engine picks a port from ("8000-8010"). */
  published?: string;
  protocol: string;
  [extra: string]: unknown;
}

const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

export function expandPort(entry: unknown): PortConfig[] | FieldError {
  if (typeof entry === "number") return expandShort(String(entry));
  if (typeof entry === "string") return expandShort(entry);
  if (isRecord(entry)) return expandLong(entry);
  return new FieldError(`unsupported port entry ${JSON.stringify(entry)}`);
}

/** Two entries with the same key are the same port (Compose spec merge rules). */
export function portKey(p: PortConfig): string {
  return `${p.host_ip ?? ""}|${p.target}|${p.published ?? ""}|${p.protocol}`;
}

function expandShort(spec: string): PortConfig[] | FieldError {
  const bad = new FieldError(`invalid port "${spec}": expected [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL], e.g. "127.0.0.1:8080:80/tcp"`);
  let rest = spec.trim();
  let protocol = "tcp";
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (!PROTOCOLS.has(protocol)) return new FieldError(`invalid port "${spec}": unknown protocol "${protocol}" (use tcp, udp or sctp)`);
  }
  const parts = splitHostIp(rest);
  if (!parts) return bad;
  const { hostIp, published, target } = parts;
  const targets = parseRange(target);
  if (!targets || targets[0] === 0) return bad;
  const pubRange = published === "" ? undefined : parseRange(published);
  if (published !== "" && !pubRange) return bad;
  const base = { mode: "ingress", ...(hostIp ? { host_ip: hostIp } : {}) };
  const count = targets[1] - targets[0] + 1;
  const out: PortConfig[] = [];
  if (pubRange && pubRange[1] - pubRange[0] + 1 !== count) {
    // A published range with one container port lets the engine pick a host port from it.
    if (count !== 1) return new FieldError(`invalid port "${spec}": the published and target ranges have different lengths`);
    return [{ ...base, target: targets[0], published: published, protocol }];
  }
  for (let i = 0; i < count; i++) {
    const p: PortConfig = { ...base, target: targets[0] + i, protocol };
    if (pubRange) p.published = String(pubRange[0] + i);
    out.push(p);
  }
  return out;
}

function splitHostIp(rest: string): { hostIp: string; published: string; target: string } | undefined {
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0 || rest[close + 1] !== ":") return undefined;
    const tail = rest.slice(close + 2).split(":");
    if (tail.length !== 2) return undefined;
    return { hostIp: rest.slice(1, close), published: tail[0]!, target: tail[1]! };
  }
  const parts = rest.split(":");
  if (parts.length === 1) return { hostIp: "", published: "", target: parts[0]! };
  if (parts.length === 2) return { hostIp: "", published: parts[0]!, target: parts[1]! };
  // More than three parts: an unbracketed IPv6 host address.
  return { hostIp: parts.slice(0, -2).join(":"), published: parts[parts.length - 2]!, target: parts[parts.length - 1]! };
}

function parseRange(s: string): [number, number] | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}

function expandLong(entry: Record<string, unknown>): PortConfig[] | FieldError {
  const target = typeof entry.target === "string" && /^\d+$/.test(entry.target) ? Number(entry.target) : entry.target;
  if (typeof target !== "number" || !Number.isInteger(target)) {
    return new FieldError(`port entry ${JSON.stringify(entry)} needs a numeric target`);
  }
  const out: PortConfig = { ...entry, mode: typeof entry.mode === "string" ? entry.mode : "ingress", target, protocol: "tcp" };
  if (typeof entry.protocol === "string") out.protocol = entry.protocol.toLowerCase();
  if (entry.published === undefined || entry.published === null || entry.published === "") delete out.published;
  else out.published = String(entry.published);
  if (entry.host_ip === undefined || entry.host_ip === null || entry.host_ip === "") delete out.host_ip;
  return [out];
}
