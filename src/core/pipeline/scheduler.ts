/**
 * Runs renders: at most `concurrency` at once, each distinct render once. A render is
 * identified by its type, options and input contents, so the same chart with the same
 * values is rendered once even when two targets (or both sides) ask for it.
 */
import type { TargetSpec } from "../model/target.js";
import type { InputProblem, InputSet, RenderLimits, RenderOutcome, Renderer, Tree } from "../ports.js";
import type { RendererRegistry, SideTargets } from "./discover.js";
import { createLimit } from "./limit.js";

export interface SideRender {
  outcome?: RenderOutcome;
  blocked: InputProblem[];
  ms: number;
  /** The spec as rendered (with the effective Kubernetes version). */
  spec: TargetSpec;
}

export interface Scheduler {
  render(tree: Tree, side: SideTargets, id: string, kubernetesVersion: string | undefined): Promise<SideRender | undefined>;
}

export function createScheduler(renderers: RendererRegistry, limits: RenderLimits, concurrency: number, now: () => number): Scheduler {
  const limit = createLimit(Math.max(1, concurrency));
  const cache = new Map<string, Promise<{ outcome: RenderOutcome; ms: number }>>();
  return {
    async render(tree, side, id, kubernetesVersion) {
      const found = side.targets.get(id);
      const inputs = side.inputs.get(id);
      if (!found || !inputs) return undefined;
      const spec = kubernetesVersion && !found.kubernetesVersion ? { ...found, kubernetesVersion } : found;
      if (inputs.blocking.length > 0) return { blocked: inputs.blocking, ms: 0, spec };
      const key = await renderKey(spec, inputs, tree);
      const cached = cache.get(key);
      if (cached) return { outcome: (await cached).outcome, blocked: [], ms: 0, spec };
      const renderer: Renderer = renderers.get(spec.type)!;
      // Timed inside the limiter so waiting for a free slot does not count as render time.
      const pending = limit(async () => {
        const start = now();
        const outcome = await renderer.render(spec, tree, limits).catch(
          (err: Error): RenderOutcome => ({ status: "tool-error", message: `${spec.type} renderer crashed: ${err.message}` }),
        );
        return { outcome, ms: now() - start };
      });
      cache.set(key, pending);
      const { outcome, ms } = await pending;
      return { outcome, blocked: [], ms, spec };
    },
  };
}

/** Same type, options and input contents → same output, whichever side or target asks. */
async function renderKey(spec: TargetSpec, inputs: InputSet, tree: Tree): Promise<string> {
  const { id: _id, name: _name, explicit: _explicit, ...options } = spec;
  const files = [...inputs.files].sort();
  const digests = await Promise.all(files.map((f) => (tree.hasFile(f) ? tree.digest(f) : "absent")));
  return JSON.stringify([options, files.map((f, i) => `${f}:${digests[i]}`)]);
}
