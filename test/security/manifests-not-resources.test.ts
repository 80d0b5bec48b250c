/**
 * Issue 12 leaves some YAML out of the review as "not a resource": config files of tools no
 * cluster serves (skaffold.yaml), nameless objects, `$patch` documents. None of that may hide an
 * object kubectl would apply: a ClusterRoleBinding in the same file as a skaffold Config is still
 * added, and a `$patch: delete` stub in a manifests folder (which kubectl with validation off
 * would create) is an error naming its file, so the check fails.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { addedObjects, checkTrees, CONFIG_MAP, CRB, introducedErrors, kubectlObjects } from "./manifests-kubectl.js";

const SKAFFOLD = "apiVersion: skaffold/v4beta6\nkind: Config\nmetadata:\n  name: app\n";

const HEAD: Record<string, string> = {
  "deploy/cm.yaml": CONFIG_MAP("visible"),
  "deploy/skaffold.yaml": `${SKAFFOLD}---\n${CRB("beside-skaffold")}`,
  "deploy/stub.yaml": `${CRB("patch-stub")}$patch: delete\n`,
  "tools/skaffold.yaml": SKAFFOLD,
};

let work: string;
let report: Report;
let headDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-not-resources-"));
  ({ report, headDir } = await checkTrees(work, { "README.md": "base\n" }, HEAD));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("what is left out as not a resource hides nothing kubectl applies", () => {
  it("adds the ClusterRoleBinding that shares a file with a skaffold Config, as kubectl reads it", () => {
    const kubectl = kubectlObjects(join(headDir, "deploy"));
    expect(kubectl.names).toContain("clusterrolebinding.rbac.authorization.k8s.io/beside-skaffold");
    expect(addedObjects(report, ["deploy"])).toContain("clusterrolebinding.rbac.authorization.k8s.io/beside-skaffold");
  });

  it("makes a `$patch` stub an introduced error naming its file, never a silent skip", () => {
    expect(introducedErrors(report, "deploy")).toEqual([{ ruleId: "input/patch-document", file: "deploy/stub.yaml", line: 1 }]);
    expect(addedObjects(report, ["deploy"])).not.toContain("clusterrolebinding.rbac.authorization.k8s.io/patch-stub");
  });

  it("makes no target of a folder holding only a skaffold config", () => {
    expect(report.targets.map((t) => t.id)).toEqual(["deploy"]);
  });
});
