/**
 * Affected detection per object: for each file of which an application uses only some objects
 * (its own file, a substitution or values source, its chart source object), a digest of those
 * objects as parsed. A change to another object of the same file (the next HelmRelease, a
 * ConfigMap another Kustomization substitutes from) leaves the digest, and the application
 * unaffected. Files the application renders whole (its path, its chart) get none: they compare whole.
 */
import { createHash } from "node:crypto";
import type { FluxObject } from "./objects.js";

export function objectFingerprints(used: readonly (FluxObject | undefined)[], wholeFiles: ReadonlySet<string>): Map<string, string> {
  const byFile = new Map<string, FluxObject[]>();
  for (const o of used) {
    if (!o || wholeFiles.has(o.file)) continue;
    const list = byFile.get(o.file) ?? [];
    if (!list.includes(o)) list.push(o);
    byFile.set(o.file, list);
  }
  const out = new Map<string, string>();
  for (const [file, objects] of byFile) {
    const parts = objects.map((o) => [o.kind, o.namespace, o.name, o.body]).sort((a, b) => JSON.stringify(a.slice(0, 3)).localeCompare(JSON.stringify(b.slice(0, 3))));
    out.set(file, createHash("sha256").update(JSON.stringify(parts)).digest("hex"));
  }
  return out;
}
