/**
 * Helm hooks: objects a chart marks with the `helm.sh/hook` annotation are not part of the
 * release's manifest; helm creates them at a moment of the release's life (`pre-install`,
 * `post-upgrade`, …), and test hooks (`test`, `test-success`, `test-failure`; the last is
 * helm 2's) only when someone runs `helm test`.
 */
const HOOK_ANNOTATION = "helm.sh/hook";
const TEST_PHASES: ReadonlySet<string> = new Set(["test", "test-success", "test-failure"]);

/** The hook phases an object is created at, as written ("pre-install,pre-upgrade"); undefined for ordinary objects. */
export function hookOf(body: Record<string, unknown>): string | undefined {
  const metadata = body.metadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const annotations = (metadata as Record<string, unknown>).annotations;
  if (typeof annotations !== "object" || annotations === null) return undefined;
  const value = (annotations as Record<string, unknown>)[HOOK_ANNOTATION];
  if (typeof value !== "string") return undefined;
  const phases = hookPhases(value);
  return phases.length === 0 ? undefined : phases.join(",");
}

function hookPhases(value: string): string[] {
  return value
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** True when every phase of the object's hook is a test phase: helm creates it only for `helm test`. */
export function isTestHook(body: Record<string, unknown>): boolean {
  const hook = hookOf(body);
  return hook !== undefined && hookPhases(hook).every((p) => TEST_PHASES.has(p));
}
