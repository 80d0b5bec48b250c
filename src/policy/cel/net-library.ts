/**
 * The Kubernetes URL, IP and CIDR libraries. URLs follow Go's url.ParseRequestURI (an
 * absolute URI or an absolute path): `url`, `isURL`, `getScheme`, `getHost`, `getHostname`,
 * `getPort`, `getEscapedPath`, `getQuery`. IPs follow netip (no zones, no leading zeros):
 * `ip`, `isIP`, `ip.isCanonical`, `family`, `isUnspecified`, `isLoopback`,
 * `isLinkLocalMulticast`, `isLinkLocalUnicast`, `isGlobalUnicast`; CIDRs: `cidr`, `isCIDR`,
 * `containsIP`, `containsCIDR`, `ip`, `masked`, `prefixLength`.
 */
import { celFunc, celList, celMethod, CelScalar, type CelFunc, type CelValue } from "@bufbuild/cel";
import { typed, typedText } from "./typed.js";

// ---- URL ----

const URL_SHAPE = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?)?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;

interface ParsedUrl {
  scheme: string;
  host: string;
  path: string;
  query: string;
}

function parseUrl(text: string): ParsedUrl | undefined {
  if (/[\s\x00-\x1f]/.test(text)) return undefined;
  const m = URL_SHAPE.exec(text);
  if (!m) return undefined;
  const [, scheme = "", host = "", path = "", query = ""] = m;
  if (scheme === "" && !path.startsWith("/")) return undefined;
  return { scheme, host, path, query };
}

function urlOf(v: CelValue): ParsedUrl {
  const text = typedText(v, "url");
  const parsed = text === undefined ? undefined : parseUrl(text);
  if (!parsed) throw new Error("not a URL");
  return parsed;
}

function splitHost(host: string): { hostname: string; port: string } {
  const bracket = /^\[([^\]]*)\](?::(\d*))?$/.exec(host);
  if (bracket) return { hostname: bracket[1]!, port: bracket[2] ?? "" };
  const i = host.lastIndexOf(":");
  return i < 0 ? { hostname: host, port: "" } : { hostname: host.slice(0, i), port: host.slice(i + 1) };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

// ---- IP / CIDR ----

interface Address {
  family: 4 | 6;
  value: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(p);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  if (text.includes("%")) return undefined;
  let head = text;
  let v4tail: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    v4tail = parseV4(text.slice(lastColon + 1));
    if (v4tail === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  let value = 0n;
  for (const g of [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(`0x${g}`);
  }
  if (v4tail !== undefined) value = (value & ~0xffffffffn) | v4tail;
  return value;
}

function parseIp(text: string): Address | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!text.includes(":")) return undefined;
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function formatIp(a: Address): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${formatIp({ family: 4, value: a.value & 0xffffffffn })}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

const bits = (a: Address) => (a.family === 4 ? 32n : 128n);

function inRange(a: Address, base: bigint, prefix: bigint): boolean {
  const shift = bits(a) - prefix;
  return a.value >> shift === base >> shift;
}

interface Cidr {
  address: Address;
  prefix: bigint;
}

function parseCidr(text: string): Cidr | undefined {
  const i = text.indexOf("/");
  if (i < 0) return undefined;
  const address = parseIp(text.slice(0, i));
  const prefixText = text.slice(i + 1);
  if (!address || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = BigInt(prefixText);
  return prefix > bits(address) ? undefined : { address, prefix };
}

function ipOf(v: CelValue): Address {
  const text = typeof v === "string" ? v : typedText(v, "ip");
  const parsed = text === undefined ? undefined : parseIp(text);
  if (!parsed) throw new Error("not an IP address");
  return parsed;
}

function cidrOf(v: CelValue): Cidr {
  const text = typeof v === "string" ? v : typedText(v, "cidr");
  const parsed = text === undefined ? undefined : parseCidr(text);
  if (!parsed) throw new Error("not a CIDR");
  return parsed;
}

function masked(c: Cidr): bigint {
  const shift = bits(c.address) - c.prefix;
  return (c.address.value >> shift) << shift;
}

const { DYN, STRING, BOOL, INT } = CelScalar;

const ipMethod = (name: string, test: (a: Address) => boolean): CelFunc =>
  celMethod(name, DYN, [], BOOL, function () {
    return test(ipOf(this));
  });

export const netFuncs: CelFunc[] = [
  celFunc("url", [STRING], DYN, (text) => {
    if (!parseUrl(text)) throw new Error(`invalid URL: ${text}`);
    return typed("url", text);
  }),
  celFunc("isURL", [STRING], BOOL, (text) => parseUrl(text) !== undefined),
  celMethod("getScheme", DYN, [], STRING, function () {
    return urlOf(this).scheme;
  }),
  celMethod("getHost", DYN, [], STRING, function () {
    return urlOf(this).host;
  }),
  celMethod("getHostname", DYN, [], STRING, function () {
    return splitHost(urlOf(this).host).hostname;
  }),
  celMethod("getPort", DYN, [], STRING, function () {
    return splitHost(urlOf(this).host).port;
  }),
  celMethod("getEscapedPath", DYN, [], STRING, function () {
    return urlOf(this).path;
  }),
  celMethod("getQuery", DYN, [], DYN, function () {
    const out = new Map<string, string[]>();
    for (const pair of urlOf(this).query.split("&").filter((p) => p !== "")) {
      const eq = pair.indexOf("=");
      const key = decode(eq < 0 ? pair : pair.slice(0, eq));
      out.set(key, [...(out.get(key) ?? []), decode(eq < 0 ? "" : pair.slice(eq + 1))]);
    }
    return new Map([...out].map(([k, v]) => [k, celList(v)]));
  }),
  celFunc("ip", [STRING], DYN, (text) => {
    const a = parseIp(text);
    if (!a) throw new Error(`IP Address "${text}" parse error`);
    return typed("ip", formatIp(a));
  }),
  celFunc("isIP", [STRING], BOOL, (text) => parseIp(text) !== undefined),
  celFunc("ip.isCanonical", [STRING], BOOL, (text) => {
    const a = parseIp(text);
    if (!a) throw new Error(`IP Address "${text}" parse error`);
    return formatIp(a) === text;
  }),
  celMethod("family", DYN, [], INT, function () {
    return BigInt(ipOf(this).family);
  }),
  ipMethod("isUnspecified", (a) => a.value === 0n),
  ipMethod("isLoopback", (a) => (a.family === 4 ? inRange(a, 0x7f000000n, 8n) : a.value === 1n)),
  ipMethod("isLinkLocalMulticast", (a) => (a.family === 4 ? inRange(a, 0xe0000000n, 24n) : inRange(a, 0xff02n << 112n, 16n))),
  ipMethod("isLinkLocalUnicast", (a) => (a.family === 4 ? inRange(a, 0xa9fe0000n, 16n) : inRange(a, 0xfe80n << 112n, 10n))),
  ipMethod("isGlobalUnicast", (a) =>
    a.family === 4
      ? a.value !== 0xffffffffn && a.value !== 0n && !inRange(a, 0x7f000000n, 8n) && !inRange(a, 0xa9fe0000n, 16n) && !inRange(a, 0xe0000000n, 4n)
      : a.value !== 0n && a.value !== 1n && !inRange(a, 0xfe80n << 112n, 10n) && !inRange(a, 0xffn << 120n, 8n),
  ),
  celFunc("cidr", [STRING], DYN, (text) => {
    const c = parseCidr(text);
    if (!c) throw new Error(`network address parse error during conversion from string: ${text}`);
    return typed("cidr", `${formatIp(c.address)}/${c.prefix}`);
  }),
  celFunc("isCIDR", [STRING], BOOL, (text) => parseCidr(text) !== undefined),
  celMethod("containsIP", DYN, [DYN], BOOL, function (other) {
    const c = cidrOf(this);
    const a = ipOf(other);
    return a.family === c.address.family && inRange(a, masked(c), c.prefix);
  }),
  celMethod("containsCIDR", DYN, [DYN], BOOL, function (other) {
    const c = cidrOf(this);
    const o = cidrOf(other);
    return o.address.family === c.address.family && o.prefix >= c.prefix && inRange(o.address, masked(c), c.prefix);
  }),
  celMethod("ip", DYN, [], DYN, function () {
    return typed("ip", formatIp(cidrOf(this).address));
  }),
  celMethod("masked", DYN, [], DYN, function () {
    const c = cidrOf(this);
    return typed("cidr", `${formatIp({ family: c.address.family, value: masked(c) })}/${c.prefix}`);
  }),
  celMethod("prefixLength", DYN, [], INT, function () {
    return cidrOf(this).prefix;
  }),
  // `string(ip)` / `string(cidr)`: the canonical address, the CIDR as written (not masked), as
  // Kubernetes' net library. The standard `string()` overloads are tried first.
  celFunc("string", [DYN], STRING, (v) => {
    const text = typedText(v, "ip") ?? typedText(v, "cidr");
    if (text === undefined) throw new Error("no such overload: string() of this type");
    return text;
  }),
];
