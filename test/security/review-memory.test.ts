/**
 * Shipshape's own memory (issue 11, corpus case memory/sixteen-charts-just-under-the-output-cap):
 * the rendered resources take several times their text in the heap, and the report (its diff
 * texts) as much again. The review lets the resources go once the report no longer needs them,
 * before the report is scrubbed (a copy) and formatted, so the two are not held at once.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { review, type ReviewOptions } from "../../src/core/pipeline/review.js";
import type { Renderer } from "../../src/core/ports.js";
import { SecretSet } from "../../src/core/secrets/secret-set.js";
import { createManifestsRenderer } from "../../src/render/manifests/renderer.js";
import { memoryTree } from "../helpers/memory-tree.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const options: ReviewOptions = {
  explicitTargets: [],
  discovery: true,
  ignore: [],
  limits: { timeoutMs: 10_000, maxOutputBytes: 1 << 24 },
  concurrency: 2,
  ignoreFields: [],
};

const cm = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: "${value}"\n`;

/**
 * The manifests renderer, keeping a weak reference to every resource it returns. Each render
 * parses afresh: the renderer's own cache of parsed files lives as long as the renderer (one
 * analysis), which is not what this test is about.
 */
function watchedRenderer(refs: WeakRef<object>[]): Renderer {
  const inner = createManifestsRenderer();
  return {
    ...inner,
    async render(target, tree, limits) {
      const outcome = await createManifestsRenderer().render(target, tree, limits);
      if (outcome.status === "ok") for (const r of outcome.resources) refs.push(new WeakRef(r.body));
      // A WeakRef holds its target until the job that made it ends: end it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return outcome;
    },
  };
}

/** A secret set that, when the report reaches it, counts the rendered bodies still alive. */
class Probe extends SecretSet {
  alive = -1;
  constructor(private readonly refs: WeakRef<object>[]) {
    super();
  }
  override scrubDeep<T>(value: T, options?: Parameters<SecretSet["scrubDeep"]>[1]): T {
    gc();
    this.alive = this.refs.filter((r) => r.deref() !== undefined).length;
    return super.scrubDeep(value, options);
  }
}

describe("the review's memory", () => {
  it("has let every rendered resource go by the time the report is scrubbed", async () => {
    const refs: WeakRef<object>[] = [];
    const head: Record<string, string> = {};
    for (let t = 0; t < 3; t++) head[`apps/t${t}/all.yaml`] = Array.from({ length: 50 }, (_, i) => cm(`cm-${i}`, "x".repeat(200))).join("---\n");
    const probe = new Probe(refs);
    const { report } = await review(memoryTree("base", { "README.md": "x\n" }), memoryTree("head", head), options, {
      renderers: new Map([["manifests", watchedRenderer(refs)]]),
      secrets: probe,
      now: () => 0,
    });
    expect(report.changes).toHaveLength(150);
    expect(refs).toHaveLength(150);
    expect(probe.alive).toBe(0);
  });
});
