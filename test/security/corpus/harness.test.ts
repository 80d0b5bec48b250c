/**
 * The corpus's own instruments, checked before their silence is trusted: the scanner finds
 * every kind of canary (also base64-encoded and inside JSON), the loopback server records a
 * request, the folder listing sees a new file, a hand-made git tree really lists `..` paths,
 * and the visibility checks tell a shown change from a hidden one.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../../src/core/model/report.js";
import { showsKind } from "./harness/cli.js";
import { changedEntries, GitRepo, listing, writeFiles } from "./harness/files.js";
import { runCliWithHeap } from "./harness/heap.js";
import { createHost, type Host } from "./harness/host.js";
import { markersFor, scan } from "./harness/scan.js";
import { flagsPrivileged } from "./cases/fixtures.js";

let host: Host;
beforeAll(async () => {
  host = await createHost();
});
afterAll(async () => {
  await host?.close();
});

const guarantees = (text: string, extra: Parameters<typeof markersFor>[1] = {}) => scan(text, "test", markersFor(host, extra)).map((v) => v.guarantee);

describe("corpus harness", () => {
  it("finds host files, the environment and repository secrets, plain, in JSON and in base64", () => {
    expect(guarantees(`data: ${host.fileCanary.slice(0, 14)}…`)).toEqual(["host-file"]);
    expect(guarantees(JSON.stringify({ m: "x:root:x:0:0:root:/root:/bin/bash" }))).toEqual(["host-file"]);
    expect(guarantees(`token ${host.envCanaries.GITHUB_TOKEN}`)).toEqual(["process-env"]);
    expect(guarantees(`child ${host.childEnvCanary}`)).toEqual(["process-env"]);
    expect(guarantees(`secret ${Buffer.from(host.secret("c/x")).toString("base64")}`)).toEqual(["secret"]);
    expect(guarantees("custom s3cr3t-value", { secrets: ["s3cr3t-value"] })).toEqual(["secret"]);
    expect(guarantees("REL-127.0.0.1-END", { evidence: [/REL-\d+\.\d+\.\d+\.\d+-END/] })).toEqual(["network"]);
    if (host.ownEnviron.length > 0) expect(guarantees(`env ${host.ownEnviron[0]}`)).toContain("process-env");
    expect(guarantees("nothing to see: HOST CANARY, /etc/passwd, root")).toEqual([]);
  });

  it("records a request to the loopback server, and the helper process holds its canary in /proc", async () => {
    await fetch(host.loopback.url("harness/self-test", "probe.txt"));
    expect(host.loopback.hits.at(-1)).toEqual({ method: "GET", url: "/c/harness-self-test/probe.txt" });
    host.loopback.hits.pop();
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(`/proc/${host.childPid}/environ`, "utf8")).toContain(host.childEnvCanary);
  });

  it("sees a file appear in a watched folder", async () => {
    const before = await listing(host.dir);
    await writeFile(join(host.dir, "appeared.txt"), "x");
    expect(changedEntries(before, await listing(host.dir))).toEqual(["appeared.txt"]);
  });

  it("writes git trees whose entries climb out with `..`", async () => {
    const repo = await GitRepo.init(join(host.dir, "git-self-test"));
    const tree = repo.tree([{ name: "x", tree: [{ name: "..", tree: [{ name: "..", tree: [{ name: "evil.yaml", blob: "a: b\n" }] }] }] }]);
    const commit = repo.commit(tree, "self-test");
    expect(repo.git(["ls-tree", "-r", "--name-only", commit])).toBe("x/../../evil.yaml");
  });

  it("runs the CLI with a capped heap and gets its report when it fits", async () => {
    const dir = join(host.dir, "heap-self-test");
    await writeFiles(join(dir, "head"), { "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: b\n" });
    await writeFiles(join(dir, "base"), { "README.md": "x\n" });
    const run = await runCliWithHeap(["check", "--base", join(dir, "base"), "--head", join(dir, "head"), "--format", "json"], 100);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).changes.map((c) => c.kind)).toEqual(["ConfigMap"]);
  });

  it("tells a report that shows the change from one that hides it", () => {
    const report = (over: Partial<Report>): Report => ({ schemaVersion: 1, base: { ref: "b" }, head: { ref: "h" }, targets: [], changes: [], findings: [], ...over }) as Report;
    expect(showsKind("ClusterRoleBinding")(report({}))).toMatch(/is not in the report/);
    expect(showsKind("ClusterRoleBinding")(report({ changes: [{ kind: "ClusterRoleBinding" } as Report["changes"][number]] }))).toBeUndefined();
    const privileged = { ruleId: "policy/disallow-privileged-host/privileged", introduced: true, severity: "error" } as Report["findings"][number];
    expect(flagsPrivileged()(report({}))).toMatch(/raises no policy finding/);
    expect(flagsPrivileged()(report({ findings: [privileged] }))).toBeUndefined();
  });
});
