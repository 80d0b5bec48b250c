/**
 * Choosing what Shipshape runs through how --base is resolved or through config: a folder the
 * pull request adds, named like the base revision, holding a config whose render.binaries
 * points at a script in the pull request (found item 3 used `origin/main`; these use
 * `HEAD~1` and a branch name), and a base config naming a program the head provides.
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CliCase, CliSetup } from "../harness/cli.js";
import { GitRepo } from "../harness/files.js";
import { slug, type Host } from "../harness/host.js";
import { configMap } from "./fixtures.js";

/** A script that leaves a file in the sentinel when it runs, then behaves like an empty build. */
async function plantScript(path: string, host: Host, id: string): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, `#!/bin/sh\necho ran > '${host.sentinel}/${slug(id)}-ran'\n`);
  await chmod(path, 0o755);
}

async function commitAll(repo: GitRepo, message: string): Promise<string> {
  repo.git(["add", "-A"]);
  repo.git(["commit", "-q", "-m", message]);
  return repo.git(["rev-parse", "HEAD"]);
}

/** A git checkout whose head adds a folder named `shadow` holding a config that names `script`. */
function shadowCase(shadow: string, baseArg: string): (host: Host, id: string) => CliSetup {
  return (host, id) => ({
    head: {},
    sources: async ({ work }) => {
      const dir = join(work, "checkout");
      const repo = await GitRepo.init(dir);
      repo.git(["checkout", "-q", "-b", "main"]);
      await mkdir(join(dir, "app"), { recursive: true });
      await writeFile(join(dir, "app/kustomization.yaml"), "resources:\n- cm.yaml\n");
      await writeFile(join(dir, "app/cm.yaml"), configMap("settings", { a: "b" }));
      await commitAll(repo, "base");
      repo.git(["checkout", "-q", "-b", "feature"]);
      await writeFile(join(dir, "app/cm.yaml"), configMap("settings", { a: "c" }));
      const script = join(dir, shadow, "tools/kubectl");
      await plantScript(script, host, id);
      await mkdir(join(dir, shadow, ".github"), { recursive: true });
      await writeFile(join(dir, shadow, ".github/shipshape.yml"), `render:\n  binaries:\n    kubectl: ${script}\n    kustomize: ${script}\n    helm: ${script}\n`);
      await mkdir(join(dir, shadow, "app"), { recursive: true });
      await writeFile(join(dir, shadow, "app/kustomization.yaml"), "resources:\n- cm.yaml\n");
      await writeFile(join(dir, shadow, "app/cm.yaml"), configMap("settings", { a: "b" }));
      await commitAll(repo, "head");
      return { args: ["--repo", ".", "--base", baseArg, "--head", "HEAD"], cwd: dir };
    },
  });
}

export const sourceCases: CliCase[] = [
  {
    id: "sources/folder-named-HEAD~1-shadows-base",
    attack: "--base HEAD~1 in a checkout whose head adds a folder `HEAD~1/` with a config naming its own kubectl script",
    targets: ["write"],
    build: shadowCase("HEAD~1", "HEAD~1"),
  },
  {
    id: "sources/folder-named-main-shadows-branch",
    attack: "--base main in a checkout whose head adds a folder `main/` with a config naming its own kubectl script",
    targets: ["write"],
    build: shadowCase("main", "main"),
  },
  {
    id: "sources/base-config-names-head-program",
    attack: "the base config's render.binaries names a program inside the head checkout",
    targets: ["write"],
    build: (host, id) => ({
      base: { "app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": configMap("settings", { a: "b" }) },
      head: { "app/cm.yaml": configMap("settings", { a: "c" }) },
      sources: async ({ base, head }) => {
        const script = join(head, "bin/kubectl");
        await plantScript(script, host, id);
        await mkdir(join(base, ".github"), { recursive: true });
        await writeFile(join(base, ".github/shipshape.yml"), `render:\n  binaries:\n    kubectl: ${script}\n    kustomize: ${script}\n`);
        return { args: ["--base", base, "--head", head] };
      },
    }),
  },
];
