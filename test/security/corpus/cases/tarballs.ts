/**
 * Archives the App downloads that try to write outside the extraction folder or read the host:
 * a pax header overriding a safe name with `..`, a GNU long-name entry with `..`, a symlink
 * chain that only escapes once resolved on disk with a file written through it, a hard link
 * to /etc/passwd, an absolute symlink used as a generator file, and backslash separators.
 */
import { gzip, paxRecords, rawTar, type RawEntry } from "../../../helpers/tarball.js";
import { tarballOf } from "../../../app/helpers/demo-repo.js";
import { BASE_SHA, HEAD_SHA, pullRequestPayload } from "../../../app/helpers/payloads.js";
import { writeFiles } from "../harness/files.js";
import type { AppCase } from "../harness/app-case.js";
import { slug, type Host } from "../harness/host.js";
import { configMap } from "./fixtures.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

export const TOP = "octo-demo-1111111";
const up = (host: Host, id: string) => `${"../".repeat(12)}${host.sentinel.replace(/^\//, "")}/${slug(id)}`;

export function tarCase(id: string, attack: string, entries: (host: Host, id: string) => RawEntry[]): AppCase {
  return {
    id,
    attack,
    targets: ["write", "host-file"],
    prepare: async (gh, host) => {
      const dir = await mkdtemp(join(tmpdir(), "corpus-tar-"));
      await writeFiles(dir, { "app/cm.yaml": configMap("settings", { a: "b" }) });
      gh.tarballs.set(BASE_SHA, await tarballOf(dir, BASE_SHA));
      await rm(dir, { recursive: true, force: true });
      const head: RawEntry[] = [
        { path: "pax_global_header", type: "pax-global", body: paxRecords({ comment: HEAD_SHA }) },
        { path: `${TOP}/`, type: "dir" },
        { path: `${TOP}/app/`, type: "dir" },
        { path: `${TOP}/app/cm.yaml`, body: configMap("settings", { a: "c" }) },
        ...entries(host, id),
      ];
      gh.tarballs.set(HEAD_SHA, gzip(rawTar(head)));
    },
    act: async ({ app }) => app.receive("pull_request", pullRequestPayload()),
  };
}

export const tarballCases: AppCase[] = [
  tarCase("tarball/pax-path-with-dotdot", "a pax extended header whose `path` climbs to the sentinel, over a harmless ustar name", (host, id) => [
    { path: "PaxHeaders/x", type: "pax", body: paxRecords({ path: `${TOP}/${up(host, id)}/pax.yaml` }) },
    { path: `${TOP}/app/harmless.yaml`, body: configMap("pax", { a: "b" }) },
  ]),
  tarCase("tarball/gnu-long-name-with-dotdot", "a GNU long-name (`L`) entry whose name climbs to the sentinel", (host, id) => {
    const name = `${TOP}/${up(host, id)}/gnu.yaml\0`;
    return [
      { path: "././@LongLink", type: "L", body: name },
      { path: `${TOP}/app/short.yaml`, body: configMap("gnu", { a: "b" }) },
    ];
  }),
  tarCase("tarball/symlink-chain-then-file-through-it", "x/y/z/up → ../../.. and x/out → y/z/up/.. (inside on paper, outside on disk), then a file x/out/<case>.yaml", (host, id) => [
    { path: `${TOP}/x/y/z/`, type: "dir" },
    { path: `${TOP}/x/y/z/up`, type: "symlink", linkpath: "../../.." },
    { path: `${TOP}/x/out`, type: "symlink", linkpath: "y/z/up/.." },
    { path: `${TOP}/x/out/${slug(id)}.yaml`, body: configMap("escaped", { a: "b" }) },
  ]),
  tarCase("tarball/hard-link-to-etc-passwd", "a hard link app/passwd.txt → /etc/passwd used by a generator", () => [
    { path: `${TOP}/app/passwd.txt`, type: "hardlink", linkpath: "/etc/passwd" },
    { path: `${TOP}/app/kustomization.yaml`, body: "resources:\n- cm.yaml\nconfigMapGenerator:\n- name: users\n  files:\n  - passwd.txt\n" },
  ]),
  tarCase("tarball/absolute-symlink-to-host-file", "a symlink app/secret.txt → the host canary, used by a generator", (host) => [
    { path: `${TOP}/app/secret.txt`, type: "symlink", linkpath: host.files.secretTxt },
    { path: `${TOP}/app/kustomization.yaml`, body: "resources:\n- cm.yaml\nconfigMapGenerator:\n- name: stolen\n  files:\n  - secret.txt\n" },
  ]),
  tarCase("tarball/backslash-separators", "an entry named with backslashes climbing to the sentinel", (host, id) => [
    { path: `${TOP}/..\\..\\${basename(host.sentinel)}\\${slug(id)}.yaml`, body: configMap("bs", { a: "b" }) },
  ]),
];
