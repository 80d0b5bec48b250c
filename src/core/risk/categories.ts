/**
 * What a risk reason is about. Approvers are configured per category
 * (`risk.approvals.<category>`), so the list is closed and checked by the config schema.
 */
export const RISK_CATEGORIES = [
  "statefulset",
  "networkpolicy",
  "rbac",
  "storage",
  "crd",
  "cost",
  "namespace",
  "exposure",
  "privilege",
  "image",
  "quota",
  "gitops",
] as const;

export type RiskCategory = (typeof RISK_CATEGORIES)[number];
