/**
 * Environment globs over targets, shared by cost price overrides and risk raising. A target
 * matches when its id ("charts/web#prod") or its path ("apps/api/overlays/prod") does.
 */
import picomatch from "picomatch";

export interface TargetRef {
  id: string;
  path: string;
}

export type TargetMatcher = (target: TargetRef) => boolean;

export function targetMatcher(globs: readonly string[]): TargetMatcher {
  if (globs.length === 0) return () => false;
  const test = picomatch([...globs], { dot: true });
  return (t) => test(t.id) || test(t.path);
}
