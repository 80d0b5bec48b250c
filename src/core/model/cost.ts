/**
 * What a change does to the monthly bill, estimated from the rendered resources of both
 * sides. Amounts are in `currency`, per month, rounded to cents; totals are sums of the
 * rounded per-resource figures, so the numbers a reader adds up always agree.
 */
export interface CostReport {
  currency: string;
  /** Totals over the targets this change renders (not the whole repository). */
  baseMonthly: number;
  headMonthly: number;
  deltaMonthly: number;
  /** deltaMonthly as a percentage of baseMonthly; null when the base costs nothing. */
  deltaPercent: number | null;
  /** Set when an autoscaler lets some workload grow: the totals at every maxReplicas. */
  baseMonthlyMax?: number;
  headMonthlyMax?: number;
  /** The configured threshold and whether this change goes over it. */
  threshold: CostThreshold;
  /** Every resource whose estimate moved, largest absolute delta first. */
  items: CostItem[];
}

export interface CostThreshold {
  monthly: number;
  percent: number;
  /** The increase `percent` only counts from: below it a relative rise is not reported. */
  minimumMonthly: number;
  exceeded: boolean;
}

export interface CostItem {
  target: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  baseMonthly: number;
  headMonthly: number;
  deltaMonthly: number;
  /** The ceiling when an autoscaler can scale the workload up (HPA maxReplicas). */
  baseMonthlyMax?: number;
  headMonthlyMax?: number;
  /** How the figure was reached when it is not plain arithmetic: HPA, missing requests, exclusions. */
  note?: string;
}
