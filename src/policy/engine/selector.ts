/**
 * Kubernetes label selectors (`matchLabels` + `matchExpressions`), with Kyverno's extension of
 * wildcards in `matchLabels` keys and values. An invalid selector matches nothing.
 */
import { hasWildcard, wildcardMatch } from "../values/wildcard.js";

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObj(selector)) return false;
  if (isObj(selector.matchLabels)) {
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      const value = String(v);
      if (hasWildcard(k) || hasWildcard(value)) {
        if (!Object.entries(labels).some(([lk, lv]) => wildcardMatch(k, lk) && wildcardMatch(value, lv))) return false;
      } else if (labels[k] !== value) return false;
    }
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const expr of selector.matchExpressions) {
      if (!isObj(expr) || typeof expr.key !== "string") return false;
      const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
      const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
      switch (expr.operator) {
        case "In":
          if (!has || !values.includes(labels[expr.key]!)) return false;
          break;
        case "NotIn":
          if (has && values.includes(labels[expr.key]!)) return false;
          break;
        case "Exists":
          if (!has) return false;
          break;
        case "DoesNotExist":
          if (has) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}
