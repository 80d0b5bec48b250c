/**
 * One identity rendered more than once in a target: whoever applies the output gets one of
 * the copies (`kubectl apply` applies each in turn and the last wins; kustomize refuses a
 * second copy), so which one is reviewed is a guess. The finding names every copy; its id is the identity alone, so it
 * stays the same finding when the copies move between files.
 */
import { groupByIdentity } from "../diff/match.js";
import { makeFinding, type Finding } from "../model/finding.js";
import { describeRef, refOf, type Resource } from "../model/resource.js";

/** Places listed in a message at most; the rest are counted. */
const MAX_PLACES = 10;

export function duplicateFindings(resources: readonly Resource[] | undefined, target: string): Finding[] {
  if (!resources || resources.length < 2) return [];
  const findings: Finding[] = [];
  for (const copies of groupByIdentity(resources).values()) {
    if (copies.length < 2) continue;
    const first = copies[0]!;
    findings.push(
      makeFinding({
        source: "render",
        ruleId: "render/duplicate-resource",
        severity: "warning",
        message:
          `${describeRef(first)} is defined ${copies.length} times in this target: ${places(copies)}. ` +
          "Only one of them takes effect when the output is applied; keep one copy, or make each alternative a target of its own",
        target,
        resource: refOf(first),
        ...(first.source ? { file: first.source.file } : {}),
        ...(first.source?.line ? { line: first.source.line } : {}),
        key: "",
      }),
    );
  }
  return findings;
}

function places(copies: readonly Resource[]): string {
  const named = copies.slice(0, MAX_PLACES).map((r, i) => (r.source ? `${r.source.file}${r.source.line ? `:${r.source.line}` : ""}` : `rendered output (copy ${i + 1})`));
  const more = copies.length - named.length;
  return named.join(", ") + (more > 0 ? `, and ${more} more` : "");
}
