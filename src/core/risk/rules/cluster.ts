/** Cluster-shaping objects: CRDs, namespaces, quotas and limit ranges. */
import { describeRef } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { changed, isKind } from "./match.js";

const CRD = new Set(["apiextensions.k8s.io|CustomResourceDefinition"]);
const NAMESPACE = new Set(["|Namespace"]);
const QUOTA = new Set(["|ResourceQuota", "|LimitRange"]);

export const crdChanged: ChangeRule = {
  id: "crd-changed",
  scope: "change",
  category: "crd",
  level: "high",
  description: "A CustomResourceDefinition is added or changed: it affects every object of its kind in the cluster.",
  evaluate({ change }) {
    if (!isKind(change, CRD)) return undefined;
    return `${changed(change)}: it affects every object of its kind in the cluster`;
  },
};

export const crdRemoved: ChangeRule = {
  id: "crd-removed",
  scope: "change",
  category: "crd",
  level: "critical",
  description: "A CustomResourceDefinition is removed: the API server deletes every object of its kind.",
  supersedes: ["crd-changed"],
  evaluate({ change }) {
    if (!isKind(change, CRD) || change.action !== "removed") return undefined;
    return `${describeRef(change)} removed: the API server deletes every object of its kind, in every namespace`;
  },
};

export const namespaceRemoved: ChangeRule = {
  id: "namespace-removed",
  scope: "change",
  category: "namespace",
  level: "critical",
  description: "A Namespace is removed: everything in it is deleted.",
  evaluate({ change }) {
    if (!isKind(change, NAMESPACE) || change.action !== "removed") return undefined;
    return `${describeRef(change)} removed: everything in it is deleted with it`;
  },
};

export const quotaChanged: ChangeRule = {
  id: "quota-changed",
  scope: "change",
  category: "quota",
  level: "medium",
  description: "A ResourceQuota or LimitRange is added, changed or removed: it decides what may be scheduled.",
  evaluate({ change }) {
    if (!isKind(change, QUOTA)) return undefined;
    return `${changed(change)}: it changes what workloads in the namespace may request and run`;
  },
};
