/**
 * The report's targets grouped by what deploys them: Argo CD applications, then Flux
 * applications, then the folders (Kustomize, Helm, Compose, manifests) as before. Every
 * human format lists targets in this order; headings appear only when a GitOps application
 * is among them, so a report of folders alone reads as it always did.
 */
import { controllerOf, type Controller, type TargetType } from "../core/model/target.js";

export type GroupKey = Controller | "folders";

export interface TargetGroup<T> {
  key: GroupKey;
  title: string;
  /** One of the group's targets, for counts: "2 Flux applications". */
  noun: string;
  items: T[];
}

/** In the order the groups are listed. */
const GROUPS: readonly Omit<TargetGroup<never>, "items">[] = [
  { key: "argocd", title: "Argo CD applications", noun: "Argo CD application" },
  { key: "flux", title: "Flux applications", noun: "Flux application" },
  { key: "folders", title: "Folder targets", noun: "folder target" },
];

/** A target of unknown type (a change whose target the report does not list) is a folder. */
export function groupKeyOf(type: TargetType | undefined): GroupKey {
  return (type && controllerOf(type)) ?? "folders";
}

/** The non-empty groups in listing order; items keep their order inside a group. */
export function groupByController<T>(items: readonly T[], typeOf: (item: T) => TargetType | undefined): TargetGroup<T>[] {
  return GROUPS.map((g) => ({ ...g, items: items.filter((item) => groupKeyOf(typeOf(item)) === g.key) })).filter((g) => g.items.length > 0);
}

/** Headings are worth their space once a GitOps application is listed. */
export function showsGroupHeadings<T>(groups: readonly TargetGroup<T>[]): boolean {
  return groups.some((g) => g.key !== "folders");
}
