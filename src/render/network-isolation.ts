/**
 * Keeping rendering tools off the network even when a path check misses something
 * (defence in depth: the checks in kustomize/ and helm/ are the first line).
 *
 * - namespace: the tool starts under `unshare --net --map-root-user`, in a network namespace
 *   of its own that holds only a loopback interface, down. No TCP/UDP at all: no remote host,
 *   no DNS, not even the host's 127.0.0.1, nor abstract Unix sockets. Needs unprivileged user
 *   namespaces, which some hosts refuse (Ubuntu 24.04's AppArmor restriction, as on GitHub's
 *   hosted runners; the default seccomp profile of many container runtimes), so a one-time
 *   probe decides whether it works here.
 * - proxy variables (always set, see proxyEnv): HTTP(S)_PROXY and ALL_PROXY point at a port
 *   nothing can listen on. Go's HTTP client (helm, kustomize) then fails every remote request
 *   — but it never proxies loopback hosts (localhost, 127.0.0.0/8, ::1), and a tool may
 *   resolve names or open plain sockets without asking: that is what this layer leaves open.
 *
 * The operator chooses with SHIPSHAPE_NETWORK_ISOLATION: `required` (no namespace, no render:
 * a tool error), `auto` (the default: the namespace when the probe succeeds, otherwise the
 * proxy variables alone) or `off` (the proxy variables alone).
 */
import { spawn } from "node:child_process";
import { isExecutableFile } from "./exec-file.js";

export const NETWORK_ISOLATION_VARIABLE = "SHIPSHAPE_NETWORK_ISOLATION";
export const NETWORK_ISOLATION_MODES = ["required", "auto", "off"] as const;
export type NetworkIsolationMode = (typeof NETWORK_ISOLATION_MODES)[number];

/** The operator's setting as read by an entry point; an unknown value is kept to be reported. */
export type NetworkIsolationSetting = { mode: NetworkIsolationMode } | { invalid: string };

export function parseNetworkIsolation(value: string | undefined): NetworkIsolationSetting {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "") return { mode: "auto" };
  return (NETWORK_ISOLATION_MODES as readonly string[]).includes(v) ? { mode: v as NetworkIsolationMode } : { invalid: value ?? "" };
}

/** No listener can bind port 0, so a connection to it is refused at once. */
export const CLOSED_PROXY = "http://127.0.0.1:0";

/** Proxy variables for every tool: Go reads the upper- and lower-case forms, curl-likes ALL_PROXY. */
export function proxyEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) {
    env[name] = CLOSED_PROXY;
    env[name.toLowerCase()] = CLOSED_PROXY;
  }
  // Empty: no host bypasses the proxy (loopback still does, in Go, whatever this says).
  env.NO_PROXY = "";
  env.no_proxy = "";
  return env;
}

/** How a tool is started: wrapped in a namespace or not, or not at all. */
export type Isolation =
  | { kind: "namespace"; wrap: (command: string, args: readonly string[]) => { command: string; args: string[] } }
  | { kind: "proxy-only"; reason: string }
  | { kind: "refused"; message: string };

/** Where unshare is looked for: fixed system locations only, never a repository or PATH. */
export const UNSHARE_CANDIDATES = ["/usr/bin/unshare", "/bin/unshare", "/usr/sbin/unshare", "/sbin/unshare"];
const PROBE_TIMEOUT_MS = 5000;

type Probe = { ok: true; unshare: string } | { ok: false; reason: string };
const probes = new Map<string, Promise<Probe>>();

/**
 * The isolation for one tool run under `setting`. The probe runs once per process (per list
 * of candidates): starting a namespace costs a few milliseconds, probing again would double it.
 */
export async function isolationFor(setting: NetworkIsolationSetting | undefined, candidates: readonly string[] = UNSHARE_CANDIDATES): Promise<Isolation> {
  const s = setting ?? { mode: "auto" };
  if ("invalid" in s) {
    return {
      kind: "refused",
      message: `${NETWORK_ISOLATION_VARIABLE}=${JSON.stringify(s.invalid)} is not one of ${NETWORK_ISOLATION_MODES.join(", ")}; no tool is run until it is corrected`,
    };
  }
  if (s.mode === "off") return { kind: "proxy-only", reason: `${NETWORK_ISOLATION_VARIABLE}=off` };
  const probe = await probeNamespaces(candidates);
  if (probe.ok) return { kind: "namespace", wrap: (command, args) => ({ command: probe.unshare, args: ["--net", "--map-root-user", "--", command, ...args] }) };
  if (s.mode === "auto") return { kind: "proxy-only", reason: probe.reason };
  return {
    kind: "refused",
    message:
      `${NETWORK_ISOLATION_VARIABLE}=required, but tools cannot be started in a network namespace of their own here (${probe.reason}). ` +
      `Allow unprivileged user namespaces on this host, or set ${NETWORK_ISOLATION_VARIABLE}=auto to render with proxy variables only`,
  };
}

export function probeNamespaces(candidates: readonly string[] = UNSHARE_CANDIDATES): Promise<Probe> {
  const key = candidates.join("\0");
  let probe = probes.get(key);
  if (!probe) {
    probe = runProbe(candidates);
    probes.set(key, probe);
  }
  return probe;
}

/** Starts `/bin/sh -c :` (or node) in a new user and network namespace, as a tool would be. */
async function runProbe(candidates: readonly string[]): Promise<Probe> {
  const unshare = candidates.find(isExecutableFile);
  if (!unshare) return { ok: false, reason: `unshare not found in ${candidates.join(", ")}` };
  const target = isExecutableFile("/bin/sh") ? ["/bin/sh", "-c", ":"] : [process.execPath, "-e", ""];
  return new Promise((resolve) => {
    let stderr = "";
    const child = spawn(unshare, ["--net", "--map-root-user", "--", ...target], { env: {}, stdio: ["ignore", "ignore", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), PROBE_TIMEOUT_MS);
    child.stderr.on("data", (c: Buffer) => {
      if (stderr.length < 1000) stderr += c.toString("utf8");
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `${unshare}: ${err.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true, unshare });
      else resolve({ ok: false, reason: `${unshare} --net --map-root-user failed: ${stderr.trim().split("\n")[0] || (signal ? `killed by ${signal}` : `exit code ${code}`)}` });
    });
  });
}
