/** The prices that apply to one target: the base prices, overridden by its environment. */
import type { CostConfig, CostPrices } from "./config.js";
import { targetMatcher, type TargetRef } from "./environment-match.js";

export type PriceResolver = (target: TargetRef) => CostPrices;

/** The first environment entry that matches wins; its storage prices add to the base ones. */
export function priceResolver(config: Pick<CostConfig, "prices" | "environments">): PriceResolver {
  const environments = config.environments.map((env) => ({ matches: targetMatcher(env.match), prices: env.prices }));
  return (target) => {
    const env = environments.find((e) => e.matches(target));
    if (!env) return config.prices;
    const { storageGiBMonth, ...rest } = env.prices;
    return {
      ...config.prices,
      ...definedOnly(rest),
      storageGiBMonth: { ...config.prices.storageGiBMonth, ...(storageGiBMonth ?? {}) },
    };
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
