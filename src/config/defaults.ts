/** The one place where config defaults live. */
import { getHeapStatistics } from "node:v8";
import type { CostConfig, CostPrices } from "../core/cost/config.js";
import { RISK_CATEGORIES } from "../core/risk/categories.js";
import type { ApproverRule, RiskConfig, RiskEnvironment } from "../core/risk/config.js";
import type { RawApprovals, RawCostConfig, RawCostPrices, RawConfig, RawRiskConfig, ShipshapeConfig } from "./types.js";

export const DEFAULT_CONFIG_PATH = ".github/shipshape.yml";
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_OUTPUT_BYTES = 50 * 1024 * 1024;
/** Per renderer process tree; ordinary charts and kustomizations stay under 200 MiB. */
export const DEFAULT_MAX_MEMORY_MIB = 1024;
/**
 * All renders of one review: ten times the per-render timeout, so a pull request with a
 * few slow targets still finishes while one built to stall every render cannot hold a
 * worker (the App) or a runner (the Action) for long.
 */
export const DEFAULT_BUDGET_SECONDS = 600;
/**
 * Output of all renders of one review, by default a 32nd of this process's heap limit (about
 * 130 MB with Node's usual 4 GiB): parsed resources, the diff and the report take many times
 * their text (a 45 MB render took 800 MB of heap), and running out of heap ends the CLI, or
 * the App with every review in flight.
 */
export function defaultMaxTotalOutputBytes(heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  return Math.max(1024 * 1024, Math.floor(heapLimitBytes / 32));
}
/** Helm test hooks run only on `helm test`, not on install or upgrade: not reviewed unless asked. */
export const DEFAULT_HELM_INCLUDE_TESTS = false;

/**
 * Fields that change on every release without changing behaviour. Paths are dotted;
 * see `diff.ignoreFields` in the README for the matching rules.
 */
export const DEFAULT_IGNORE_FIELDS: readonly string[] = [
  "metadata.labels.helm.sh/chart",
  "spec.template.metadata.labels.helm.sh/chart",
  "metadata.annotations.checksum/*",
  "spec.template.metadata.annotations.checksum/*",
  "metadata.creationTimestamp",
  "metadata.generation",
  "metadata.resourceVersion",
  "metadata.uid",
  "metadata.managedFields",
  "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration",
  "metadata.annotations.deployment.kubernetes.io/revision",
  "status",
];

/**
 * Default prices: AWS on-demand list prices in us-east-1, split the way OpenCost splits a
 * node's price. An m5.large (2 vCPU, 8 GiB; m6i.large costs the same) is $0.096/hour; with
 * OpenCost's default CPU:RAM price ratio (0.031611 : 0.004237, about 7.46 : 1) that is
 * $0.031247 per vCPU-hour and $0.004188 per GiB-hour. Storage is EBS gp3 ($0.08 per
 * GiB-month), a load balancer an NLB or ALB hour ($0.0225, capacity units not included).
 * Sources are listed in the README ("Cost").
 */
export const DEFAULT_COST_PRICES: CostPrices = {
  cpuCoreHour: 0.031247,
  memoryGiBHour: 0.004188,
  storageGiBMonth: { default: 0.08 },
  loadBalancerHour: 0.0225,
};

export const DEFAULT_COST: Pick<CostConfig, "enabled" | "currency" | "hoursPerMonth" | "daemonSetNodes" | "includeJobs" | "threshold"> = {
  enabled: true,
  currency: "USD",
  hoursPerMonth: 730,
  daemonSetNodes: 3,
  includeJobs: false,
  // The percentage only counts from +100 a month: +25 % of a $40 bill is $10, which no finance
  // review wants to hear about, while +100 is about a node's worth (an m5.large runs ~$70).
  threshold: { monthly: 1000, percent: 25, minimumMonthly: 100 },
};

/**
 * Production targets raise risk by one level. The globs name "prod" as a middle segment,
 * as the last one (an overlay that *is* the environment: apps/api/overlays/prod) and as a
 * target name ("charts/web#prod"), which has no such path segment at all.
 */
export const DEFAULT_RISK_ENVIRONMENTS: readonly RiskEnvironment[] = [
  {
    name: "production",
    match: ["**/prod/**", "**/production/**", "**/prod", "**/production", "**/*#prod", "**/*#production"],
    raise: 1,
  },
];

/** Without `minPermission`, write access: what GitHub's own required reviews count too. */
export const DEFAULT_APPROVER: ApproverRule = { users: [], teams: [], count: 1, allowAuthor: false, acceptReviews: true, minPermission: "write" };

/** The App and the Action: fail on new errors, skip drafts, comment inline, ask approvers once. */
export const DEFAULT_GITHUB: ShipshapeConfig["github"] = {
  failOn: "error",
  drafts: false,
  reviewComments: true,
  requestReviews: true,
  maxAnnotations: 500,
};

export interface DefaultsContext {
  /** CPU count of this machine: the default render concurrency. */
  cpus: number;
  source: string;
}

export function applyDefaults(raw: RawConfig, ctx: DefaultsContext): ShipshapeConfig {
  const render = raw.render ?? {};
  const diff = raw.diff ?? {};
  const ignoreFields = [...(diff.defaultIgnoreFields === false ? [] : DEFAULT_IGNORE_FIELDS), ...(diff.ignoreFields ?? [])];
  return {
    source: ctx.source,
    ...(raw.kubernetesVersion ? { kubernetesVersion: raw.kubernetesVersion } : {}),
    discovery: raw.discovery ?? true,
    ignore: raw.ignore ?? [],
    targets: raw.targets ?? [],
    render: {
      timeoutSeconds: render.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      maxOutputBytes: render.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      maxTotalOutputBytes: render.maxTotalOutputBytes ?? defaultMaxTotalOutputBytes(),
      concurrency: render.concurrency ?? Math.max(1, ctx.cpus),
      maxMemoryMiB: render.maxMemoryMiB ?? DEFAULT_MAX_MEMORY_MIB,
      budgetSeconds: render.budgetSeconds ?? DEFAULT_BUDGET_SECONDS,
    },
    helm: { includeTests: raw.helm?.includeTests ?? DEFAULT_HELM_INCLUDE_TESTS },
    // No host by default: a chart is pulled only from hosts the repository's owners list.
    gitops: { allowedHosts: raw.gitops?.allowedHosts ?? [], repositoryUrls: raw.gitops?.repositoryUrls ?? [] },
    diff: { ignoreFields },
    schema: {
      strict: raw.schema?.strict ?? true,
      missingSchema: raw.schema?.missingSchema ?? "info",
      crds: raw.schema?.crds ?? [],
      builtinCrds: raw.schema?.builtinCrds ?? true,
      ...(raw.schema?.localSchemas ? { localSchemas: raw.schema.localSchemas } : {}),
    },
    policies: policiesDefaults(raw.policies ?? {}),
    waivers: raw.waivers ?? [],
    cost: costDefaults(raw.cost ?? {}),
    risk: riskDefaults(raw.risk ?? {}),
    github: {
      failOn: raw.github?.failOn ?? DEFAULT_GITHUB.failOn,
      drafts: raw.github?.drafts ?? DEFAULT_GITHUB.drafts,
      reviewComments: raw.github?.reviewComments ?? DEFAULT_GITHUB.reviewComments,
      requestReviews: raw.github?.requestReviews ?? DEFAULT_GITHUB.requestReviews,
      maxAnnotations: raw.github?.maxAnnotations ?? DEFAULT_GITHUB.maxAnnotations,
    },
  };
}

function costDefaults(raw: RawCostConfig): CostConfig {
  return {
    enabled: raw.enabled ?? DEFAULT_COST.enabled,
    currency: raw.currency ?? DEFAULT_COST.currency,
    hoursPerMonth: raw.hoursPerMonth ?? DEFAULT_COST.hoursPerMonth,
    daemonSetNodes: raw.daemonSetNodes ?? DEFAULT_COST.daemonSetNodes,
    includeJobs: raw.includeJobs ?? DEFAULT_COST.includeJobs,
    prices: {
      cpuCoreHour: raw.prices?.cpuCoreHour ?? DEFAULT_COST_PRICES.cpuCoreHour,
      memoryGiBHour: raw.prices?.memoryGiBHour ?? DEFAULT_COST_PRICES.memoryGiBHour,
      storageGiBMonth: { ...DEFAULT_COST_PRICES.storageGiBMonth, ...(raw.prices?.storageGiBMonth ?? {}) },
      loadBalancerHour: raw.prices?.loadBalancerHour ?? DEFAULT_COST_PRICES.loadBalancerHour,
    },
    // Environment prices stay partial: what they leave out comes from `prices` above.
    environments: (raw.environments ?? []).map((e) => ({ match: globs(e.match), prices: priceOverrides(e.prices) })),
    threshold: {
      monthly: raw.threshold?.monthly ?? DEFAULT_COST.threshold.monthly,
      percent: raw.threshold?.percent ?? DEFAULT_COST.threshold.percent,
      minimumMonthly: raw.threshold?.minimumMonthly ?? DEFAULT_COST.threshold.minimumMonthly,
    },
  };
}

function priceOverrides(raw: RawCostPrices): CostConfig["environments"][number]["prices"] {
  return {
    ...(raw.cpuCoreHour !== undefined ? { cpuCoreHour: raw.cpuCoreHour } : {}),
    ...(raw.memoryGiBHour !== undefined ? { memoryGiBHour: raw.memoryGiBHour } : {}),
    ...(raw.storageGiBMonth !== undefined ? { storageGiBMonth: { ...raw.storageGiBMonth } } : {}),
    ...(raw.loadBalancerHour !== undefined ? { loadBalancerHour: raw.loadBalancerHour } : {}),
  };
}

function riskDefaults(raw: RawRiskConfig): RiskConfig {
  return {
    enabled: raw.enabled ?? true,
    rules: { ...(raw.rules ?? {}) },
    environments: raw.environments
      ? raw.environments.map((e) => ({ ...(e.name ? { name: e.name } : {}), match: globs(e.match), raise: e.raise ?? 1 }))
      : DEFAULT_RISK_ENVIRONMENTS.map((e) => ({ ...e, match: [...e.match] })),
    approvals: approvalDefaults(raw.approvals ?? {}),
  };
}

/**
 * Each category's approvers inherit, field by field, from `approvals.default`, which
 * inherits `count`, `allowAuthor`, `acceptReviews` and `minPermission` from `approvals` itself.
 */
function approvalDefaults(raw: RawApprovals): RiskConfig["approvals"] {
  const top: ApproverRule = {
    ...DEFAULT_APPROVER,
    count: raw.count ?? DEFAULT_APPROVER.count,
    allowAuthor: raw.allowAuthor ?? DEFAULT_APPROVER.allowAuthor,
    acceptReviews: raw.acceptReviews ?? DEFAULT_APPROVER.acceptReviews,
    minPermission: raw.minPermission ?? DEFAULT_APPROVER.minPermission,
  };
  const fallback = { ...top, ...definedOnly(raw.default ?? {}) };
  const categories: RiskConfig["approvals"]["categories"] = {};
  for (const category of RISK_CATEGORIES) {
    const own = raw[category];
    if (own) categories[category] = { ...fallback, ...definedOnly(own) };
  }
  return { requiredAt: raw.requiredAt ?? "high", default: fallback, categories };
}

function globs(match: string | string[]): string[] {
  return typeof match === "string" ? [match] : [...match];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Parameters the built-in pack reads; the team's own policies may read any others they set. */
export const DEFAULT_POLICY_PARAMETERS: Readonly<Record<string, unknown>> = {
  approvedRegistries: [],
  requiredLabels: ["app.kubernetes.io/name"],
  storageClasses: [],
};

function policiesDefaults(raw: NonNullable<RawConfig["policies"]>): ShipshapeConfig["policies"] {
  const builtin = raw.builtin ?? true;
  const builtinDisabled =
    builtin === false ? "all" : builtin === true ? [] : Object.entries(builtin).filter(([, on]) => !on).map(([name]) => name);
  return {
    builtinDisabled,
    paths: raw.paths ?? [],
    severity: raw.severity ?? {},
    parameters: { ...DEFAULT_POLICY_PARAMETERS, ...(raw.parameters ?? {}) },
    owners: raw.owners ?? [],
    admission: raw.admission ?? true,
  };
}
