/**
 * An ArtifactGenerator's copy destinations are repository text that becomes file paths Shipshape
 * writes (the artifact is materialised in the scratch folder for kustomize): a destination that
 * climbs out of the artifact is refused before anything is written, and so is a source path that
 * climbs out of the repository.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFluxRenderer } from "../../src/render/flux/renderer.js";
import { memoryTree } from "../helpers/memory-tree.js";
import { testScratchDir, testToolOptions } from "../helpers/tool-options.js";

const generator = (from: string, to: string) => `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: flux-system
  namespace: flux-system
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: apps
      copy:
        - from: "${from}"
          to: "${to}"
`;
const kustomization = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./
  prune: true
  sourceRef:
    kind: ExternalArtifact
    name: apps
`;

describe("ArtifactGenerator paths", () => {
  it.each([
    ["a destination above the artifact", "@repo/apps/**", "@artifact/../../../escaped/", "leaves the artifact"],
    ["a file destination above the artifact", "@repo/apps/cm.yaml", "@artifact/../../escaped.yaml", "leaves the artifact"],
    ["a source above the repository", "@repo/../../etc/**", "@artifact/", "leaves the source"],
  ])("refuses %s", async (_what, from, to, why) => {
    const scratchDir = join(testScratchDir(), `artifact-${Math.random().toString(36).slice(2)}`, "scratch");
    const tree = memoryTree("head", {
      "clusters/prod/artifacts.yaml": generator(from, to),
      "clusters/prod/apps.yaml": kustomization,
      "apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n",
    });
    const renderer = createFluxRenderer(testToolOptions({ scratchDir }));
    const target = { id: "flux:flux-system/apps", type: "flux" as const, path: "clusters/prod" };
    const out = await renderer.render(target, tree, { timeoutMs: 30_000, maxOutputBytes: 1024 * 1024 });
    expect(out.status === "invalid" && out.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([expect.stringMatching(new RegExp(`^gitops/source-unavailable: .*${why}`))]);
    // The artifact's folder is <scratch>/gitops/artifact-…: where the escapes would have landed.
    expect(existsSync(join(scratchDir, "..", "escaped", "cm.yaml"))).toBe(false);
    expect(existsSync(join(scratchDir, "escaped.yaml"))).toBe(false);
  });
});
