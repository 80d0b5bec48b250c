/** Persistent storage: the requested size for the month, at the price of its StorageClass. */
import { get } from "../../diff/summary/access.js";
import type { CostEstimator } from "../estimator.js";
import type { CostPrices } from "../config.js";
import { GIB, parseQuantity } from "../quantity.js";

/**
 * Monthly price of `bytes` of storage. A claim without a class (or with one the config does
 * not price) uses the `default` price: that is what the cluster's default class bills.
 */
export function storageMonthly(bytes: number, storageClass: unknown, prices: CostPrices): number {
  const named = typeof storageClass === "string" && storageClass !== "" ? prices.storageGiBMonth[storageClass] : undefined;
  return (bytes / GIB) * (named ?? prices.storageGiBMonth.default);
}

export const persistentVolumeClaims: CostEstimator = {
  name: "persistent-volume-claim",
  kinds: ["|PersistentVolumeClaim"],
  estimate(resource, ctx) {
    const bytes = parseQuantity(get(resource.body, "spec", "resources", "requests", "storage"));
    if (bytes === undefined) return { monthly: 0, notes: ["no readable storage request: counted as 0"], incomplete: true };
    return { monthly: storageMonthly(bytes, get(resource.body, "spec", "storageClassName"), ctx.prices), notes: [] };
  },
};
