/** Persistent volumes and their classes: resizing, reclassing or deleting them touches data. */
import { describeRef } from "../../model/resource.js";
import type { ChangeRule } from "../rule.js";
import { changed, isKind } from "./match.js";

const STORAGE = new Set(["|PersistentVolumeClaim", "storage.k8s.io|StorageClass", "|PersistentVolume"]);
const PVC = new Set(["|PersistentVolumeClaim"]);

export const storageChanged: ChangeRule = {
  id: "storage-changed",
  scope: "change",
  category: "storage",
  level: "high",
  description: "A PersistentVolumeClaim, PersistentVolume or StorageClass is added, changed or removed.",
  evaluate({ change }) {
    if (!isKind(change, STORAGE)) return undefined;
    return `${changed(change)}: storage changes can resize, move or orphan data`;
  },
};

export const pvcRemoved: ChangeRule = {
  id: "pvc-removed",
  scope: "change",
  category: "storage",
  level: "critical",
  description: "A PersistentVolumeClaim is removed: with the usual Delete reclaim policy its data is deleted.",
  supersedes: ["storage-changed"],
  evaluate({ change }) {
    if (!isKind(change, PVC) || change.action !== "removed") return undefined;
    return `${describeRef(change)} removed: with a Delete reclaim policy (the default for dynamic volumes) its data is deleted`;
  },
};
