/**
 * ajv reports every branch of a failed anyOf/oneOf, most of them beside the point: for
 * `port: true` against "integer or string" it lists two type errors and then the anyOf.
 * This keeps what a reviewer needs: when some branch matched the value's shape and failed
 * deeper (a missing field inside the object form), only that branch's errors; when no
 * branch matched, the combinator alone, with what each branch expected.
 */
import type { ErrorObject } from "ajv";

export interface SelectedErrors {
  errors: ErrorObject[];
  /** For a combinator kept on its own: what its branches expected ("integer", "\"Always\""...). */
  expectations: Map<ErrorObject, string[]>;
}

const SHAPE_KEYWORDS = new Set(["type", "const", "enum"]);

export function selectErrors(all: readonly ErrorObject[]): SelectedErrors {
  const dropped = new Set<ErrorObject>();
  const expectations = new Map<ErrorObject, string[]>();
  // Inner combinators are reported before outer ones, so they are settled first.
  for (const combinator of all) {
    if (combinator.keyword !== "anyOf" && combinator.keyword !== "oneOf") continue;
    if (dropped.has(combinator)) continue;
    const branches = branchErrors(all, combinator, dropped);
    if (branches.size === 0) continue;
    const plausible = [...branches.values()].filter(
      (errors) => !errors.some((e) => e.instancePath === combinator.instancePath && SHAPE_KEYWORDS.has(e.keyword)),
    );
    if (plausible.length > 0) {
      const best = plausible.reduce((a, b) => (b.length < a.length ? b : a));
      for (const errors of branches.values()) if (errors !== best) for (const e of errors) dropped.add(e);
      dropped.add(combinator);
      continue;
    }
    const expected: string[] = [];
    for (const errors of branches.values()) {
      for (const e of errors) {
        dropped.add(e);
        if (e.instancePath === combinator.instancePath) expected.push(...expectationOf(e));
      }
    }
    expectations.set(combinator, [...new Set(expected)]);
  }
  return { errors: all.filter((e) => !dropped.has(e)), expectations };
}

/** Errors under each branch of a combinator, keyed by branch index. */
function branchErrors(all: readonly ErrorObject[], combinator: ErrorObject, dropped: Set<ErrorObject>): Map<string, ErrorObject[]> {
  const prefix = `${combinator.schemaPath}/`;
  const branches = new Map<string, ErrorObject[]>();
  for (const e of all) {
    if (e === combinator || dropped.has(e) || !e.schemaPath.startsWith(prefix)) continue;
    const index = e.schemaPath.slice(prefix.length).split("/", 1)[0] ?? "";
    const list = branches.get(index);
    if (list) list.push(e);
    else branches.set(index, [e]);
  }
  return branches;
}

function expectationOf(e: ErrorObject): string[] {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "type") return typeNames(params.type);
  if (e.keyword === "enum") return (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
  if (e.keyword === "const") return [JSON.stringify(params.allowedValue)];
  return [];
}

/** ajv gives union types as an array or as "integer,string". */
export function typeNames(type: unknown): string[] {
  if (Array.isArray(type)) return type.map(String);
  return String(type).split(",");
}
