/**
 * The Kubernetes validator: built-in kinds against the bundled schemas of the target version,
 * custom resources against their CRDs, and API versions against what that version serves.
 * Compose entries belong to the Compose validator and are skipped here.
 *
 * Hot path (one resource of a built-in kind): two map lookups, one call of a compiled ajv
 * function, nothing allocated when the resource is valid.
 */
import type { ValidateFunction } from "ajv";
import type { Severity } from "../../core/model/finding.js";
import type { Resource } from "../../core/model/resource.js";
import type { SchemaIssue, Tree, ValidationRequest, Validator } from "../../core/ports.js";
import { createAjv } from "./ajv-instance.js";
import { deprecationVerdict, unservedVerdict, type ApiVerdict } from "./api-lifecycle.js";
import { builtinSchemas, type BuiltinSchemas, type KindEntry } from "./builtin-schemas.js";
import { loadApiHistory, loadBundle } from "./bundle-store.js";
import type { BuiltinServed } from "./controller-crds.js";
import type { CustomSchema } from "./crd-entries.js";
import { convertCrdSchema, customResourceSchema } from "./crd-schema.js";
import { CustomSchemaFinder, type RequestSchemas } from "./custom-schemas.js";
import { finalizeSchema } from "./finalize-schema.js";
import { PRUNE_ABOVE_BYTES, pruneSchema, shapeOf } from "./prune-schema.js";
import { issuesFromErrors } from "./issues.js";
import { withoutNullFields } from "./nulls.js";
import { kubernetesSchemaDir } from "./schema-dir.js";
import type { ApiHistory, JsonSchema } from "./types.js";
import { DEFAULT_KUBERNETES_VERSION, normalizeKubernetesVersion } from "./versions.js";

export interface KubernetesValidatorOptions {
  /** Unknown fields are errors (`schema/unknown-field`) unless a schema preserves them. */
  strict: boolean;
  /** Severity of `schema/no-schema` for custom resources without a schema. */
  missingSchema: Severity;
  /** Globs of CRD files in the repository (config `schema.crds`). */
  crdGlobs: string[];
  /** Folder of catalog JSON schemas in the base tree (config `schema.localSchemas`). */
  localSchemaDir?: string;
  /** The base tree, where `localSchemaDir` is read. */
  schemaTree?: Tree;
  /** Where the bundles live; defaults to the package's schemas/kubernetes. For tests and benchmarks. */
  bundleDir?: string;
  /** Fall back to the GitOps controllers' built-in CRDs (config `schema.builtinCrds`; default true). */
  builtinCrds?: boolean;
  /** Where the built-in CRDs live; defaults to the package's schemas/controllers. For tests. */
  builtinCrdDir?: string;
}

interface VersionState {
  builtins: BuiltinSchemas;
  history: ApiHistory;
  deprecations: Map<KindEntry, ApiVerdict | null>;
}

type Compiled = { validate: ValidateFunction } | { problem: string };

export function createKubernetesValidator(options: KubernetesValidatorOptions): Validator {
  const ajv = createAjv();
  const bundleDir = options.bundleDir ?? kubernetesSchemaDir();
  const states = new Map<string, Promise<VersionState>>();
  const finder = new CustomSchemaFinder(options);
  // Compiled CRD schemas: by source object first (no work per resource), then by content
  // (the same CRD rendered on both sides, or again in the next request, compiles once).
  const compiledBySource = new WeakMap<CustomSchema, { version: string; compiled: Compiled; content: string; pruned: boolean }>();
  const compiledByContent = new Map<string, Compiled>();
  /** A short id per distinct schema text, so that cache keys do not repeat 400 KB schemas. */
  const contentIds = new Map<string, number>();
  const converted = new Map<string, JsonSchema>();

  function stateFor(version: string): Promise<VersionState> {
    let pending = states.get(version);
    if (!pending) {
      pending = Promise.all([loadBundle(version, bundleDir), loadApiHistory(bundleDir)]).then(([bundle, history]) => ({
        builtins: builtinSchemas(ajv, bundle, options.strict),
        history,
        deprecations: new Map(),
      }));
      pending.catch(() => states.delete(version));
      states.set(version, pending);
    }
    return pending;
  }

  function deprecation(state: VersionState, entry: KindEntry): ApiVerdict | null {
    let verdict = state.deprecations.get(entry);
    if (verdict === undefined) {
      verdict = deprecationVerdict(state.history, entry.apiVersion, entry.kind, state.builtins.version) ?? null;
      state.deprecations.set(entry, verdict);
    }
    return verdict;
  }

  function compileCustom(state: VersionState, schema: CustomSchema, resource: Resource): Compiled {
    if (schema.problem) return { problem: schema.problem };
    const known = compiledBySource.get(schema);
    if (known?.version === state.builtins.version && !known.pruned) return known.compiled;
    const content = known?.content ?? JSON.stringify(schema.schema);
    // A large schema is compiled for the fields this resource holds (prune-schema.ts).
    const shape = content.length > PRUNE_ABOVE_BYTES ? shapeOf(resource.body) : undefined;
    let contentId = contentIds.get(content);
    if (contentId === undefined) contentIds.set(content, (contentId = contentIds.size));
    const schemaKey = `${schema.key}\u0000${schema.preserveAll}\u0000${contentId}`;
    const key = `${state.builtins.version}\u0000${schemaKey}\u0000${shape === undefined ? "" : JSON.stringify(shape)}`;
    let compiled = compiledByContent.get(key);
    if (!compiled) {
      try {
        let whole = converted.get(schemaKey);
        if (!whole) converted.set(schemaKey, (whole = convertCrdSchema(schema.schema, { preserveAll: schema.preserveAll })));
        const root = customResourceSchema(shape === undefined ? whole : pruneSchema(whole, shape), schema.apiVersion, schema.kind, state.builtins.objectMetaRef);
        compiled = { validate: ajv.compile(finalizeSchema(root, options.strict)) };
      } catch (err) {
        compiled = { problem: (err as Error).message };
      }
      compiledByContent.set(key, compiled);
    }
    compiledBySource.set(schema, { version: state.builtins.version, compiled, content, pruned: shape !== undefined });
    return compiled;
  }

  async function validateCustom(state: VersionState, schemas: RequestSchemas, resource: Resource, issues: SchemaIssue[]): Promise<void> {
    const schema = await schemas.find(resource.apiVersion, resource.kind);
    if (!schema) {
      issues.push(noSchemaIssue(resource, options, await schemas.builtinServed(resource.apiVersion, resource.kind)));
      return;
    }
    const compiled = compileCustom(state, schema, resource);
    if ("problem" in compiled) {
      issues.push(
        withLine({
          ruleId: "schema/invalid-schema",
          severity: "warning",
          message: `the schema for ${resource.apiVersion} ${resource.kind} from ${schema.origin} cannot be used: ${compiled.problem}`,
          resource,
          path: "",
        }),
      );
      return;
    }
    check(compiled.validate, resource, issues);
  }

  return {
    defaultKubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    async validate(request: ValidationRequest): Promise<SchemaIssue[]> {
      const state = await stateFor(normalizeKubernetesVersion(request.kubernetesVersion));
      const { builtins } = state;
      const issues: SchemaIssue[] = [];
      let custom: RequestSchemas | undefined;
      for (const resource of request.resources) {
        const { apiVersion, kind } = resource;
        if (kind === "List" || apiVersion.startsWith("compose/")) continue;
        const entry = builtins.lookup(apiVersion, kind);
        if (entry) {
          const verdict = deprecation(state, entry);
          if (verdict) issues.push(apiIssue(resource, verdict));
          check(builtins.validator(entry), resource, issues);
          continue;
        }
        const verdict = unservedVerdict(state.history, apiVersion, kind, builtins.version, builtins.kindsOf(apiVersion));
        if (verdict) {
          issues.push(apiIssue(resource, verdict));
          continue;
        }
        custom ??= finder.forRequest(request);
        await validateCustom(state, custom, resource, issues);
      }
      return issues;
    },
  };
}

/**
 * Validates as the API server decodes: the resource as is, and only if that fails and it
 * holds nulls, again without its null fields (which the server would have dropped).
 */
function check(validate: ValidateFunction, resource: Resource, issues: SchemaIssue[]): void {
  const body = resource.body;
  if (validate(body)) return;
  let errors = validate.errors ?? [];
  const data = withoutNullFields(body);
  if (data !== body) {
    if (validate(data)) return;
    errors = validate.errors ?? [];
  }
  for (const issue of issuesFromErrors(errors, resource, data)) issues.push(issue);
}

function apiIssue(resource: Resource, verdict: ApiVerdict): SchemaIssue {
  return withLine({ ruleId: verdict.ruleId, severity: verdict.severity, message: verdict.message, resource, path: "apiVersion" });
}

/** Adds the line of the issue's path (or of the object) when the renderer kept positions. */
function withLine(issue: SchemaIssue): SchemaIssue {
  const locate = issue.resource.locate;
  if (!locate) return issue;
  const line = locate(issue.path ? [issue.path] : []) ?? locate([]);
  if (line !== undefined) issue.line = line;
  return issue;
}

/**
 * `builtin`: the versions the built-in controller CRDs cover for this group and kind, when they
 * cover others. Said as what this Shipshape ships, not as a removal: the cluster may run an
 * older controller that still serves this version.
 */
function noSchemaIssue(resource: Resource, options: KubernetesValidatorOptions, builtin?: BuiltinServed): SchemaIssue {
  const { apiVersion, kind } = resource;
  const slash = apiVersion.indexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const folder = options.localSchemaDir ? options.localSchemaDir.replace(/\/+$/, "") : "<folder>";
  const catalogPath = `${folder}/${group}/${kind.toLowerCase()}_${version}.json`;
  const covers = builtin
    ? ` (the built-in ${builtin.release} CRD covers ${builtin.versions.map((v) => `${group}/${v}`).join(", ")} only)`
    : "";
  return withLine({
    ruleId: "schema/no-schema",
    severity: options.missingSchema,
    message:
      `no schema for ${apiVersion} ${kind}, so it was not validated${covers}: add its CustomResourceDefinition to the repository, ` +
      `list CRD files in schema.crds, or put a JSON schema at ${catalogPath} (schema.localSchemas)`,
    resource,
    path: "",
  });
}
