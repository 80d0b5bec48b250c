/**
 * Kyverno `validate.cel` rules (ClusterPolicy / Policy): `expressions` (expression, message,
 * messageExpression), `variables`, `paramKind` / `paramRef` (params found among the
 * resources of the evaluation), and `celPreconditions` like matchConditions. The object keeps
 * its null fields and an expression that errors fails the rule, as in Kyverno. `generate`
 * (a ValidatingAdmissionPolicy Kyverno would create) changes nothing offline. Match and
 * exclude stay Kyverno's.
 */
import type { Json, RuleEvaluator } from "../model.js";
import { bindingsOf } from "./bindings.js";
import { clusterDataReason, clusterOnlyReason, compileExpressions, runExpressions } from "./expressions.js";
import { withClusterData } from "./kyverno-library.js";
import { paramsFor } from "./params.js";
import { toCelInput } from "./values.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The evaluator of a rule with `validate.cel` (and why it cannot run offline, when it uses a
 * cluster-only binding such as `authorizer`), or a problem when its CEL does not compile.
 */
export function celRuleEvaluator(rule: Json): { evaluator: RuleEvaluator; unsupported?: string } | { problem: string } {
  const validate = isObj(rule.validate) ? rule.validate : {};
  const cel = isObj(validate.cel) ? validate.cel : {};
  let compiled;
  try {
    compiled = compileExpressions(cel.variables, rule.celPreconditions, cel.expressions);
  } catch (err) {
    return { problem: `rule "${String(rule.name)}": ${(err as Error).message}` };
  }
  const name = String(rule.name);
  const unsupported = clusterOnlyReason(compiled);
  const needsData = clusterDataReason(compiled);
  return {
    ...(unsupported ? { unsupported } : {}),
    evaluator: {
      evaluate(context) {
        const params = paramsFor(cel.paramKind, cel.paramRef, context);
        if ("error" in params) return { status: "error", message: params.error };
        if ("skip" in params) return { status: "skip", message: params.skip };
        const bindings = { ...bindingsOf(context, params.value), object: toCelInput(context.object, { keepNulls: true }) };
        if (needsData && !context.clusterData) return { status: "skip", message: needsData, unsupported: true };
        const out = withClusterData(context.clusterData, () => runExpressions(compiled, bindings, `validation rule '${name}' passed.`));
        if (out.status === "skip" && compiled.conditions.length > 0) return { status: "skip", message: out.message.replace("match condition", "CEL precondition") };
        // Kyverno runs validate.cel through the Kubernetes validator with failurePolicy Fail: an
        // expression that errors denies the request (the rule fails). Our own cost and time limits
        // stay errors: the tool stopped, the change was not judged.
        if (out.status === "error" && !out.limited) return { status: "fail", message: out.message };
        return { status: out.status, message: out.message };
      },
    },
  };
}
