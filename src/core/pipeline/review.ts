/**
 * The review pipeline: discover targets on both sides, keep those whose inputs changed,
 * render them (in parallel, each distinct render once), diff, and assemble the Report.
 * Everything outside (trees, tools) comes in through ports.
 */
import { diffTarget } from "../diff/diff-target.js";
import { compileIgnoreFields } from "../diff/ignore-fields.js";
import type { Change } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import type { Report, RendererInfo, TargetReport, TargetStatus } from "../model/report.js";
import type { Resource } from "../model/resource.js";
import type { TargetSpec, TargetType } from "../model/target.js";
import { defaultNamespaces } from "../namespaces.js";
import { silentLogger, type InputProblem, type InputSet, type Logger, type RenderLimits, type RenderOutcome, type Tree } from "../ports.js";
import { discoverSide, type RendererRegistry, type SideTargets } from "./discover.js";
import { markIntroduced, problemToFinding } from "./findings.js";
import { createLimit } from "./limit.js";

export interface ReviewOptions {
  explicitTargets: readonly TargetSpec[];
  discovery: boolean;
  ignore: readonly string[];
  limits: RenderLimits;
  concurrency: number;
  ignoreFields: readonly string[];
  kubernetesVersion?: string;
}

export interface ReviewDeps {
  renderers: RendererRegistry;
  logger?: Logger;
  /** Monotonic milliseconds; injectable so tests get stable durations. */
  now?: () => number;
}

export interface ReviewResult {
  report: Report;
  /** Failures of Shipshape or its tools (not of the user's input): the run exits 3. */
  toolErrors: string[];
}

interface SideRender {
  outcome?: RenderOutcome;
  blocked: InputProblem[];
  ms: number;
}

export async function review(base: Tree, head: Tree, options: ReviewOptions, deps: ReviewDeps): Promise<ReviewResult> {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => performance.now());
  const discoverOptions = { discovery: options.discovery, explicitTargets: options.explicitTargets, ignore: options.ignore };
  const [baseSide, headSide] = await Promise.all([
    discoverSide(base, deps.renderers, discoverOptions),
    discoverSide(head, deps.renderers, discoverOptions),
  ]);
  const ids = [...new Set([...baseSide.targets.keys(), ...headSide.targets.keys()])].sort();
  logger.debug("targets discovered", { count: ids.length });

  const infos = resolveInfos(deps.renderers, ids.map((id) => (headSide.targets.get(id) ?? baseSide.targets.get(id))!.type));
  const limit = createLimit(Math.max(1, options.concurrency));
  const cache = new Map<string, Promise<{ outcome: RenderOutcome; ms: number }>>();
  const stripNoise = compileIgnoreFields(options.ignoreFields);
  const toolErrors: string[] = [];
  const findings: Finding[] = [];
  const changes: Change[] = [];

  const renderSide = async (tree: Tree, side: SideTargets, id: string): Promise<SideRender | undefined> => {
    const spec = side.targets.get(id);
    const inputs = side.inputs.get(id);
    if (!spec || !inputs) return undefined;
    if (inputs.blocking.length > 0) return { blocked: inputs.blocking, ms: 0 };
    const withVersion = options.kubernetesVersion && !spec.kubernetesVersion ? { ...spec, kubernetesVersion: options.kubernetesVersion } : spec;
    const key = await renderKey(withVersion, inputs, tree);
    const cached = cache.get(key);
    if (cached) return { outcome: (await cached).outcome, blocked: [], ms: 0 };
    const renderer = deps.renderers.get(spec.type)!;
    // Timed inside the limiter so waiting for a free slot does not count as render time.
    const pending = limit(async () => {
      const start = now();
      const outcome = await renderer.render(withVersion, tree, options.limits).catch(
        (err: Error): RenderOutcome => ({ status: "tool-error", message: `${spec.type} renderer crashed: ${err.message}` }),
      );
      return { outcome, ms: now() - start };
    });
    cache.set(key, pending);
    const { outcome, ms } = await pending;
    return { outcome, blocked: [], ms };
  };

  const targets = await Promise.all(
    ids.map(async (id): Promise<TargetReport> => {
      const spec = (headSide.targets.get(id) ?? baseSide.targets.get(id))!;
      const affected = await isAffected(id, baseSide, headSide, base, head);
      const renderer = await infos.get(spec.type)!;
      const common = { id, type: spec.type, path: spec.path, renderer };
      if (!affected) {
        return { ...common, affected: false, status: "unchanged", resources: { base: 0, head: 0 }, durationMs: 0 };
      }
      const [b, h] = await Promise.all([renderSide(base, baseSide, id), renderSide(head, headSide, id)]);
      const namespace = spec.namespace ?? "default";
      const baseRes = resourcesOf(b, namespace);
      const headRes = resourcesOf(h, namespace);
      const headFindings = sideFindings(h, headSide.inputs.get(id), id);
      const baseFindings = sideFindings(b, baseSide.inputs.get(id), id);
      findings.push(...markIntroduced(headFindings, baseFindings));
      const toolError = [b, h].map((s) => (s?.outcome?.status === "tool-error" ? s.outcome.message : undefined)).find(Boolean);
      if (toolError) toolErrors.push(`${id}: ${toolError}`);
      const status = statusOf(h, b);
      const headOk = !h || h.outcome?.status === "ok";
      const baseOk = !b || b.outcome?.status === "ok";
      if (headOk && baseOk) {
        changes.push(...diffTarget(id, baseRes ?? [], headRes ?? [], stripNoise));
      } else if (headOk && h && !baseOk) {
        findings.push(
          problemToFinding(
            { ruleId: "render/base-failed", severity: "info", message: "the base side of this target did not render, so its changes could not be listed; the head renders" },
            id,
          ),
        );
      }
      const error = errorOf(h) ?? (h ? undefined : errorOf(b));
      return {
        ...common,
        affected: true,
        status,
        resources: { base: baseRes?.length ?? 0, head: headRes?.length ?? 0 },
        durationMs: Math.round((b?.ms ?? 0) + (h?.ms ?? 0)),
        ...(error ? { error } : {}),
      };
    }),
  );

  findings.push(...snapshotFindings(base, head), ...missingExplicitTargets(options.explicitTargets, baseSide, headSide));
  const report: Report = {
    schemaVersion: 1,
    base: { ref: base.ref },
    head: { ref: head.ref },
    targets,
    changes: changes.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)),
    findings: sortFindings(findings),
  };
  return { report, toolErrors };
}

async function isAffected(id: string, baseSide: SideTargets, headSide: SideTargets, base: Tree, head: Tree): Promise<boolean> {
  const bi = baseSide.inputs.get(id);
  const hi = headSide.inputs.get(id);
  if (!bi || !hi) return true;
  const files = new Set([...bi.files, ...hi.files]);
  for (const f of files) {
    const [db, dh] = await Promise.all([base.hasFile(f) ? base.digest(f) : "absent", head.hasFile(f) ? head.digest(f) : "absent"]);
    if (db !== dh) return true;
  }
  return false;
}

/** Same type, options and input contents → same output, whichever side or target asks. */
async function renderKey(spec: TargetSpec, inputs: InputSet, tree: Tree): Promise<string> {
  const { id: _id, name: _name, explicit: _explicit, ...options } = spec;
  const files = [...inputs.files].sort();
  const digests = await Promise.all(files.map((f) => (tree.hasFile(f) ? tree.digest(f) : "absent")));
  return JSON.stringify([options, files.map((f, i) => `${f}:${digests[i]}`)]);
}

function resolveInfos(renderers: RendererRegistry, types: TargetType[]): Map<TargetType, Promise<RendererInfo>> {
  const out = new Map<TargetType, Promise<RendererInfo>>();
  for (const type of new Set(types)) {
    const r = renderers.get(type);
    out.set(type, r ? r.info().catch(() => ({ name: type, version: null })) : Promise.resolve({ name: type, version: null }));
  }
  return out;
}

function resourcesOf(side: SideRender | undefined, namespace: string): Resource[] | undefined {
  if (side?.outcome?.status !== "ok") return undefined;
  return defaultNamespaces(side.outcome.resources, namespace);
}

function sideFindings(side: SideRender | undefined, inputs: InputSet | undefined, id: string): Finding[] {
  if (!side) return [];
  const problems: InputProblem[] = [...side.blocked, ...(inputs?.warnings ?? [])];
  const o = side.outcome;
  if (o?.status === "ok") problems.push(...o.warnings);
  if (o?.status === "invalid") problems.push(...o.problems);
  return problems.map((p) => problemToFinding(p, id));
}

function statusOf(head: SideRender | undefined, base: SideRender | undefined): TargetStatus {
  const side = head ?? base;
  if (!side) return "skipped";
  if (side.blocked.length > 0) return "skipped";
  return side.outcome?.status === "ok" ? "rendered" : "failed";
}

function errorOf(side: SideRender | undefined): string | undefined {
  if (!side) return undefined;
  if (side.blocked.length > 0) return side.blocked[0]!.message;
  const o = side.outcome;
  if (o?.status === "invalid") return o.problems[0]?.message ?? "render failed";
  if (o?.status === "tool-error") return o.message;
  return undefined;
}

/** An explicit target whose folder exists on neither side is a config mistake, not silence. */
function missingExplicitTargets(explicit: readonly TargetSpec[], baseSide: SideTargets, headSide: SideTargets): Finding[] {
  return explicit
    .filter((t) => !baseSide.targets.has(t.id) && !headSide.targets.has(t.id))
    .map((t) =>
      problemToFinding(
        {
          ruleId: "config/target-missing",
          severity: "error",
          message: `configured ${t.type} target "${t.id}": the folder ${t.path} exists on neither side; fix \`path\` in the config or remove the target`,
        },
        t.id,
      ),
    );
}

function snapshotFindings(base: Tree, head: Tree): Finding[] {
  const toF = (t: Tree) => (t.warnings ?? []).map((p) => problemToFinding(p, "."));
  return markIntroduced(toF(head), toF(base));
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.target.localeCompare(b.target) ||
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
