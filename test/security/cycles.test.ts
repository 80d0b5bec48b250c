/**
 * Found item 11 (second half): a mutual kustomize cycle (a lists ../b, b lists ../a) was skipped
 * without a finding: each folder used the other, so neither was a target, and the input walk's
 * visited set ended every other cycle quietly. kustomize refuses to build any of them ("cycle
 * detected"); each must be an error that names the chain of kustomization files and the line.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { discoverKustomizations } from "../../src/render/kustomize/discover.js";
import { kustomizeInputs } from "../../src/render/kustomize/inputs.js";
import { memoryTree } from "../helpers/memory-tree.js";
import { runCli } from "../helpers/cli.js";
import { writeTree } from "../helpers/write-tree.js";

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

/** Every shape of cycle, each in its own folder tree, plus a healthy target that must still render. */
const HEAD: Record<string, string> = {
  "self/kustomization.yaml": "resources:\n  - cm.yaml\n  - .\n",
  "self/cm.yaml": CM("self"),
  "mutual/a/kustomization.yaml": "resources:\n  - cm.yaml\n  - ../b\n",
  "mutual/a/cm.yaml": CM("a"),
  "mutual/b/kustomization.yaml": "resources:\n  - ../a\n",
  "long/x/kustomization.yaml": "bases:\n  - ../y\n",
  "long/y/kustomization.yaml": "resources:\n  - ../z\n",
  "long/z/kustomization.yaml": "resources:\n  - cm.yaml\n  - ../x\n",
  "long/z/cm.yaml": CM("z"),
  "component/overlay/kustomization.yaml": "resources:\n  - cm.yaml\ncomponents:\n  - ../comp\n",
  "component/overlay/cm.yaml": CM("overlay"),
  "component/comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - ../overlay\n",
  "below/root/kustomization.yaml": "resources:\n  - ../a\n",
  "below/a/kustomization.yaml": "resources:\n  - ../b\n",
  "below/b/kustomization.yaml": "resources:\n  - cm.yaml\n  - ../a\n",
  "below/b/cm.yaml": CM("b"),
  "healthy/kustomization.yaml": "resources:\n  - cm.yaml\n",
  "healthy/cm.yaml": CM("healthy"),
};

let work: string;
let report: Report;


beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-cycles-"));
  await writeTree(join(work, "base"), { "healthy/kustomization.yaml": "resources:\n  - cm.yaml\n", "healthy/cm.yaml": CM("old") });
  await writeTree(join(work, "head"), HEAD);
  const run = await runCli(["check", "--base", join(work, "base"), "--head", join(work, "head"), "--format", "json"]);
  expect(run.code, run.stderr).toBe(1);
  report = JSON.parse(run.stdout) as Report;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const cycles = () =>
  report.findings
    .filter((f) => f.ruleId === "render/kustomize-cycle")
    .map((f) => ({ target: f.target, severity: f.severity, file: f.file, line: f.line, message: f.message }))
    .sort((a, b) => a.target.localeCompare(b.target));

const closing = (file: string, line: number, field: string, entry: string, chain: string) =>
  `${file}:${line}: ${field} entry "${entry}" closes a cycle: ${chain}. kustomize refuses to build a kustomization that includes itself; remove one of these references.`;

describe("kustomize cycles", () => {
  it("are each one error naming the chain and the line that closes it", () => {
    expect(cycles()).toEqual([
      {
        target: "below/root",
        severity: "error",
        file: "below/b/kustomization.yaml",
        line: 3,
        message: closing("below/b/kustomization.yaml", 3, "resources", "../a", "below/a/kustomization.yaml:2 → below/b/kustomization.yaml:3 → below/a/kustomization.yaml"),
      },
      {
        target: "component/overlay",
        severity: "error",
        file: "component/comp/kustomization.yaml",
        line: 4,
        message: closing(
          "component/comp/kustomization.yaml",
          4,
          "resources",
          "../overlay",
          "component/overlay/kustomization.yaml:4 → component/comp/kustomization.yaml:4 → component/overlay/kustomization.yaml",
        ),
      },
      {
        target: "long/x",
        severity: "error",
        file: "long/z/kustomization.yaml",
        line: 3,
        message: closing("long/z/kustomization.yaml", 3, "resources", "../x", "long/x/kustomization.yaml:2 → long/y/kustomization.yaml:2 → long/z/kustomization.yaml:3 → long/x/kustomization.yaml"),
      },
      {
        target: "mutual/a",
        severity: "error",
        file: "mutual/b/kustomization.yaml",
        line: 2,
        message: closing("mutual/b/kustomization.yaml", 2, "resources", "../a", "mutual/a/kustomization.yaml:3 → mutual/b/kustomization.yaml:2 → mutual/a/kustomization.yaml"),
      },
      {
        target: "self",
        severity: "error",
        file: "self/kustomization.yaml",
        line: 3,
        message: closing("self/kustomization.yaml", 3, "resources", ".", "self/kustomization.yaml:3 → self/kustomization.yaml"),
      },
    ]);
  });

  it("stop the target before kustomize runs, and leave other targets alone", () => {
    for (const id of ["below/root", "component/overlay", "long/x", "mutual/a", "self"]) {
      expect(report.targets.find((t) => t.id === id)?.status, id).toBe("skipped");
    }
    expect(report.findings.filter((f) => f.ruleId === "render/failed")).toEqual([]);
    expect(report.targets.find((t) => t.id === "healthy")?.status).toBe("rendered");
  });
});

describe("discovery", () => {
  it("keeps one target for a cycle that no other kustomization uses, and none for the folders it reaches", async () => {
    const targets = await discoverKustomizations(memoryTree("head", HEAD));
    expect(targets.map((t) => t.id)).toEqual(["below/root", "component/overlay", "healthy", "long/x", "mutual/a", "self"]);
  });

  it("still makes no target of a Component nobody uses", async () => {
    const tree = memoryTree("head", { "c/kustomization.yaml": "kind: Component\nresources: [cm.yaml]\n", "c/cm.yaml": CM("c") });
    expect(await discoverKustomizations(tree)).toEqual([]);
  });

  it("does not call a diamond a cycle", async () => {
    const tree = memoryTree("head", {
      "top/kustomization.yaml": "resources: [../l, ../r]\n",
      "l/kustomization.yaml": "resources: [../base]\n",
      "r/kustomization.yaml": "resources: [../base]\n",
      "base/kustomization.yaml": "resources: [cm.yaml]\n",
      "base/cm.yaml": CM("base"),
    });
    expect((await kustomizeInputs("top", tree)).blocking).toEqual([]);
  });
});
