/**
 * The review's side of nondeterministic output (diff/nondeterminism.ts): when a target whose
 * renderer may write different output for the same input shows changes, its head is rendered a
 * second time; what differs between the two head renders is masked out of the diff, risk and
 * cost, does not make findings new, and is named in one info finding.
 */
import { diffTarget, type StripNoise } from "../diff/diff-target.js";
import { describeVariance, generatedNameTwins, coversPath, learnVariance, type Variance } from "../diff/nondeterminism.js";
import { makeFinding, type Finding } from "../model/finding.js";
import { identityKey, type Resource, type ResourceRef } from "../model/resource.js";
import { markIntroduced, problemToFinding } from "./findings.js";
import { resolvedFindings } from "./resolved.js";

export const RULE = "render/nondeterministic";

export interface HeadVariance {
  variance: Variance;
  /** The second head render's objects (their values are secrets as much as the first's). */
  second: Resource[];
}

/**
 * Renders the head again when the target shows changes and compares the two renders;
 * undefined when there is nothing to compare or the second render did not succeed.
 */
export async function headVariance(
  id: string,
  base: readonly Resource[] | undefined,
  head: readonly Resource[] | undefined,
  stripNoise: StripNoise,
  renderAgain: () => Promise<Resource[] | undefined>,
): Promise<HeadVariance | undefined> {
  if (!base || !head) return undefined;
  if (diffTarget(id, base, head, stripNoise).length === 0) return undefined;
  const second = await renderAgain();
  if (!second) return undefined;
  // Noise the diff drops anyway (checksum annotations…) is not worth naming.
  const strip = (rs: readonly Resource[]) => rs.map((r) => ({ ...r, body: stripNoise(r.body) }));
  return { variance: learnVariance(strip(head), strip(second)), second };
}

/** The one line that says what was left out, as an info finding on the target. */
export function varianceFinding(id: string, path: string, variance: Variance): Finding | undefined {
  if (variance.size === 0) return undefined;
  const { fields, text } = describeVariance(variance);
  const finding = problemToFinding(
    {
      ruleId: RULE,
      severity: "info",
      message: `${fields === 1 ? "1 field changes" : `${fields} fields change`} on every render of ${path} with the same input: ${text}; left out of the changes, risk, cost and new findings`,
    },
    id,
  );
  // Not something this change did: the head was rendered twice, the base once.
  return { ...finding, introduced: false };
}

/**
 * Which head findings are new, with head objects of a generated name compared under the name
 * of their base twin, and findings on a varying field of an object the base has not counted
 * as new. Findings on objects with generated names get ids that do not depend on the name.
 */
export function markIntroducedWithVariance(
  head: Finding[],
  baseFindings: Finding[],
  baseResources: readonly Resource[],
  headResources: readonly Resource[],
  variance: Variance | undefined,
): Finding[] {
  const marked = markIntroduced(head, baseFindings);
  if (!variance || variance.size === 0) return marked;
  const twins = generatedNameTwins(baseResources, headResources, variance);
  const baseKeys = new Set(baseResources.map(identityKey));
  // Ids quote the generated name (in the resource and often in the message): a finding on a
  // head object with a generated name is compared with its base twin's by rule, place and path.
  const baseLoose = new Set(baseFindings.map((f) => looseKey(f, f.resource?.name)));
  return marked.map((f) => {
    const key = f.resource ? identityKey(f.resource) : undefined;
    const v = key ? variance.get(key) : undefined;
    if (!v) return f;
    const twin = twins.get(key!);
    const inBase = baseKeys.has(key!) || twin !== undefined;
    const varying = inBase && f.path !== undefined && coversPath(v, f.path);
    const introduced = varying ? false : twin ? !baseLoose.has(looseKey(f, twin.name)) : f.introduced;
    const stable = v.generatedName ? { id: stableId(f, f.resource!, v.shownName) } : {};
    return { ...f, ...stable, introduced };
  });
}

/**
 * Base findings the change fixes (resolved.ts), with a base object of a generated name compared
 * with its head twin: a new random name does not fix the findings of the old one.
 */
export function resolvedWithVariance(
  head: Finding[],
  base: Finding[],
  baseResources: readonly Resource[],
  headResources: readonly Resource[],
  variance: Variance | undefined,
): Finding[] {
  const fixed = resolvedFindings(head, base);
  if (!variance || variance.size === 0) return fixed;
  const twins = generatedNameTwins(baseResources, headResources, variance);
  const baseTwins = new Set([...twins.values()].map(identityKey));
  const stillThere = new Set(
    head.flatMap((f) => {
      const twin = f.resource ? twins.get(identityKey(f.resource)) : undefined;
      return twin ? [looseKey(f, twin.name)] : [];
    }),
  );
  return fixed.filter((f) => !(f.resource && baseTwins.has(identityKey(f.resource)) && stillThere.has(looseKey(f, f.resource.name))));
}

function looseKey(f: Finding, name: string | undefined): string {
  return [f.ruleId, f.target, f.resource ? `${f.resource.apiVersion}|${f.resource.kind}|${f.resource.namespace}|${name}` : "", f.path ?? ""].join("\u0000");
}

/** The finding's id with the generated name replaced by its pattern (web-test-<random>), the same on every run. */
function stableId(f: Finding, ref: ResourceRef, shownName: string): string {
  const { id: _id, introduced: _introduced, waived: _waived, ...rest } = f;
  const message = f.message.split(ref.name).join(shownName);
  return makeFinding({ ...rest, resource: { ...ref, name: shownName }, message, key: `${f.path ?? ""}|${message}` }).id;
}
