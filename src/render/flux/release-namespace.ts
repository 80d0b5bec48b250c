import { isPlainObject } from "../../yaml/parse.js";
import type { FluxObject } from "./objects.js";

/**
 * helm-controller installs a release into `targetNamespace`, else the HelmRelease's namespace:
 * a namespaced object the chart writes without one lands there, not in "default".
 */
export function releaseNamespace(o: FluxObject): { namespace?: string } {
  if (o.kind !== "HelmRelease") return {};
  const spec = isPlainObject(o.body.spec) ? o.body.spec : {};
  return { namespace: typeof spec.targetNamespace === "string" && spec.targetNamespace !== "" ? spec.targetNamespace : o.namespace };
}
