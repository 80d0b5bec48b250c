/**
 * What a Flux source (HelmRepository, OCIRepository) says of authentication, for chart-pull.ts.
 * It may only narrow the operator's credentials, never widen them: the credentials themselves
 * come from the operator (render/chart-credentials.ts), keyed by host, whatever the source says.
 */
import { isPlainObject } from "../../yaml/parse.js";

/**
 * Without `secretRef` (nor, for OCI, a cloud `provider` or a
 * `serviceAccountName`'s pull secrets) source-controller pulls anonymously, and so does the
 * review; `passCredentials` lets a download URL on another host have that host's own credentials.
 */
export function sourceAuth(spec: unknown): { anonymous?: true; passCredentials?: true } {
  const s = isPlainObject(spec) ? spec : {};
  const authenticates = isPlainObject(s.secretRef) || (typeof s.provider === "string" && s.provider !== "" && s.provider !== "generic") || (typeof s.serviceAccountName === "string" && s.serviceAccountName !== "");
  return { ...(authenticates ? {} : { anonymous: true }), ...(s.passCredentials === true ? { passCredentials: true } : {}) };
}
