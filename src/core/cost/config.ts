/**
 * The cost settings the estimator works with, every field present. Built from the user's
 * config by src/config/defaults.ts (the one place defaults live); the core never reads files.
 */
export interface CostPrices {
  /** Price of one vCPU (1000m) for one hour. */
  cpuCoreHour: number;
  /** Price of one GiB of memory for one hour. */
  memoryGiBHour: number;
  /** Price of one GiB of persistent storage for one month, by StorageClass name; `default` for the rest. */
  storageGiBMonth: StoragePrices;
  /** Price of one Service of type LoadBalancer for one hour. */
  loadBalancerHour: number;
}

export type StoragePrices = { default: number } & Record<string, number>;

/** A price override for targets whose id or path matches one of `match`. */
export interface CostEnvironment {
  match: string[];
  prices: PriceOverrides;
}

export type PriceOverrides = Partial<Omit<CostPrices, "storageGiBMonth">> & { storageGiBMonth?: Record<string, number> };

export interface CostConfig {
  enabled: boolean;
  currency: string;
  hoursPerMonth: number;
  /** DaemonSets run one pod per node: their pod cost is multiplied by this. */
  daemonSetNodes: number;
  /** Jobs and CronJobs run for a while, not all month; they are left out unless this is set. */
  includeJobs: boolean;
  prices: CostPrices;
  /** Checked in order; the first entry matching a target's id or path wins. */
  environments: CostEnvironment[];
  /**
   * The change goes over when its monthly increase reaches `monthly`, or `percent` of the
   * base while also reaching `minimumMonthly`: a percentage of a tiny bill is no news.
   */
  threshold: { monthly: number; percent: number; minimumMonthly: number };
}
