import { join } from "node:path";
import { packageRoot } from "../../package-root.js";

/** Folder holding the committed Kubernetes schema bundles. */
export function kubernetesSchemaDir(): string {
  return join(packageRoot(), "schemas", "kubernetes");
}
