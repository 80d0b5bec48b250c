/** The policy engine's public surface: loading, evaluating, the core adapter and the test runner. */
export { loadPolicies, type LoadResult } from "./load.js";
export { evaluatePolicies } from "./engine/evaluate.js";
export { createPolicyEvaluator, toPolicyResource, parameterVariables, COMPOSE_API_VERSION, type PolicyEvaluatorOptions } from "./evaluator.js";
export { runPolicyTests, type TestIo, type TestSummary } from "./test-runner/run.js";
export { measurePolicyThroughput, type PolicyThroughput } from "./bench.js";
export { API_CALL_ANNOTATION, API_CALL_RENDERED } from "./engine/rule-kinds.js";
export { AUTOGEN_ANNOTATION } from "./engine/autogen.js";
export type { EvaluationOptions, LoadedPolicy, PolicyProblem, PolicyResource, PolicyRule, RuleResult, RuleStatus } from "./model.js";
