/** Compiles and runs one CEL expression under the default limits; errors come back as "ERROR <message>". */
import { compileCel } from "../../../src/policy/cel/environment.js";
import { fromCel, toCelInput } from "../../../src/policy/cel/values.js";

export function run(expression: string, bindings: Record<string, unknown> = {}): unknown {
  const input = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, toCelInput(v)]));
  const out = compileCel(expression).run(input as never);
  return out.ok ? fromCel(out.value) : `ERROR ${out.error}`;
}
