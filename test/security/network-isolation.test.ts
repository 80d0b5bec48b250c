/**
 * Defence in depth for the network: even when a path check misses a reference, a rendering
 * tool must not reach anything. Where the host allows unprivileged user namespaces, every
 * tool runs in a network namespace of its own (`unshare --net --map-root-user`); everywhere,
 * proxy variables point Go's HTTP client at a port nothing listens on. These tests bypass the
 * path checks on purpose (runTool directly, a remote resource handed to kubectl) and listen on
 * 127.0.0.1: a namespace must keep even loopback out of reach. Where namespaces are not
 * available the namespace tests are skipped, with a notice saying so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readActionEnvironment } from "../../action/src/environment.js";
import { readAppEnvironment } from "../../src/app/environment.js";
import { runTool, sanitizedEnv, type ExecRequest } from "../../src/render/exec.js";
import { CLOSED_PROXY, isolationFor, parseNetworkIsolation, probeNamespaces, type NetworkIsolationSetting } from "../../src/render/network-isolation.js";
import { TOOLS_DIR } from "../helpers/tool-options.js";

const KUBECTL = join(TOOLS_DIR, "kubectl");
const REQUIRED: NetworkIsolationSetting = { mode: "required" };
const OFF: NetworkIsolationSetting = { mode: "off" };

let work: string;
let server: Server;
let port: number;
/** Connections the loopback server accepted, and the first bytes of each. */
const seen: string[] = [];
let namespaces: { ok: true } | { ok: false; reason: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "shipshape-netiso-"));
  server = createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", (d) => {
      seen.push(d.toString("latin1").split("\r\n")[0] ?? "");
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  const probe = await probeNamespaces();
  namespaces = probe.ok ? { ok: true } : probe;
  if (!probe.ok) console.warn(`network-isolation.test.ts: network namespaces are not available here (${probe.reason}); the namespace tests are skipped`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

function request(binary: string, args: string[], network: NetworkIsolationSetting, extra: Partial<ExecRequest> = {}): ExecRequest {
  const scratch = join(work, "scratch");
  mkdirSync(scratch, { recursive: true });
  return { binary, args, cwd: work, scratchDir: scratch, timeoutMs: 20_000, maxOutputBytes: 1 << 20, network, ...extra };
}

/** A helper that opens a plain TCP connection to the loopback server and says what happened. */
const connect = (p: number) =>
  `const s=require("net").connect(${p},"127.0.0.1");s.on("connect",()=>{console.log("connected");s.end("PING\\r\\n")});s.on("error",(e)=>console.log("blocked "+e.code));`;

function kustomization(name: string, resource: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kustomization.yaml"), `resources:\n- ${resource}\n`);
  return `./${name}`;
}

describe("the setting", () => {
  it.each([
    [undefined, { mode: "auto" }],
    ["", { mode: "auto" }],
    ["required", { mode: "required" }],
    [" Off ", { mode: "off" }],
    ["auto", { mode: "auto" }],
    ["yes", { invalid: "yes" }],
  ])("%j is %j", (value, expected) => {
    expect(parseNetworkIsolation(value)).toEqual(expected);
  });

  it("is read by the App and the Action from their environment", () => {
    const env = { SHIPSHAPE_NETWORK_ISOLATION: "required", PATH: "" };
    expect(readAppEnvironment(env).network).toEqual({ mode: "required" });
    expect(readActionEnvironment(env).network).toEqual({ mode: "required" });
  });

  it("required without namespaces refuses to run tools, naming the setting and the way out", async () => {
    const isolation = await isolationFor(REQUIRED, ["/nonexistent/unshare"]);
    expect(isolation).toEqual({ kind: "refused", message: expect.stringContaining("SHIPSHAPE_NETWORK_ISOLATION=required, but tools cannot be started") });
    expect(await isolationFor({ mode: "auto" }, ["/nonexistent/unshare"])).toEqual({ kind: "proxy-only", reason: expect.stringContaining("unshare not found") });
  });

  it("an unknown value runs no tool at all", async () => {
    const result = await runTool(request("/bin/sh", ["-c", "echo ran"], { invalid: "yes" }));
    expect(result).toEqual({ kind: "spawn-failed", message: expect.stringContaining('SHIPSHAPE_NETWORK_ISOLATION="yes" is not one of required, auto, off') });
  });
});

describe("proxy variables, everywhere", () => {
  it("point every proxy variable at a closed port, with nothing exempt", () => {
    const env = sanitizedEnv("/scratch");
    for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"]) expect(env[name]).toBe(CLOSED_PROXY);
    expect(env.NO_PROXY).toBe("");
    expect(env.no_proxy).toBe("");
  });

  it("make kustomize's HTTP client fail a remote resource at the proxy, without resolving or reaching the host", async () => {
    const result = await runTool(request(KUBECTL, ["kustomize", "--", kustomization("remote-host", "http://shipshape-test.invalid/x.yaml")], OFF));
    expect(result.kind).toBe("exited");
    if (result.kind === "exited") expect(result.stderr).toContain("proxyconnect tcp: dial tcp 127.0.0.1:0");
  });

  it("leave loopback open (Go never proxies it): what only a namespace closes", async () => {
    const before = seen.length;
    const result = await runTool(request(process.execPath, ["-e", connect(port)], OFF));
    expect(result).toMatchObject({ kind: "ok", stdout: "connected\n" });
    await waitFor(() => seen.length > before);
    expect(seen.length).toBe(before + 1);
  });
});

describe("a network namespace per tool", () => {
  it("keeps a plain TCP connection to the host's loopback from being made", async (ctx) => {
    if (!namespaces.ok) return ctx.skip(`network namespaces unavailable: ${namespaces.reason}`);
    const before = seen.length;
    const result = await runTool(request(process.execPath, ["-e", connect(port)], REQUIRED));
    expect(result).toMatchObject({ kind: "ok", stdout: expect.stringMatching(/^blocked (ENETUNREACH|ECONNREFUSED|EADDRNOTAVAIL)\n$/) });
    await pause(100);
    expect(seen.length).toBe(before);
  });

  it("keeps a remote resource the path checks would have refused from being fetched, loopback included", async (ctx) => {
    if (!namespaces.ok) return ctx.skip(`network namespaces unavailable: ${namespaces.reason}`);
    const url = `http://127.0.0.1:${port}/resource.yaml`;
    const before = seen.length;
    const isolated = await runTool(request(KUBECTL, ["kustomize", "--", kustomization("remote-isolated", url)], REQUIRED));
    expect(isolated.kind).toBe("exited");
    await pause(100);
    expect(seen.slice(before)).toEqual([]);
    // The same build without the namespace does reach the server: the test above is not vacuous.
    const open = await runTool(request(KUBECTL, ["kustomize", "--", kustomization("remote-open", url)], OFF));
    expect(open.kind).toBe("exited");
    await waitFor(() => seen.length > before);
    expect(seen.slice(before)).toEqual(["GET /resource.yaml HTTP/1.1"]);
  });

  it("works together with the memory limit and the process group", async (ctx) => {
    if (!namespaces.ok) return ctx.skip(`network namespaces unavailable: ${namespaces.reason}`);
    const result = await runTool(request(KUBECTL, ["version", "--client"], REQUIRED, { maxMemoryBytes: 512 * 1024 * 1024 }));
    expect(result).toMatchObject({ kind: "ok", stdout: expect.stringContaining("Client Version") });
  });
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await pause(20);
}
