/** A Service of type LoadBalancer makes the cloud run a load balancer for every hour of the month. */
import { get } from "../../diff/summary/access.js";
import type { CostEstimator } from "../estimator.js";

export const loadBalancers: CostEstimator = {
  name: "load-balancer",
  kinds: ["|Service"],
  estimate(resource, ctx) {
    if (get(resource.body, "spec", "type") !== "LoadBalancer") return undefined;
    return { monthly: ctx.prices.loadBalancerHour * ctx.hoursPerMonth, notes: [] };
  },
};
