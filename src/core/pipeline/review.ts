/**
 * The review pipeline: discover targets on both sides, keep those whose inputs changed,
 * render them (in parallel, each distinct render once), validate, diff, and assemble the
 * Report.
 * Everything outside (trees, tools) comes in through ports.
 */
import { diffTarget } from "../diff/diff-target.js";
import { compileIgnoreFields } from "../diff/ignore-fields.js";
import type { Change } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import type { Report, RendererInfo, TargetReport } from "../model/report.js";
import type { Resource } from "../model/resource.js";
import type { TargetSpec, TargetType } from "../model/target.js";
import { defaultNamespaces } from "../namespaces.js";
import { silentLogger, type InputSet, type Logger, type PolicyEvaluator, type RenderLimits, type Tree, type Validator } from "../ports.js";
import { discoverSide, type RendererRegistry, type SideTargets } from "./discover.js";
import { problemToFinding } from "./findings.js";
import { bothOk, canRetry, errorOf, giveNamespaces, resourcesOf, sideFindings, sideOk, statusOf, verdictOf, type Rendered } from "./rendered.js";
import { foldersRead, snapshotFindings } from "./snapshot-warnings.js";
import { duplicateFindings } from "./duplicates.js";
import { unmarkMoved, type SideOnlyFindings } from "./moved-targets.js";
import { findHandovers, handoverGroups } from "./handover.js";
import { movedFromOf, pairMovedObjects, unmarkMovedObjects } from "./moved-objects.js";
import { vanishedApplicationsFinding } from "./vanished-applications.js";
import { createScheduler } from "./scheduler.js";
import { addRenderedTargetsBoth } from "./embedded.js";
import { repositoryNames } from "../secrets/repository-names.js";
import { budgetExhaustedFinding, budgetSignal } from "./budget.js";
import { collectCrds, validateSide } from "./validate.js";
import { changedPolicyFiles, evaluateTarget, policyFilesChangedFinding } from "./policies.js";
import { applyWaivers, expiredWaivers, type WaiverContext } from "../waivers.js";
import { estimateCost, type CostConfig } from "../cost/index.js";
import { classifyRisk, type RiskConfig } from "../risk/index.js";
import { SecretSet } from "../secrets/secret-set.js";
import { collectSecrets } from "../secrets/collect.js";
import { scrubReview } from "./scrub.js";
import { changedFiles } from "./changed-files.js";
import { computeCoverage, type RenderVerdict } from "./coverage.js";
import { renderStandalone } from "./standalone.js";
import { admissionSourceTargets, renderAdmissionSources } from "./admission-sources.js";
import { isTestHook } from "../model/hooks.js";
import { maskVariance } from "../diff/nondeterminism.js";
import { headVariance, markIntroducedWithVariance, resolvedWithVariance, varianceFinding } from "./variance.js";

/**
 * Folder targets applied to one cluster, between which an object can move (moved-objects.ts).
 * Not Compose: a project in another folder has another name, so its containers, networks and
 * volumes are new ones. Not GitOps applications: their controllers prune and create.
 */
const KUBERNETES_FOLDER_TYPES: ReadonlySet<TargetType> = new Set(["kustomize", "helm", "manifests"]);

export interface ReviewOptions {
  explicitTargets: readonly TargetSpec[];
  discovery: boolean;
  ignore: readonly string[];
  limits: RenderLimits;
  concurrency: number;
  /** Time all renders of this review may take; the targets left are skipped with a finding. */
  budgetMs?: number;
  ignoreFields: readonly string[];
  /** Review Helm test hooks too; left out when absent or false (see model/hooks.ts). */
  includeHelmTests?: boolean;
  kubernetesVersion?: string;
  /** Admission policies rendered on the base side judge the change (`policies.admission`): unaffected targets holding bindings are rendered for them. */
  admissionPolicies?: boolean;
  /** Globs of the repository's own policy files: a change to them is called out. */
  policyPaths?: readonly string[];
  waivers?: WaiverContext;
  /** Findings from setting up the run (e.g. a team policy file that does not parse). */
  setupFindings?: readonly Finding[];
  /** Monthly cost estimate; left out of the report when absent or disabled. */
  cost?: CostConfig;
  /** Risk classification and approval requirements; left out when absent or disabled. */
  risk?: RiskConfig;
}

export interface ReviewDeps {
  renderers: RendererRegistry;
  /** Schema validation of rendered output; without it the report has no schema findings. */
  validator?: Validator;
  /** Policy checks (built-in pack and the team's own); without it no policy findings. */
  policy?: PolicyEvaluator;
  logger?: Logger;
  /** Monotonic milliseconds; injectable so tests get stable durations. */
  now?: () => number;
  /**
   * The run's secret set, seeded by the entry point (its own credentials); the review adds
   * what it finds in the trees and scrubs the result with it. A fresh set when absent.
   */
  secrets?: SecretSet;
}

export interface ReviewResult {
  /** Scrubbed: no value of `secrets` appears in it. */
  report: Report;
  /** Failures of Shipshape or its tools (not of the user's input): the run exits 3. Scrubbed. */
  toolErrors: string[];
  /** Every value treated as secret in this run, for the entry point's sinks (output, GitHub, logs). */
  secrets: SecretSet;
}

export async function review(base: Tree, head: Tree, options: ReviewOptions, deps: ReviewDeps): Promise<ReviewResult> {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => performance.now());
  // Listed while discovery runs: every changed file must end up accounted for in the report.
  const changedPromise = changedFiles(base, head);
  const discoverOptions = { discovery: options.discovery, explicitTargets: options.explicitTargets, ignore: options.ignore };
  const [baseSide, headSide] = await Promise.all([
    discoverSide(base, deps.renderers, discoverOptions),
    discoverSide(head, deps.renderers, discoverOptions),
  ]);
  const scheduler = createScheduler(deps.renderers, options.limits, options.concurrency, now, budgetSignal(options.budgetMs));
  const kubernetesVersionOf = (spec: TargetSpec) => spec.kubernetesVersion ?? options.kubernetesVersion ?? deps.validator?.defaultKubernetesVersion;
  // Applications found only in rendered output (app-of-apps) become targets of their side.
  const embeddedFindings = options.discovery
    ? await addRenderedTargetsBoth([base, baseSide], [head, headSide], (tree, side, id) => scheduler.render(tree, side, id, kubernetesVersionOf(side.targets.get(id)!)), {
        renderers: deps.renderers,
        explicitIds: new Set(options.explicitTargets.map((t) => t.id)),
      })
    : [];
  // The base's names only: a pull request that adds a folder per dictionary word must not lift
  // the scrubbing of a plain-word password the base holds.
  const secrets = (deps.secrets ?? new SecretSet()).treatAsNames(repositoryNames([base]));
  const addInputSecrets = (sets: Iterable<InputSet | undefined>) => {
    for (const inputs of sets) {
      for (const s of inputs?.secrets ?? []) secrets.add(s);
      for (const s of inputs?.credentials ?? []) secrets.addCredential(s);
    }
  };
  for (const side of [baseSide, headSide]) addInputSecrets(side.inputs.values());
  const ids = [...new Set([...baseSide.targets.keys(), ...headSide.targets.keys()])].sort();
  logger.debug("targets discovered", { count: ids.length });
  const specOf = (id: string) => (headSide.targets.get(id) ?? baseSide.targets.get(id))!;
  const handovers = findHandovers(ids, baseSide, headSide, deps.renderers);
  const infos = resolveInfos(deps.renderers, ids.map((id) => specOf(id).type));

  const stripNoise = compileIgnoreFields(options.ignoreFields);
  // Phase 1: find what changed and render it, both sides, in parallel.
  const affected = new Map(await Promise.all(ids.map(async (id) => [id, await isAffected(id, baseSide, headSide, base, head)] as const)));
  const keepOf = (spec: TargetSpec) => (spec.type === "helm" && !options.includeHelmTests ? (r: Resource) => !isTestHook(r.body) : undefined);
  const renderOne = async (spec: TargetSpec): Promise<Rendered> => {
    const id = spec.id;
    const kubernetesVersion = kubernetesVersionOf(spec);
    const [b, h] = await Promise.all([
      scheduler.render(base, baseSide, id, kubernetesVersion),
      scheduler.render(head, headSide, id, kubernetesVersion),
    ]);
    const keep = keepOf(spec);
    return {
      id,
      spec,
      ...(b ? { base: b } : {}),
      ...(h ? { head: h } : {}),
      namespace: spec.namespace ?? "default",
      ...resourcesOf("baseResources", b, keep),
      ...resourcesOf("headResources", h, keep),
      ...(kubernetesVersion ? { kubernetesVersion } : {}),
    };
  };
  const rendered = await Promise.all(ids.filter((id) => affected.get(id)).map((id) => renderOne(specOf(id))));
  // Coverage: where every user of a changed file failed, the nearest part that builds alone is rendered.
  const changed = await changedPromise;
  const standalone = await renderStandalone({
    changed: new Set(changed),
    users: rendered.map((r) => ({ id: r.id, spec: r.spec, ok: bothOk(r), retry: canRetry(r) })),
    base,
    head,
    baseSide,
    headSide,
    renderers: deps.renderers,
    render: async (spec) => {
      const r = await renderOne(spec);
      return { ok: bothOk(r), value: r };
    },
  });
  for (const s of standalone.accepted) {
    addInputSecrets([baseSide.inputs.get(s.spec.id), headSide.inputs.get(s.spec.id)]);
    rendered.push({ ...s.value, standaloneFor: s.users });
  }
  const verdicts = new Map<string, RenderVerdict>();
  const scopeOf = await giveNamespaces(rendered, deps.validator);
  // Charts render a second time where they changed: what differs between two renders of the
  // same input is left out of the review (pipeline/variance.ts).
  await Promise.all(
    rendered.map(async (r) => {
      if (!deps.renderers.get(r.spec.type)?.nondeterministic) return;
      const again = await headVariance(r.id, r.baseResources, r.headResources, stripNoise, async () => {
        const second = resourcesOf("headResources", await scheduler.renderAgain(head, headSide, r.id, r.kubernetesVersion), keepOf(r.spec)).headResources;
        return second && defaultNamespaces(second, r.namespace, scopeOf);
      });
      if (!again) return;
      collectSecrets(again.second, secrets);
      r.variance = again.variance;
    }),
  );

  // The cluster's admission policies from targets the change leaves alone (pipeline/admission-sources.ts).
  const renderBaseOnly = async (id: string) => {
    const spec = specOf(id);
    const side = await scheduler.render(base, baseSide, id, spec.kubernetesVersion ?? options.kubernetesVersion ?? deps.validator?.defaultKubernetesVersion);
    return resourcesOf("baseResources", side, keepOf(spec)).baseResources;
  };
  const admissionBase =
    options.admissionPolicies && rendered.length > 0
      ? await renderAdmissionSources(await admissionSourceTargets(ids.filter((id) => !affected.get(id)), baseSide, base), renderBaseOnly)
      : [];
  collectSecrets(admissionBase, secrets);
  scheduler.release();
  collectRenderedSecrets(rendered, secrets);

  // Phase 2: validate (with the CRDs rendered anywhere on the same side) and run the
  // policies (with every resource rendered on the same side, for cross-resource rules).
  // Sides are replaced by empty ones once the report no longer needs them (see below); the
  // lists themselves were handed to the validator and the policies and are not touched.
  const sides = {
    crds: { base: collectCrds(rendered.map((r) => r.baseResources)), head: collectCrds(rendered.map((r) => r.headResources)) },
    all: { base: rendered.flatMap((r) => r.baseResources ?? []), head: rendered.flatMap((r) => r.headResources ?? []) },
  };
  const admissionSide = admissionBase.length > 0 ? [...sides.all.base, ...admissionBase] : sides.all.base;
  const findings: Finding[] = [];
  const resolved: Finding[] = [];
  const toolErrors: string[] = [];
  const changes: Change[] = [];
  const reports = new Map<string, TargetReport>();
  /** Findings of targets on one side only: a moved target's are compared across (moved-targets.ts). */
  const headOnly: SideOnlyFindings[] = [];
  const baseOnly: SideOnlyFindings[] = [];
  /** Each target's base findings: a moved object's are compared with its old target's (moved-objects.ts). */
  const baseFindingsOf = new Map<string, Finding[]>();
  /** Targets whose both sides rendered: the only ones whose cost and risk can be compared. */
  const comparable: { id: string; path: string; base?: Resource[]; head?: Resource[] }[] = [];
  await Promise.all(
    rendered.map(async (r) => {
      const headFindings = [...sideFindings(r.head, headSide.inputs.get(r.id), r.id), ...duplicateFindings(r.headResources, r.id)];
      const baseFindings = [...sideFindings(r.base, baseSide.inputs.get(r.id), r.id), ...duplicateFindings(r.baseResources, r.id)];
      if (deps.validator && r.kubernetesVersion) {
        const target = { id: r.id, spec: r.spec };
        const [vb, vh] = await Promise.all([
          validateSide(deps.validator, target, r.kubernetesVersion, { side: "base", tree: base, resources: r.baseResources, crds: sides.crds.base }),
          validateSide(deps.validator, target, r.kubernetesVersion, { side: "head", tree: head, resources: r.headResources, crds: sides.crds.head }),
        ]);
        baseFindings.push(...vb);
        headFindings.push(...vh);
      }
      if (deps.policy) {
        const policy = await evaluateTarget(deps.policy, {
          target: r.spec,
          ...(r.baseResources ? { base: r.baseResources } : {}),
          ...(r.headResources ? { head: r.headResources } : {}),
          allBase: sides.all.base,
          admissionBase: admissionSide,
          allHead: sides.all.head,
        });
        baseFindings.push(...policy.base);
        headFindings.push(...policy.head);
      }
      baseFindingsOf.set(r.id, baseFindings);
      const marked = markIntroducedWithVariance(headFindings, baseFindings, r.baseResources ?? [], r.headResources ?? [], r.variance);
      findings.push(...marked);
      const groups = handoverGroups(r.id, handovers);
      // An application whose base did not render (a broken path the change fixes) is compared
      // with the folder it takes over, as one that is new.
      const baseMissing = !r.base || (groups.length > 0 && !sideOk(r.base));
      if (baseMissing && r.head) headOnly.push({ type: r.spec.type, findings: marked, groups });
      if (r.base && !r.head) baseOnly.push({ type: r.spec.type, findings: baseFindings, groups });
      const note = r.variance ? varianceFinding(r.id, r.spec.path, r.variance) : undefined;
      if (note) findings.push(note);
      if (r.base && r.head && bothOk(r)) resolved.push(...resolvedWithVariance(headFindings, baseFindings, r.baseResources ?? [], r.headResources ?? [], r.variance));
      const exhausted = budgetExhaustedFinding(r.id, options.budgetMs, r.base, r.head);
      if (exhausted) findings.push(exhausted);
      const toolError = [r.base, r.head].map((s) => (s?.outcome?.status === "tool-error" ? s.outcome.message : undefined)).find(Boolean);
      if (toolError) toolErrors.push(`${r.id}: ${toolError}`);
      // Phase 3: the resource diff.
      const headOk = !r.head || r.head.outcome?.status === "ok";
      const baseOk = !r.base || r.base.outcome?.status === "ok";
      verdicts.set(r.id, verdictOf(r));
      const handover = handovers.get(r.id);
      if (headOk && baseOk && !handover) {
        // Output that differs on every render is masked on both sides (diff/nondeterminism.ts).
        const masked = r.variance && r.baseResources && r.headResources ? maskVariance(r.baseResources, r.headResources, r.variance) : undefined;
        const compared = { base: masked?.base ?? r.baseResources, head: masked?.head ?? r.headResources };
        changes.push(...diffTarget(r.id, compared.base ?? [], compared.head ?? [], stripNoise));
        comparable.push({ id: r.id, path: r.spec.path, ...(compared.base ? { base: compared.base } : {}), ...(compared.head ? { head: compared.head } : {}) });
      }
      else if (headOk && r.head && !baseOk && !r.base?.budgetExhausted) findings.push(baseFailedFinding(r.id));
      const error = errorOf(r.head) ?? (r.head && !r.base?.budgetExhausted ? undefined : errorOf(r.base));
      reports.set(r.id, {
        id: r.id,
        type: r.spec.type,
        ...(r.spec.kind ? { kind: r.spec.kind } : {}),
        path: r.spec.path,
        renderer: await infos.get(r.spec.type)!,
        affected: true,
        status: statusOf(r.head, r.base),
        resources: { base: r.baseResources?.length ?? 0, head: r.headResources?.length ?? 0 },
        durationMs: Math.round((r.base?.ms ?? 0) + (r.head?.ms ?? 0)),
        ...(error ? { error } : {}),
        ...(r.standaloneFor ? { standaloneFor: r.standaloneFor } : {}),
        ...(handover ? { handover } : {}),
      });
    }),
  );
  // Objects moved between folder targets: one change where they went (pipeline/moved-objects.ts).
  const isFolderTarget = (id: string) => {
    const spec = specOf(id);
    return KUBERNETES_FOLDER_TYPES.has(spec.type) && !handovers.has(id) && !spec.renderedFrom && !spec.definedIn;
  };
  const movedObjects = pairMovedObjects(changes, comparable, isFolderTarget, stripNoise);
  changes.splice(0, changes.length, ...movedObjects.changes);
  for (const [id, from] of movedFromOf(movedObjects.moved)) {
    const done = reports.get(id);
    if (done) reports.set(id, { ...done, movedFrom: from });
  }
  const moved = new Map([...unmarkMoved(headOnly, baseOnly), ...unmarkMovedObjects(findings, movedObjects.moved, baseFindingsOf)]);
  baseFindingsOf.clear();
  if (moved.size > 0) findings.splice(0, findings.length, ...findings.map((f) => moved.get(f) ?? f));
  const unverified = vanishedApplicationsFinding(baseSide, headSide, deps.renderers, rendered.filter((r) => r.head && !sideOk(r.head) && !handovers.has(r.id)).map((r) => r.id));
  if (unverified) findings.push(unverified);
  const targets = await Promise.all(
    [...ids, ...standalone.accepted.map((s) => s.spec.id)].sort().map(async (id): Promise<TargetReport> => {
      const done = reports.get(id);
      if (done) return done;
      const spec = specOf(id);
      const renderer = await infos.get(spec.type)!;
      return { id, type: spec.type, ...(spec.kind ? { kind: spec.kind } : {}), path: spec.path, renderer, affected: false, status: "unchanged", resources: { base: 0, head: 0 }, durationMs: 0 };
    }),
  );

  const readFolders = foldersRead(
    rendered.map((r) => r.spec.path),
    rendered.flatMap((r) => [...(baseSide.inputs.get(r.id)?.files ?? []), ...(headSide.inputs.get(r.id)?.files ?? [])]),
  );
  findings.push(...snapshotFindings(base, head, readFolders), ...missingExplicitTargets(options.explicitTargets, baseSide, headSide));
  findings.push(...(options.setupFindings ?? []), ...embeddedFindings);
  const policyEdits = await changedPolicyFiles(base, head, options.policyPaths ?? []);
  if (policyEdits.length > 0) findings.push(policyFilesChangedFinding(policyEdits));
  if (options.waivers) findings.splice(0, findings.length, ...waive(findings, rendered, options.waivers));
  comparable.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const sortedChanges = changes.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const cost = options.cost?.enabled ? estimateCost({ targets: comparable, config: options.cost }) : undefined;
  const risk = options.risk?.enabled
    ? classifyRisk({ changes: sortedChanges, targets: comparable, ...(cost ? { cost } : {}), config: options.risk, ignoreFields: options.ignoreFields })
    : undefined;
  // Nothing below reads the rendered resources: let them go before the scrub copies the report
  // (both at once were the run's peak of memory with many large renders).
  rendered.length = 0;
  comparable.length = 0;
  sides.crds = sides.all = { base: [], head: [] };
  const report: Report = {
    schemaVersion: 1,
    base: { ref: base.ref },
    head: { ref: head.ref },
    targets,
    changes: sortedChanges,
    findings: sortFindings(findings),
    resolved: sortFindings(resolved),
    ...(cost ? { cost } : {}),
    ...(risk ? { risk } : {}),
    coverage: await computeCoverage({
      changed,
      verdicts,
      baseSide,
      headSide,
      base,
      head,
      renderers: deps.renderers,
      discovery: options.discovery,
      ignore: options.ignore,
      policyPaths: options.policyPaths ?? [],
      standaloneFailed: standalone.failed,
    }),
  };
  return { ...scrubReview(report, toolErrors, secrets), secrets };
}

/**
 * This and `waive` are functions of their own so that no resource list stays in a variable of
 * review()'s frame, which lives until the report is scrubbed: the resources are let go before
 * the report is scrubbed and formatted (see the end of review()).
 */
function collectRenderedSecrets(rendered: readonly Rendered[], secrets: SecretSet): void {
  for (const r of rendered) {
    collectSecrets(r.baseResources ?? [], secrets);
    collectSecrets(r.headResources ?? [], secrets);
  }
}

/** See collectRenderedSecrets. */
function waive(findings: Finding[], rendered: readonly Rendered[], waivers: WaiverContext): Finding[] {
  const headByTarget = new Map(rendered.map((r) => [r.id, r.headResources ?? []] as const));
  return [...applyWaivers(findings, headByTarget, waivers), ...expiredWaivers(waivers)];
}

function baseFailedFinding(id: string): Finding {
  return problemToFinding(
    { ruleId: "render/base-failed", severity: "info", message: "the base side of this target did not render, so its changes could not be listed; the head renders" },
    id,
  );
}

async function isAffected(id: string, baseSide: SideTargets, headSide: SideTargets, base: Tree, head: Tree): Promise<boolean> {
  const bi = baseSide.inputs.get(id);
  const hi = headSide.inputs.get(id);
  if (!bi || !hi) return true;
  // Found in rendered output: the object itself may differ where no input of its own did.
  const [bo, ho] = [baseSide.targets.get(id)?.renderedFrom?.object, headSide.targets.get(id)?.renderedFrom?.object];
  if ((bo || ho) && JSON.stringify(bo) !== JSON.stringify(ho)) return true;
  const files = new Set([...bi.files, ...hi.files]);
  for (const f of files) {
    // The part of the file the target uses, when both sides say which part that is.
    const [fb, fh] = [bi.fingerprints?.get(f), hi.fingerprints?.get(f)];
    if (fb !== undefined && fh !== undefined) {
      if (fb !== fh) return true;
      continue;
    }
    const [db, dh] = await Promise.all([base.hasFile(f) ? base.digest(f) : "absent", head.hasFile(f) ? head.digest(f) : "absent"]);
    if (db !== dh) return true;
  }
  return false;
}

function resolveInfos(renderers: RendererRegistry, types: TargetType[]): Map<TargetType, Promise<RendererInfo>> {
  const out = new Map<TargetType, Promise<RendererInfo>>();
  for (const type of new Set(types)) {
    const r = renderers.get(type);
    out.set(type, r ? r.info().catch(() => ({ name: type, version: null })) : Promise.resolve({ name: type, version: null }));
  }
  return out;
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
