/**
 * Argo CD `ApplicationSet` objects: their generators evaluated offline (generators.ts), the
 * template rendered with each parameter set, and the result read as an Application like one
 * written in a file. Generated Applications live in the ApplicationSet's namespace, as the
 * ApplicationSet controller creates them. An ApplicationSet that cannot be evaluated yields
 * no Applications and one problem saying why.
 */
import type { InputProblem, Tree } from "../../../core/ports.js";
import type { Resource } from "../../../core/model/resource.js";
import { APPLICATION_GROUP, DEFAULT_ARGOCD_NAMESPACE, readApplication, type Application } from "../application.js";
import { filesOf, generate, GeneratorError, renderText, renderValue, type GeneratorContext, type Params } from "./generators.js";
import { applyTemplatePatch, PatchError, readTemplatePatch } from "./template-patch.js";

/** Stands for the ApplicationSet's uid in generated owner references (schema-valid, never a real uid). */
export const OWNER_UID = "uid-of-the-applicationset-in-the-cluster";

/** The id suffix of an ApplicationSet's own target (appset/target.ts). */
export const APPLICATIONSET_SUFFIX = "#applicationset";

/** The finalizer Argo CD gives generated Applications: deleting one deletes what it deployed. */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

export function isApplicationSet(r: Pick<Resource, "apiVersion" | "kind">): boolean {
  return r.kind === "ApplicationSet" && r.apiVersion.startsWith(`${APPLICATION_GROUP}/`);
}

export interface GeneratedApplications {
  name: string;
  namespace: string;
  apps: Application[];
  /** Each generated Application as an object (aligned with `apps`), in the ApplicationSet's namespace. */
  bodies: Record<string, unknown>[];
  problems: InputProblem[];
  /** The defining file: an input of every Application generated (each also reads its own `generatedFrom`). */
  read: string[];
}

/** The Applications `resource` (an ApplicationSet of `file`) generates; `index` numbers them from `firstIndex`. */
export async function expandApplicationSet(resource: Resource, file: string, firstIndex: number, tree: Tree, isLocal: (url: string) => boolean): Promise<GeneratedApplications> {
  const namespace = resource.namespace || DEFAULT_ARGOCD_NAMESPACE;
  const where = { file, ...(resource.source?.line !== undefined ? { line: resource.source.line } : {}) };
  const out: GeneratedApplications = { name: resource.name, namespace, apps: [], bodies: [], problems: [], read: [file] };
  const fail = (ruleId: string, message: string, severity: "error" | "warning" = ruleId === "gitops/application-invalid" ? "error" : "warning") => {
    out.problems.push({ ruleId, severity, message: `Argo CD ApplicationSet ${resource.name}: ${message}; its Applications are not reviewed`, key: `${namespace}/${resource.name}:${ruleId}`, ...where });
    return out;
  };
  const spec = record(resource.body.spec);
  if (!spec) return fail("gitops/application-invalid", "`spec` must be a mapping");
  const template = record(spec.template);
  if (!template) return fail("gitops/application-invalid", "`spec.template` must be a mapping");
  if (spec.templatePatch !== undefined && spec.templatePatch !== null && typeof spec.templatePatch !== "string") return fail("gitops/application-invalid", "`spec.templatePatch` must be text");
  const shape: Shape = { patch: typeof spec.templatePatch === "string" && spec.templatePatch !== "" ? spec.templatePatch : undefined, preserve: record(spec.syncPolicy)?.preserveResourcesOnDeletion === true };
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  if (generators.length === 0) return fail("gitops/application-invalid", "`spec.generators` must be a non-empty list");
  const options = Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions : [];
  const read = new Set<string>();
  const ctx: GeneratorContext = { tree, isLocal, goTemplate: spec.goTemplate === true, missingKeyError: options.includes("missingkey=error"), read };
  const rendered: { body: Record<string, unknown>; files: string[] }[] = [];
  try {
    for (const generator of generators) {
      const own = generatorTemplate(generator);
      const merged = own ? overrideTemplate(template, own) : template;
      for (const params of await generate(generator, ctx)) rendered.push({ body: applicationObject(merged, params, ctx, shape), files: filesOf(params) });
    }
  } catch (err) {
    // What was read until then is an input: fixing it makes the ApplicationSet evaluate.
    out.read.push(...[...read].sort());
    if (err instanceof GeneratorError) return fail(err.ruleId, err.message);
    throw err;
  }
  const seen = new Set<string>();
  for (const [i, { body, files }] of rendered.entries()) {
    const metadata = record(body.metadata) ?? {};
    const name = typeof metadata.name === "string" ? metadata.name : "";
    if (seen.has(name)) return { ...fail("gitops/application-invalid", `two generated Applications are named ${JSON.stringify(name)} (Argo CD refuses the whole ApplicationSet)`), apps: [], bodies: [] };
    seen.add(name);
    const app: Resource = { apiVersion: `${APPLICATION_GROUP}/v1alpha1`, kind: "Application", namespace, name, body, ...(resource.source ? { source: resource.source } : {}) };
    const read = readApplication(app, file, firstIndex + i);
    if (!read.app) {
      out.problems.push(...read.problems.map((p) => ({ ...p, message: `${p.message} (generated by ApplicationSet ${resource.name})` })));
      continue;
    }
    out.apps.push({ ...read.app, generatedBy: resource.name, generatedFrom: files });
    // The controller owns what it generates: deleting the ApplicationSet deletes its Applications.
    // The API server requires the owner's uid, which only the cluster knows: a placeholder says so.
    const owner = { apiVersion: resource.apiVersion, kind: "ApplicationSet", name: resource.name, uid: OWNER_UID, controller: true, blockOwnerDeletion: true };
    out.bodies.push({ ...body, metadata: { ...(record(body.metadata) ?? {}), namespace, ownerReferences: [owner] } });
  }
  return out;
}

interface Shape {
  /** `spec.templatePatch`, rendered with each parameter set and applied to its Application. */
  patch: string | undefined;
  /** `syncPolicy.preserveResourcesOnDeletion`: generated Applications get no resources finalizer. */
  preserve: boolean;
}

/**
 * The template rendered with one parameter set, as Argo CD's RenderTemplateParams makes it (the
 * resources finalizer added when the template has no finalizers and resources are not
 * preserved), then its templatePatch applied: an Application body in the ApplicationSet's namespace.
 */
function applicationObject(template: Record<string, unknown>, params: Params, ctx: GeneratorContext, shape: Shape): Record<string, unknown> {
  const rendered = renderValue(template, params, ctx) as Record<string, unknown>;
  const metadata = { ...(record(rendered.metadata) ?? {}) };
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
  if (finalizers.length === 0 && !shape.preserve) metadata.finalizers = [RESOURCES_FINALIZER];
  let body: Record<string, unknown> = { apiVersion: `${APPLICATION_GROUP}/v1alpha1`, kind: "Application", ...rendered, metadata };
  if (shape.patch !== undefined) {
    try {
      body = applyTemplatePatch(body, readTemplatePatch(renderText(shape.patch, params, ctx)));
    } catch (err) {
      if (err instanceof PatchError) throw new GeneratorError(`templatePatch: ${err.message}`, "gitops/application-invalid");
      throw err;
    }
  }
  const out = { ...(record(body.metadata) ?? {}) };
  delete out.namespace;
  return { ...body, apiVersion: `${APPLICATION_GROUP}/v1alpha1`, kind: "Application", metadata: out };
}

/** A generator's own `template` (`list.template`, `git.template`…), which Argo CD merges over `spec.template`. */
function generatorTemplate(generator: unknown): Record<string, unknown> | undefined {
  const g = record(generator);
  const kind = g ? Object.keys(g).find((k) => k !== "selector") : undefined;
  return kind ? record(record(g![kind])?.template) : undefined;
}

/** As mergo's override merge: the generator template's set fields win, mappings merge, empty values do not count. */
function overrideTemplate(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    const left = record(out[k]);
    const right = record(v);
    out[k] = left && right ? overrideTemplate(left, right) : v;
  }
  return out;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
