import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { measurePolicyThroughput } from "../../src/policy/bench.js";
import { conformancePolicies, SUITE } from "./helpers/conformance-policies.js";
import { generateResources } from "./helpers/generate.js";

describe.skipIf(!existsSync(SUITE))("policy engine throughput", () => {
  // Its speed is measured by `npm run bench` (timed tests flake on a loaded machine); this checks the work is done.
  it("evaluates 20 library policies over 10,000 resources", () => {
    const policies = conformancePolicies().filter((p) => p.rules.every((r) => !r.unsupported)).slice(0, 20);
    const resources = generateResources(10_000);
    measurePolicyThroughput(policies, resources.slice(0, 500));
    const result = measurePolicyThroughput(policies, resources);
    console.log(`policy throughput: ${result.policies} policies (${result.rules} rules) × ${result.resources} resources in ${result.durationMs.toFixed(0)} ms, ${result.results} results, ${result.failures} failures`);
    expect(result.policies).toBe(20);
    expect(result.failures).toBeGreaterThan(0);
    expect(result.resources).toBe(10_000);
  });
});
