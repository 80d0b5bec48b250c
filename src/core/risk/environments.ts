/**
 * Production (or any configured environment) raises every reason of its targets by some
 * levels, capped at critical: the same StatefulSet change matters more in prod than in dev.
 */
import { targetMatcher, type TargetRef } from "../cost/environment-match.js";
import { RISK_LEVELS, riskRank, type RiskLevel } from "../model/risk.js";
import type { RiskEnvironment } from "./config.js";

export interface Raise {
  by: number;
  /** The environment's name, or its globs when it has none. */
  environment: string;
}

export type RaiseLookup = (target: TargetRef) => Raise | undefined;

/** The largest raise of all matching environments wins. */
export function raiseLookup(environments: readonly RiskEnvironment[]): RaiseLookup {
  const compiled = environments.map((e) => ({ matches: targetMatcher(e.match), by: e.raise, environment: e.name ?? e.match.join(", ") }));
  return (target) => {
    let best: Raise | undefined;
    for (const e of compiled) if (e.by > 0 && e.matches(target) && (!best || e.by > best.by)) best = { by: e.by, environment: e.environment };
    return best;
  };
}

export function raised(level: RiskLevel, by: number): RiskLevel {
  if (level === "none") return level;
  const rank = Math.min(riskRank(level) + by, RISK_LEVELS.length - 1);
  return RISK_LEVELS[rank]!;
}
