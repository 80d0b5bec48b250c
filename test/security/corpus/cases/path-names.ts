/**
 * File names as bytes. Git stores names as bytes; a checkout writes them as they are and
 * `kubectl apply -f <folder>` reads every file. Two names that differ only in bytes that are
 * not UTF-8 (`\xfe.yaml`, `\xff.yaml`) must stay two files: decoded loosely they become one
 * name (`\ufffd.yaml`), and one of the two files, here a ClusterRoleBinding, disappears.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CliCase } from "../harness/cli.js";
import { showsKind } from "../harness/cli.js";
import { GitRepo } from "../harness/files.js";
import { revision } from "./write.js";
import { configMap, CRB } from "./fixtures.js";

export const pathNameCases: CliCase[] = [
  {
    id: "paths/non-utf8-names-collide",
    attack: "a git head adding deploy/\\xfe.yaml (a ClusterRoleBinding) and deploy/\\xff.yaml (a ConfigMap): decoded as UTF-8 both are deploy/\\ufffd.yaml",
    targets: ["visible"],
    build: () => ({
      head: {},
      sources: async ({ work }) => {
        const dir = join(work, "git");
        const repo = await GitRepo.init(dir);
        await mkdir(join(dir, "deploy"), { recursive: true });
        await writeFile(join(dir, "deploy/cm.yaml"), configMap("settings", { a: "b" }));
        repo.git(["add", "-A"]);
        repo.git(["commit", "-q", "-m", "base"]);
        const base = repo.git(["rev-parse", "HEAD"]);
        const folder = Buffer.from(join(dir, "deploy/"));
        await writeFile(Buffer.concat([folder, Buffer.from([0xfe]), Buffer.from(".yaml")]), CRB);
        await writeFile(Buffer.concat([folder, Buffer.from([0xff]), Buffer.from(".yaml")]), configMap("other", { a: "b" }));
        repo.git(["add", "-A"]);
        repo.git(["commit", "-q", "-m", "head"]);
        const head = repo.git(["rev-parse", "HEAD"]);
        return { args: ["--repo", repo.dir, "--base", revision(base), "--head", revision(head)] };
      },
      hidden: showsKind("ClusterRoleBinding"),
    }),
  },
];
