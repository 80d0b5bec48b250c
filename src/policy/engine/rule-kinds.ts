/**
 * What a rule is and whether it can be evaluated offline. Everything we cannot evaluate gets a
 * reason, so it is reported as "skip" instead of passing silently.
 */
import type { Json, RuleKind } from "../model.js";
import { parseKindSelector } from "./kind-selector.js";
import { podSecuritySupported } from "../pss/pod-security.js";

export const API_CALL_ANNOTATION = "shipshape.dev/api-call";
export const API_CALL_RENDERED = "rendered-resources";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function classifyRule(rule: Json, annotations: Readonly<Record<string, string>>): { kind: RuleKind; unsupported?: string } {
  if (isObj(rule.validate)) {
    const cel = isObj(rule.validate.cel);
    const reason = validateUnsupported(rule.validate) ?? contextUnsupported(rule, annotations) ?? (rule.celPreconditions && !cel ? "celPreconditions are only evaluated on validate.cel rules" : undefined);
    return reason ? { kind: "validate", unsupported: reason } : { kind: "validate" };
  }
  if (rule.mutate) return { kind: "mutate", unsupported: "mutate rules change resources; Shipshape only validates" };
  if (rule.generate) return { kind: "generate", unsupported: "generate rules create resources in a cluster; not evaluated offline" };
  if (rule.verifyImages) return { kind: "verifyImages", unsupported: "verifyImages needs access to image registries; not evaluated offline" };
  return { kind: "unknown", unsupported: "the rule has no validate, mutate, generate or verifyImages block" };
}

function validateUnsupported(v: Json): string | undefined {
  if (v.cel !== undefined) return isObj(v.cel) ? undefined : "validate.cel is not a mapping";
  if (v.manifests !== undefined) return "validate.manifests (signed manifests) is not evaluated offline";
  if (v.assert !== undefined) return "validate.assert (assertion trees) is not supported";
  if (v.podSecurity !== undefined) return podSecuritySupported(v.podSecurity) ? undefined : "validate.podSecurity with this level/version is not supported";
  if (v.pattern !== undefined || v.anyPattern !== undefined || v.deny !== undefined || v.foreach !== undefined) return undefined;
  return "the validate rule has no pattern, anyPattern, deny or foreach";
}

/** Context entries (rule level and inside foreach) that need a cluster or a registry. */
function contextUnsupported(rule: Json, annotations: Readonly<Record<string, string>>): string | undefined {
  const entries: Json[] = [];
  const collect = (list: unknown) => {
    if (Array.isArray(list)) for (const e of list) if (isObj(e)) entries.push(e);
  };
  collect(rule.context);
  const walkForeach = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const f of list) {
      if (!isObj(f)) continue;
      collect(f.context);
      walkForeach(f.foreach);
    }
  };
  if (isObj(rule.validate)) walkForeach(rule.validate.foreach);
  const emulate = annotations[API_CALL_ANNOTATION] === API_CALL_RENDERED;
  for (const e of entries) {
    const name = String(e.name ?? "");
    if (e.configMap) return `context "${name}" reads a ConfigMap from the cluster; not available offline`;
    if (e.imageRegistry) return `context "${name}" reads image metadata from a registry; not available offline`;
    if (e.globalReference) return `context "${name}" uses a global context entry from the cluster; not available offline`;
    if (isObj(e.apiCall)) {
      if (!emulate) return `context "${name}" makes an API call to the cluster; add the annotation ${API_CALL_ANNOTATION}: ${API_CALL_RENDERED} to answer it from the rendered resources`;
      if (e.apiCall.service) return `context "${name}" calls an external service; not available offline`;
      const method = String(e.apiCall.method ?? "GET").toUpperCase();
      if (method !== "GET" || typeof e.apiCall.urlPath !== "string") return `context "${name}": only GET apiCall with urlPath can be answered from the rendered resources`;
    }
    if (!e.variable && !e.apiCall) return `context "${name}" has an unsupported source`;
  }
  return undefined;
}

/** The kinds a rule can match, for indexing; ["*"] when any kind could match. */
export function ruleKinds(rule: Json): string[] {
  const kinds = new Set<string>();
  const match = isObj(rule.match) ? rule.match : {};
  const blocks: unknown[] = [match.resources];
  for (const key of ["any", "all"]) if (Array.isArray(match[key])) for (const f of match[key] as unknown[]) if (isObj(f)) blocks.push(f.resources);
  let any = false;
  for (const b of blocks) {
    if (!isObj(b)) continue;
    if (!Array.isArray(b.kinds) || b.kinds.length === 0) {
      if (Object.keys(b).length > 0) any = true;
      continue;
    }
    for (const k of b.kinds) {
      const kind = parseKindSelector(String(k)).kind;
      if (kind.includes("*") || kind.includes("?")) any = true;
      else kinds.add(kind);
    }
  }
  return any || kinds.size === 0 ? ["*"] : [...kinds];
}
