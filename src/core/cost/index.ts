/** Cost estimation: what a change does to the monthly bill. */
export type { CostConfig, CostEnvironment, CostPrices, PriceOverrides, StoragePrices } from "./config.js";
export { estimateCost, type CostInput, type CostTargetInput } from "./estimate-cost.js";
export type { CostEstimator, Estimate, EstimateContext } from "./estimator.js";
export { COST_ESTIMATORS, estimatorFor } from "./registry.js";
export { formatMoney, formatPercent, formatSignedMoney } from "./format-money.js";
