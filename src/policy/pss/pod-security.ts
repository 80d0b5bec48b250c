/**
 * `validate.podSecurity`: the Kubernetes Pod Security Standards (baseline / restricted) checked
 * on a Pod or a pod controller's template, with Kyverno's `exclude` list (controlName, optional
 * images). Checks live in pss/checks.ts.
 */
import type { Json } from "../model.js";
import type { Outcome, ValidateEnv } from "../engine/validate.js";
import { failureMessage } from "../engine/validate.js";
import { checksFor, type PssViolation } from "./checks.js";
import { podTemplateOf } from "./pod-template.js";
import { wildcardMatch } from "../values/wildcard.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function podSecuritySupported(spec: unknown): boolean {
  if (!isObj(spec)) return false;
  const level = spec.level;
  return level === "baseline" || level === "restricted" || level === "privileged";
}

interface Exclusion {
  controlName: string;
  images: string[];
}

function exclusions(spec: Json): Exclusion[] {
  if (!Array.isArray(spec.exclude)) return [];
  return spec.exclude.filter(isObj).map((e) => ({
    controlName: String(e.controlName ?? ""),
    images: Array.isArray(e.images) ? e.images.map(String) : [],
  }));
}

/**
 * As in Kyverno, an exclusion without images excuses the control's pod-level fields; one with
 * images excuses the control in containers whose image matches.
 */
function excused(v: PssViolation, excl: Exclusion[]): boolean {
  return excl.some((e) => {
    if (e.controlName !== v.control) return false;
    if (v.image === undefined) return e.images.length === 0;
    return e.images.some((p) => wildcardMatch(p, v.image!));
  });
}

export function evaluatePodSecurity(spec: unknown, object: Json, env: ValidateEnv): Outcome {
  if (!isObj(spec) || !podSecuritySupported(spec)) return { status: "skip", message: "validate.podSecurity with this level is not supported" };
  if (spec.level === "privileged") return { status: "pass", message: "privileged level allows everything" };
  const pod = podTemplateOf(object);
  if (!pod) return { status: "skip", message: "the resource has no pod template" };
  const excl = exclusions(spec);
  const violations = checksFor(spec.level as "baseline" | "restricted")
    .flatMap((check) => check(pod.metadata, pod.spec))
    .filter((v) => !excused(v, excl));
  if (violations.length === 0) return { status: "pass", message: `validation rule '${env.ruleName}' passed.` };
  const details = violations.map((v) => `${v.control}: ${v.message}`);
  const message = env.message ? failureMessage(env) : `Validation rule '${env.ruleName}' failed. It violates PodSecurity "${String(spec.level)}:${String(spec.version ?? "latest")}": ${details.join("; ")}`;
  const first = violations[0]!;
  return { status: "fail", message, ...(first.path ? { path: pod.prefix ? `${pod.prefix}.${first.path}` : first.path } : {}) };
}
