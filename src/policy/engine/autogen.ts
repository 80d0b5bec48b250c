/**
 * Kyverno's pod-controller autogen (pkg/autogen/v1): a rule written for Pods also checks the
 * pod templates of DaemonSet, Deployment, Job, StatefulSet, ReplicaSet, ReplicationController
 * (`autogen-<rule>`, pattern under spec.template) and CronJob (`autogen-cronjob-<rule>`, under
 * spec.jobTemplate.spec.template). The annotation `pod-policies.kyverno.io/autogen-controllers`
 * narrows the controllers or turns it off (`none`). Variables are moved by the same text
 * replacement Kyverno applies (`request.object.spec` → `request.object.spec.template.spec`).
 */
import type { Json } from "../model.js";
import { parseKindSelector } from "./kind-selector.js";

export const AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers";
const POD_CONTROLLERS = ["DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet", "ReplicationController", "CronJob"];
const TEMPLATE_CONTROLLERS = new Set(POD_CONTROLLERS.filter((c) => c !== "CronJob"));
const PODS_AND_CONTROLLERS = new Set([...POD_CONTROLLERS, "Pod"]);

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function containsKind(kinds: readonly string[], kind: string): boolean {
  return kinds.some((k) => parseKindSelector(k).kind === kind);
}

function kindsOf(description: unknown): string[] {
  return isObj(description) && Array.isArray(description.kinds) ? description.kinds.filter((k): k is string => typeof k === "string") : [];
}

/** Every resource description of a match/exclude block: legacy `resources`, `any[]`, `all[]`. */
function descriptions(block: unknown): Json[] {
  if (!isObj(block)) return [];
  const out: Json[] = [];
  if (isObj(block.resources)) out.push(block.resources);
  for (const f of [...asArray(block.any), ...asArray(block.all)]) if (isObj(f.resources)) out.push(f.resources);
  return out;
}

function blockKinds(block: unknown): string[] {
  return descriptions(block).flatMap(kindsOf);
}

function supportsAutogen(description: Json, needed: { value: boolean }): boolean {
  const kinds = kindsOf(description);
  if (description.name || (Array.isArray(description.names) && description.names.length > 0) || description.selector || description.annotations) return false;
  if (kinds.length > 1 && containsKind(kinds, "Pod")) return false;
  if (kinds.some((k) => PODS_AND_CONTROLLERS.has(k))) needed.value = true;
  return true;
}

function canAutogen(rules: readonly Json[]): boolean {
  const needed = { value: false };
  for (const rule of rules) {
    if (rule.generate) return false;
    if (isObj(rule.mutate)) {
      if (rule.mutate.patchesJson6902) return false;
      if (asArray(rule.mutate.foreach).some((f) => f.patchesJson6902)) return false;
    }
    for (const d of [...descriptions(rule.match), ...descriptions(rule.exclude)]) {
      if (!supportsAutogen(d, needed)) return false;
    }
  }
  return needed.value;
}

/** The policy's rules followed by the rules Kyverno would generate for pod controllers. */
export function computeRules(rules: readonly Json[], annotations: Readonly<Record<string, string>>): Json[] {
  if (!canAutogen(rules)) return [...rules];
  const annotation = annotations[AUTOGEN_ANNOTATION];
  const controllers = annotation === undefined ? POD_CONTROLLERS : annotation.split(",").map((c) => c.trim());
  if (controllers.includes("none")) return [...rules];
  const generated: Json[] = [];
  for (const rule of rules) {
    const forControllers = ruleForControllers(rule, controllers.filter((c) => c !== "CronJob"));
    if (forControllers) generated.push(convert(forControllers, "pod"));
    if (controllers.includes("CronJob") || controllers.includes("all")) {
      const base = ruleForControllers(rule, controllers);
      const cron = base && generateRule(`autogen-cronjob-${String(rule.name)}`, base, "jobTemplate", ["CronJob"], true);
      if (cron) generated.push(convert(cron, "cronjob"));
    }
  }
  if (generated.length === 0) return [...rules];
  return [...rules.filter((r) => !String(r.name).startsWith("autogen-")), ...generated];
}

function ruleForControllers(rule: Json, controllers: readonly string[]): Json | undefined {
  const name = String(rule.name ?? "");
  if (name.startsWith("autogen-") || controllers.length === 0) return undefined;
  const excludeKinds = blockKinds(rule.exclude);
  if (!containsKind(blockKinds(rule.match), "Pod") || (excludeKinds.length > 0 && !containsKind(excludeKinds, "Pod"))) return undefined;
  let kinds = controllers.includes("all") ? [...TEMPLATE_CONTROLLERS] : controllers.filter((c) => TEMPLATE_CONTROLLERS.has(c));
  if (kinds.length === 0) kinds = [...controllers];
  return generateRule(`autogen-${name}`, rule, "template", [...kinds].sort(), false);
}

function truncateName(name: string): string {
  return name.length > 63 ? name.slice(0, 63) : name;
}

function replaceKinds(filters: Json[], kinds: string[], all: boolean): Json[] {
  return filters.map((f) => {
    if (!isObj(f.resources)) return f;
    if (!all && !containsKind(kindsOf(f.resources), "Pod")) return f;
    return { ...f, resources: { ...f.resources, kinds } };
  });
}

function retarget(block: Json, kinds: string[], all: boolean, legacyOnlyIfKinds: boolean): Json {
  if (asArray(block.any).length > 0) return { ...block, any: replaceKinds(asArray(block.any), kinds, all) };
  if (asArray(block.all).length > 0) return { ...block, all: replaceKinds(asArray(block.all), kinds, all) };
  const resources = isObj(block.resources) ? block.resources : {};
  if (legacyOnlyIfKinds && kindsOf(resources).length === 0) return block;
  return { ...block, resources: { ...resources, kinds } };
}

function generateRule(name: string, source: Json, templateKey: string, kinds: string[], allFilters: boolean): Json | undefined {
  const rule = clone(source);
  rule.name = truncateName(name);
  rule.match = retarget(isObj(rule.match) ? rule.match : {}, kinds, allFilters, false);
  if (isObj(rule.exclude)) rule.exclude = retarget(rule.exclude, kinds, allFilters, true);
  if (isObj(rule.mutate)) return rule;
  if (isObj(rule.validate)) {
    const v = rule.validate;
    const keep: Json = {};
    for (const k of ["message", "failureAction", "failureActionOverrides", "allowExistingViolations"]) if (k in v) keep[k] = v[k];
    if (v.pattern !== undefined) rule.validate = { ...keep, pattern: { spec: { [templateKey]: v.pattern } } };
    else if (v.deny !== undefined) rule.validate = { ...keep, deny: v.deny };
    else if (v.podSecurity !== undefined) rule.validate = { ...keep, podSecurity: v.podSecurity };
    else if (Array.isArray(v.anyPattern)) rule.validate = { ...keep, anyPattern: v.anyPattern.map((p) => ({ spec: { [templateKey]: p } })) };
    else if (Array.isArray(v.foreach) && v.foreach.length > 0) rule.validate = { ...keep, foreach: v.foreach };
    else if (v.cel !== undefined || v.assert !== undefined) return rule;
    else return undefined;
    return rule;
  }
  return rule.verifyImages ? rule : undefined;
}

const POD_REPLACEMENTS: [string, string][] = [
  ["request.object.spec", "request.object.spec.template.spec"],
  ["request.oldObject.spec", "request.oldObject.spec.template.spec"],
  ["request.object.metadata", "request.object.spec.template.metadata"],
  ["request.oldObject.metadata", "request.oldObject.spec.template.metadata"],
];
const CRONJOB_REPLACEMENTS: [string, string][] = [
  ["request.object.spec", "request.object.spec.jobTemplate.spec.template.spec"],
  ["request.oldObject.spec", "request.oldObject.spec.jobTemplate.spec.template.spec"],
  ["request.object.metadata", "request.object.spec.jobTemplate.spec.template.metadata"],
  ["request.oldObject.metadata", "request.oldObject.spec.jobTemplate.spec.template.metadata"],
];

/** Kyverno rewrites the rule's JSON text; so do we, to move the same variables. */
function convert(rule: Json, target: "pod" | "cronjob"): Json {
  let text = JSON.stringify(rule);
  for (const [from, to] of target === "pod" ? POD_REPLACEMENTS : CRONJOB_REPLACEMENTS) text = text.split(from).join(to);
  const out = JSON.parse(text) as Json;
  // CEL names the resource `object` (not `request.object`): move it to the template as well.
  const template = target === "pod" ? "spec.template" : "spec.jobTemplate.spec.template";
  const moveCel = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/(?<![\w.])(object|oldObject)\.(spec|metadata)\b/g, `$1.${template}.$2`)) as unknown;
  if (isObj(out.validate) && isObj(out.validate.cel)) out.validate = { ...out.validate, cel: moveCel(out.validate.cel) };
  if (out.celPreconditions !== undefined) out.celPreconditions = moveCel(out.celPreconditions);
  return out;
}
