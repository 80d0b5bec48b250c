/** StatefulSets hold data: every change rolls stateful pods, and some fields cannot change in place. */
import { deepEqual } from "../../diff/deep-equal.js";
import { get } from "../../diff/summary/access.js";
import { describeRef } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { changed, isKind, listWords } from "./match.js";

const STATEFULSET = new Set(["apps|StatefulSet"]);

/** Immutable in the API: changing them means deleting and recreating the StatefulSet. */
const IMMUTABLE_FIELDS = ["volumeClaimTemplates", "serviceName", "podManagementPolicy"] as const;

export const statefulSetChanged: ChangeRule = {
  id: "statefulset-changed",
  scope: "change",
  category: "statefulset",
  level: "high",
  description: "A StatefulSet is added, changed or removed: its pods hold data and roll one by one.",
  evaluate({ change }) {
    if (!isKind(change, STATEFULSET)) return undefined;
    return `${changed(change)}: its pods hold state and are replaced one at a time`;
  },
};

export const statefulSetImmutableFields: ChangeRule = {
  id: "statefulset-immutable-fields",
  scope: "change",
  category: "statefulset",
  level: "critical",
  description: "A StatefulSet's volumeClaimTemplates, serviceName or podManagementPolicy change: the API refuses this in place.",
  supersedes: ["statefulset-changed"],
  evaluate({ change, base, head, withoutNoise }) {
    if (!isKind(change, STATEFULSET) || !base || !head) return undefined;
    const b = withoutNoise(base.body);
    const h = withoutNoise(head.body);
    const fields = IMMUTABLE_FIELDS.filter((f) => !deepEqual(get(b, "spec", f), get(h, "spec", f)));
    if (fields.length === 0) return undefined;
    return (
      `${describeRef(change)} changes ${listWords(fields.map((f) => `spec.${f}`))}: immutable fields, so applying it ` +
      "needs the StatefulSet deleted and recreated (orphaning its pods), and existing volumes are not resized or rebuilt by it"
    );
  },
};

export const statefulSetRemoved: ChangeRule = {
  id: "statefulset-removed",
  scope: "change",
  category: "statefulset",
  level: "critical",
  description: "A StatefulSet is removed: its pods and the service in front of its data go away.",
  supersedes: ["statefulset-changed"],
  evaluate({ change }) {
    if (!isKind(change, STATEFULSET) || change.action !== "removed") return undefined;
    return `${describeRef(change)} removed: its pods stop, and its volume claims are left behind or deleted per persistentVolumeClaimRetentionPolicy`;
  },
};
