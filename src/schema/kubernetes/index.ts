/** Kubernetes schema validation: built-in kinds from the bundled OpenAPI schemas, CRDs, API removals. */
export { createKubernetesValidator, type KubernetesValidatorOptions } from "./validator.js";
export {
  BUNDLED_VERSIONS,
  DEFAULT_KUBERNETES_VERSION,
  UnknownKubernetesVersionError,
  normalizeKubernetesVersion,
} from "./versions.js";
export { kubernetesKindScope } from "./kind-scope.js";
