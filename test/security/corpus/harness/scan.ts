/**
 * Looking for what must never leave Shipshape in a piece of output: host file content,
 * process environment, secret values planted in a repository, and evidence of a lookup
 * or request a case was built to provoke. Matches are reported with a short excerpt, so a
 * failing case says what leaked and where.
 */
import { readFileSync } from "node:fs";
import { ENV_PREFIX, HOST_PREFIX, SECRET_PREFIX, type Host } from "./host.js";

/**
 * What a case protects; "harness" marks a request the fake GitHub cannot answer (not a verdict);
 * "workflow-command" is repository text the Actions runner would run as a command;
 * "availability" is Shipshape crashing, or taking far longer on a crafted input than on a plain
 * one of the same size (a hung CLI, an App whose event loop is blocked for everyone).
 */
export type Guarantee = "host-file" | "process-env" | "secret" | "network" | "write" | "approval" | "visible" | "markup" | "workflow-command" | "availability" | "harness";

export interface Violation {
  guarantee: Guarantee;
  detail: string;
}

interface Marker {
  guarantee: Guarantee;
  what: string;
  pattern: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const base64Prefix = (s: string) => Buffer.from(s).toString("base64").replace(/=+$/, "");

/** The markers for one host; `extra` are a case's own (a DNS answer, a port it must not reach). */
export function markersFor(host: Host, extra: { evidence?: RegExp[]; secrets?: string[] } = {}): Marker[] {
  const markers: Marker[] = [
    { guarantee: "host-file", what: "host canary file content", pattern: new RegExp(HOST_PREFIX) },
    { guarantee: "host-file", what: "/etc/passwd content", pattern: /root:x:0:0:|daemon:x:1:1:/ },
    { guarantee: "process-env", what: "process environment canary", pattern: new RegExp(ENV_PREFIX) },
    { guarantee: "secret", what: "repository secret canary", pattern: new RegExp(SECRET_PREFIX) },
    // A Secret's `data` holds base64; the prefix is 12 bytes, so its encoding is stable.
    { guarantee: "secret", what: "repository secret canary (base64)", pattern: new RegExp(escape(base64Prefix(SECRET_PREFIX))) },
    { guarantee: "host-file", what: "host canary (base64)", pattern: new RegExp(escape(base64Prefix(HOST_PREFIX.slice(0, 9)))) },
  ];
  const hostname = readHostname();
  if (hostname) markers.push({ guarantee: "host-file", what: "/etc/hostname content", pattern: new RegExp(`\\b${escape(hostname)}\\b`) });
  for (const kv of host.ownEnviron) markers.push({ guarantee: "process-env", what: `this process's environ (${kv.slice(0, kv.indexOf("="))})`, pattern: new RegExp(escape(kv)) });
  for (const s of extra.secrets ?? []) markers.push({ guarantee: "secret", what: "repository secret", pattern: new RegExp(escape(s)) });
  for (const e of extra.evidence ?? []) markers.push({ guarantee: "network", what: `evidence of a lookup or request (${e.source})`, pattern: e });
  return markers;
}

/** /etc/hostname, when it is distinctive enough to search for (a two-letter name is not). */
function readHostname(): string | undefined {
  try {
    const name = readFileSync("/etc/hostname", "utf8").trim();
    return name.length >= 6 && !/^(localhost|ubuntu|debian|runner)$/i.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

export function scan(text: string, where: string, markers: readonly Marker[]): Violation[] {
  const out: Violation[] = [];
  for (const m of markers) {
    const match = m.pattern.exec(text);
    if (!match) continue;
    out.push({ guarantee: m.guarantee, detail: `${m.what} in ${where}: «${excerpt(text, match.index, match[0].length)}»` });
  }
  return out;
}

function excerpt(text: string, at: number, length: number): string {
  const from = Math.max(0, at - 50);
  const to = Math.min(text.length, at + length + 30);
  return text.slice(from, to).replace(/\s+/g, " ");
}
