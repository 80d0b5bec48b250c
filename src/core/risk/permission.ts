/**
 * Repository access as GitHub grants it, weakest first. An approval counts only from someone
 * whose role reaches the reason's `minPermission`; the adapter asks GitHub and hands the role
 * in as data ("unknown" when GitHub could not say, which never counts).
 */
import type { MinPermission } from "../model/risk.js";

export const REPO_ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type RepoRole = (typeof REPO_ROLES)[number];

export const MIN_PERMISSIONS: readonly MinPermission[] = ["write", "maintain", "admin"];

export function isRepoRole(value: unknown): value is RepoRole {
  return typeof value === "string" && (REPO_ROLES as readonly string[]).includes(value);
}

export function meetsMinimum(role: RepoRole | "unknown", min: MinPermission): boolean {
  return role !== "unknown" && REPO_ROLES.indexOf(role) >= REPO_ROLES.indexOf(min);
}

/** Whether a role is at least `min` (any role, triage included); "unknown" never is. */
export function reaches(role: RepoRole | "unknown", min: RepoRole): boolean {
  return role !== "unknown" && REPO_ROLES.indexOf(role) >= REPO_ROLES.indexOf(min);
}
