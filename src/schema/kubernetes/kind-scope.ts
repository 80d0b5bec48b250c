/**
 * Whether a built-in kind is namespaced, as the bundled API paths say. For callers that
 * default namespaces or check them; undefined for kinds the version does not serve.
 */
import { loadBundle } from "./bundle-store.js";
import { kindKey } from "./types.js";
import { normalizeKubernetesVersion } from "./versions.js";

export async function kubernetesKindScope(
  version: string,
  apiVersion: string,
  kind: string,
): Promise<"namespaced" | "cluster" | undefined> {
  const bundle = await loadBundle(normalizeKubernetesVersion(version));
  const namespaced = bundle.namespaced[kindKey(apiVersion, kind)];
  if (namespaced === undefined) return undefined;
  return namespaced ? "namespaced" : "cluster";
}
