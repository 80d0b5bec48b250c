/**
 * Writing outside the scratch folder while a snapshot is materialised for the tools: git
 * trees made by hand (what `git` itself refuses to create) whose entries are named `..`,
 * hold slashes, start with `/`, or pair a symlink with a folder of the same name. Each
 * aims at the sentinel folder; the found item 4 used nested `x/../../..` folders with plain
 * manifests, these use kustomizations and charts, which the renderers materialise.
 */
import { join } from "node:path";
import type { CliCase, CliSetup } from "../harness/cli.js";
import { GitRepo, type TreeNode } from "../harness/files.js";
import { slug, type Host } from "../harness/host.js";
import { configMap } from "./fixtures.js";

const KUSTOMIZATION = "configMapGenerator:\n- name: planted\n  literals:\n  - a=b\n";
const CHART = [
  { name: "Chart.yaml", blob: "apiVersion: v2\nname: planted\nversion: 0.1.0\n" },
  { name: "templates", tree: [{ name: "cm.yaml", blob: configMap("planted", { a: "b" }) }] },
];

/** Nodes for `path` (slash-separated, `..` allowed) holding `leaf`. */
function nest(path: string, leaf: TreeNode[]): TreeNode[] {
  const parts = path.split("/").filter((p) => p !== "");
  let nodes = leaf;
  for (const name of parts.reverse()) nodes = [{ name, tree: nodes }];
  return nodes;
}

/** Base: one benign manifest. Head: the same plus `extra` at the root of the tree. */
function gitCase(build: (host: Host, id: string) => TreeNode[]): (host: Host, id: string) => CliSetup {
  return (host, id) => ({
    head: {},
    sources: async ({ work }) => {
      const repo = await GitRepo.init(join(work, "git"));
      const benign: TreeNode = { name: "deploy", tree: [{ name: "cm.yaml", blob: configMap("benign", { a: "b" }) }] };
      const base = repo.commit(repo.tree([benign]), "base");
      const head = repo.commit(repo.tree([benign, ...build(host, id)]), "head", base);
      return { args: ["--repo", repo.dir, "--base", revision(base), "--head", revision(head)] };
    },
  });
}

/**
 * How a git revision is written on the command line. The CLI may gain explicit source forms
 * (issue 11); a full commit id that names no folder is a revision in every form so far.
 */
export function revision(sha: string): string {
  return sha;
}

/** `../` enough times from a scratch folder, then the sentinel, split into tree entries. */
const toSentinel = (host: Host, id: string) => `${"../".repeat(12)}${host.sentinel.replace(/^\//, "")}/${slug(id)}`;

export const writeCases: CliCase[] = [
  {
    id: "write/git-tree-dotdot-folders-kustomization",
    attack: "tree entries named `..` leading to the sentinel, holding a kustomization with no file references",
    targets: ["write"],
    build: gitCase((host, id) => nest(`x/${toSentinel(host, id)}`, [{ name: "kustomization.yaml", blob: KUSTOMIZATION }])),
  },
  {
    id: "write/git-tree-entry-name-with-slashes-chart",
    attack: "one tree entry whose name holds slashes and `..` (`../../…/sentinel/x`), holding a chart",
    targets: ["write"],
    build: gitCase((host, id) => [{ name: toSentinel(host, id), tree: CHART }]),
  },
  {
    id: "write/git-tree-absolute-entry-name-reads-host-folder",
    attack: "a tree entry named like an absolute path (`/tmp/…/kust`): the target path becomes an absolute tool argument",
    targets: ["host-file", "write"],
    build: gitCase((host) => [{ name: host.files.kustDir, tree: [{ name: "kustomization.yaml", blob: "resources: []\n" }] }]),
  },
  {
    id: "write/git-tree-symlink-then-folder-same-name",
    attack: "a symlink `s` → the sentinel and a folder `s/` with a kustomization, in one tree",
    targets: ["write"],
    build: gitCase((host, id) => [
      { name: "s", link: `${host.sentinel}/${slug(id)}` },
      { name: "s", tree: [{ name: "kustomization.yaml", blob: KUSTOMIZATION }] },
    ]),
  },
  {
    id: "write/git-tree-dotdot-in-chart-templates",
    attack: "a chart whose templates folder holds an entry named `..` chain to the sentinel",
    targets: ["write"],
    build: gitCase((host, id) => [
      {
        name: "web",
        tree: [
          { name: "Chart.yaml", blob: "apiVersion: v2\nname: web\nversion: 0.1.0\n" },
          { name: "templates", tree: [{ name: "cm.yaml", blob: configMap("web", { a: "b" }) }, ...nest(toSentinel(host, id), [{ name: "x.yaml", blob: configMap("planted", { a: "b" }) }])] },
        ],
      },
    ]),
  },
];
