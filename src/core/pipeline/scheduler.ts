/**
 * Runs renders: at most `concurrency` at once, each distinct render once. A render is
 * identified by its type, options and input contents, so the same chart with the same
 * values is rendered once even when two targets (or both sides) ask for it.
 *
 * The review's time budget is an abort signal: once it fires, renders in flight are
 * stopped (the renderers pass it to their tools) and renders not started never start. Such
 * a side comes back `budgetExhausted`, and the review reports its target as skipped.
 */
import type { TargetSpec } from "../model/target.js";
import type { InputProblem, InputSet, RenderLimits, RenderOutcome, Renderer, Tree } from "../ports.js";
import type { RendererRegistry, SideTargets } from "./discover.js";
import { createLimit } from "./limit.js";
import { createOutputBudget, outputBudgetProblem } from "./output-budget.js";

export interface SideRender {
  outcome?: RenderOutcome;
  blocked: InputProblem[];
  ms: number;
  /** The spec as rendered (with the effective Kubernetes version). */
  spec: TargetSpec;
  /** The time budget ran out before this side finished rendering: there is no outcome. */
  budgetExhausted?: true;
}

export interface Scheduler {
  render(tree: Tree, side: SideTargets, id: string, kubernetesVersion: string | undefined): Promise<SideRender | undefined>;
  /** Forgets the renders it kept for reuse, so their resources can be freed once the review is done with them. */
  release(): void;
  /** Renders once more, never from the cache: to see whether the same input renders the same. */
  renderAgain(tree: Tree, side: SideTargets, id: string, kubernetesVersion: string | undefined): Promise<SideRender | undefined>;
}

interface Done {
  outcome?: RenderOutcome;
  ms: number;
}

export function createScheduler(renderers: RendererRegistry, limits: RenderLimits, concurrency: number, now: () => number, budget?: AbortSignal): Scheduler {
  const limit = createLimit(Math.max(1, concurrency));
  const cache = new Map<string, Promise<Done>>();
  const outputBudget = createOutputBudget(limits.maxTotalOutputBytes);
  const renderLimits: RenderLimits = { ...limits, ...(budget ? { signal: budget } : {}), ...(outputBudget ? { outputBudget } : {}) };
  const run = (renderer: Renderer, spec: TargetSpec, tree: Tree) =>
    limit(async (): Promise<Done> => {
      if (budget?.aborted) return { ms: 0 };
      if (outputBudget?.exhausted) return { outcome: { status: "invalid", problems: [outputBudgetProblem(outputBudget.limit)] }, ms: 0 };
      // Timed inside the limiter so waiting for a free slot does not count as render time.
      const start = now();
      const outcome = await renderer.render(spec, tree, renderLimits).catch(
        (err: Error): RenderOutcome => ({ status: "tool-error", message: `${spec.type} renderer crashed: ${err.message}` }),
      );
      // A render that finished before the budget ran out keeps its result; one that was
      // stopped by it (whatever it then reported) has none.
      if (budget?.aborted && outcome.status !== "ok") return { ms: now() - start };
      return { outcome, ms: now() - start };
    });
  const prepare = (side: SideTargets, id: string, kubernetesVersion: string | undefined) => {
    const found = side.targets.get(id);
    const inputs = side.inputs.get(id);
    if (!found || !inputs) return undefined;
    const spec = kubernetesVersion && !found.kubernetesVersion ? { ...found, kubernetesVersion } : found;
    return { spec, inputs };
  };
  return {
    async render(tree, side, id, kubernetesVersion) {
      const prepared = prepare(side, id, kubernetesVersion);
      if (!prepared) return undefined;
      const { spec, inputs } = prepared;
      if (inputs.blocking.length > 0) return { blocked: inputs.blocking, ms: 0, spec };
      if (budget?.aborted) return { blocked: [], ms: 0, spec, budgetExhausted: true };
      const key = await renderKey(spec, inputs, tree);
      const cached = cache.get(key);
      if (cached) return sideRender(await cached, 0, spec);
      const pending = run(renderers.get(spec.type)!, spec, tree);
      cache.set(key, pending);
      const done = await pending;
      return sideRender(done, done.ms, spec);
    },
    release() {
      cache.clear();
    },
    async renderAgain(tree, side, id, kubernetesVersion) {
      const prepared = prepare(side, id, kubernetesVersion);
      if (!prepared || prepared.inputs.blocking.length > 0 || budget?.aborted) return undefined;
      const done = await run(renderers.get(prepared.spec.type)!, prepared.spec, tree);
      return sideRender(done, done.ms, prepared.spec);
    },
  };
}

function sideRender(done: Done, ms: number, spec: TargetSpec): SideRender {
  return done.outcome ? { outcome: done.outcome, blocked: [], ms, spec } : { blocked: [], ms, spec, budgetExhausted: true };
}

/** Same type, options and input contents → same output, whichever side or target asks. */
async function renderKey(spec: TargetSpec, inputs: InputSet, tree: Tree): Promise<string> {
  const { id: _id, name: _name, explicit: _explicit, ...options } = spec;
  const files = [...inputs.files].sort();
  const digests = await Promise.all(files.map((f) => (tree.hasFile(f) ? tree.digest(f) : "absent")));
  return JSON.stringify([options, files.map((f, i) => `${f}:${digests[i]}`)]);
}
