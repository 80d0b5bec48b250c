/**
 * Source mapping for a kustomize build: the target's kustomization, as materialised for the
 * tool, is rewritten to ask for origin annotations (see origin-request.ts).
 */
import { randomUUID } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import type { Tree } from "../../core/ports.js";
import { isPlainFileInside, safeJoin, writeInside } from "../../repo/safe-path.js";
import type { ResolvedTool } from "../binaries.js";
import { requestOriginAnnotations } from "./origin-request.js";

/**
 * Makes kustomize annotate where each resource came from, by rewriting the target's
 * kustomization in the tree's private root, never in the user's checkout: `tree.root` is the
 * scratch folder the snapshot is materialised into. Another render of the same tree may read
 * that file at the same time (it can be a base of another target); the rewrite is the same
 * every time, replaces the file in one rename, and a base's buildMetadata does not change
 * what an overlay renders. Undefined when source mapping is off for this render.
 */
export async function rewriteForOrigins(tree: Tree, file: string | undefined, tool: ResolvedTool): Promise<{ strip: boolean } | undefined> {
  if (!file || !supportsOriginAnnotations(tool.info.version)) return undefined;
  const text = await tree.read(file).catch(() => undefined);
  if (text === undefined) return undefined;
  const request = requestOriginAnnotations(text);
  if (request.status === "present") return { strip: false };
  if (request.status !== "added") return undefined;
  // Only a copy already materialised is replaced, and it is written like the snapshot itself
  // (no `..`, never through a link).
  if (!(await isPlainFileInside(tree.root, file))) return undefined;
  let temporary: string | undefined;
  try {
    const path = safeJoin(tree.root, file);
    temporary = await writeInside(tree.root, `${file}.${process.pid}.${randomUUID()}.tmp`, request.text, { exclusive: true });
    await rename(temporary, path);
  } catch {
    if (temporary !== undefined) await rm(temporary, { force: true });
    return undefined;
  }
  return { strip: true };
}

/**
 * buildMetadata arrived in kustomize v4.5, but reports of v4.5.x builds rejecting the field
 * exist; a build broken by our own addition would be far worse than a missing line, so only
 * v5 and later (kubectl 1.27+) are asked. Unknown versions are not asked either.
 */
export function supportsOriginAnnotations(version: string | null): boolean {
  const m = /v?(\d+)\.(\d+)/.exec(version ?? "");
  return m !== null && Number(m[1]) >= 5;
}
