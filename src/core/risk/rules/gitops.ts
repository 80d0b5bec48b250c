/**
 * Application-level changes of an Argo CD Application object: where it deploys, what it
 * deploys from, which project governs it, and whether sync may now delete. Each changes what
 * the controller does to a cluster, whatever the rendered objects say.
 */
import { describeRef } from "../../model/resource.js";
import type { ChangeContext, ChangeRule } from "../rule.js";
import { isKind } from "./match.js";
import { applicationRemoved, applicationSetDeletionEnabled, controllerApplies } from "./gitops-appset.js";

const APPLICATION = new Set(["argoproj.io|Application"]);

function spec(body: Record<string, unknown> | undefined): Record<string, unknown> {
  const s = body?.spec;
  return s !== null && typeof s === "object" && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
}

function field(value: unknown, ...path: string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Both sides of a modified Application, or undefined for any other change. */
function sides(ctx: ChangeContext): { base: Record<string, unknown>; head: Record<string, unknown> } | undefined {
  if (!isKind(ctx.change, APPLICATION) || ctx.change.action !== "modified" || !ctx.base || !ctx.head || !controllerApplies(ctx)) return undefined;
  return { base: spec(ctx.base.body), head: spec(ctx.head.body) };
}

const show = (v: unknown) => (v === undefined || v === null || v === "" ? "(none)" : typeof v === "string" ? v : JSON.stringify(v));

/** The repoURL and chart of every source, in order: what the application deploys from. */
function origins(s: Record<string, unknown>): string {
  const list = Array.isArray(s.sources) ? s.sources : s.source !== undefined ? [s.source] : [];
  return list.map((src) => `${show(field(src, "repoURL"))}${field(src, "chart") !== undefined ? ` chart ${show(field(src, "chart"))}` : ""}`).join(", ");
}

export const applicationDestinationChanged: ChangeRule = {
  id: "gitops-destination-changed",
  scope: "change",
  category: "gitops",
  level: "high",
  description: "An Argo CD Application's destination cluster or namespace changes: everything it deploys moves.",
  evaluate(ctx) {
    const s = sides(ctx);
    if (!s) return undefined;
    const parts: string[] = [];
    for (const key of ["server", "name", "namespace"]) {
      const before = field(s.base, "destination", key);
      const after = field(s.head, "destination", key);
      if (show(before) !== show(after)) parts.push(`destination ${key} ${show(before)} → ${show(after)}`);
    }
    return parts.length > 0 ? `${describeRef(ctx.change)}: ${parts.join(", ")}: Argo CD deploys everything it renders there instead` : undefined;
  },
};

export const applicationPruneEnabled: ChangeRule = {
  id: "gitops-prune-enabled",
  scope: "change",
  category: "gitops",
  level: "high",
  description: "An Argo CD Application turns on automated sync with prune: objects removed from Git are deleted from the cluster without review.",
  evaluate(ctx) {
    if (!isKind(ctx.change, APPLICATION) || ctx.change.action === "removed" || !ctx.head || (ctx.change.action !== "added" && !controllerApplies(ctx))) return undefined;
    const prunes = (b: Record<string, unknown>) => field(b, "syncPolicy", "automated", "prune") === true;
    if (!prunes(spec(ctx.head.body)) || (ctx.base && prunes(spec(ctx.base.body)))) return undefined;
    return `${describeRef(ctx.change)} syncs automatically with prune: objects removed from Git are deleted from the cluster`;
  },
};

export const applicationProjectChanged: ChangeRule = {
  id: "gitops-project-changed",
  scope: "change",
  category: "gitops",
  level: "high",
  description: "An Argo CD Application moves to another project: other rules decide what it may deploy, and where.",
  evaluate(ctx) {
    const s = sides(ctx);
    if (!s || show(s.base.project) === show(s.head.project)) return undefined;
    return `${describeRef(ctx.change)}: project ${show(s.base.project)} → ${show(s.head.project)}`;
  },
};

export const applicationSourceChanged: ChangeRule = {
  id: "gitops-source-changed",
  scope: "change",
  category: "gitops",
  level: "high",
  description: "An Argo CD Application deploys from another repository or chart.",
  evaluate(ctx) {
    const s = sides(ctx);
    if (!s) return undefined;
    const before = origins(s.base);
    const after = origins(s.head);
    return before === after ? undefined : `${describeRef(ctx.change)}: source ${before} → ${after}`;
  },
};

export const GITOPS_RULES = [applicationDestinationChanged, applicationPruneEnabled, applicationProjectChanged, applicationSourceChanged, applicationRemoved, applicationSetDeletionEnabled];
