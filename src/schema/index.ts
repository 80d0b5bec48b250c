/**
 * The validator the pipeline uses: Kubernetes objects go to the Kubernetes validator
 * (bundled OpenAPI schemas, CRDs, API lifecycle), Compose entries to the Compose spec.
 */
import { apiGroup, type Resource } from "../core/model/resource.js";
import type { Severity } from "../core/model/finding.js";
import type { SchemaIssue, Tree, ValidationRequest, Validator } from "../core/ports.js";
import { createComposeValidator } from "./compose/index.js";
import { createKubernetesValidator, kubernetesKindScope } from "./kubernetes/index.js";

export interface ValidatorOptions {
  strict: boolean;
  missingSchema: Severity;
  crdGlobs: string[];
  /** Repository folder of {group}/{kind}_{version}.json schemas, read from `schemaTree`. */
  localSchemaDir?: string;
  /** The base side: schemas a pull request brings are not trusted to judge that pull request. */
  schemaTree?: Tree;
  /** Fall back to the GitOps controllers' built-in CRDs (config `schema.builtinCrds`; default true). */
  builtinCrds?: boolean;
}

export function createValidator(options: ValidatorOptions): Validator {
  const kubernetes = createKubernetesValidator(options);
  const compose = createComposeValidator({ strict: options.strict });
  return {
    defaultKubernetesVersion: kubernetes.defaultKubernetesVersion,
    kindScope: (version, apiVersion, kind) => kubernetesKindScope(version, apiVersion, kind).catch(() => undefined),
    async validate(request: ValidationRequest): Promise<SchemaIssue[]> {
      const isCompose = (r: Resource) => apiGroup(r.apiVersion) === "compose";
      const composeResources = request.resources.filter(isCompose);
      const kubeResources = request.resources.filter((r) => !isCompose(r));
      const [a, b] = await Promise.all([
        kubeResources.length ? kubernetes.validate({ ...request, resources: kubeResources }) : [],
        composeResources.length ? compose.validate({ ...request, resources: composeResources }) : [],
      ]);
      return [...a, ...b];
    },
  };
}

export { BUNDLED_VERSIONS, normalizeKubernetesVersion, UnknownKubernetesVersionError } from "./kubernetes/index.js";
