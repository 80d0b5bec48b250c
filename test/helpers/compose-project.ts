import { expect } from "vitest";
import { normalizeComposeProject, type ComposeProjectInput } from "../../src/render/compose/normalize.js";

/** Normalises an in-memory project under "app/"; file names are relative to it ("/x" is repo-rooted). */
export function run(files: Record<string, string>, opts: Partial<ComposeProjectInput> = {}) {
  const repo = Object.fromEntries(Object.entries(files).map(([k, v]) => [k.startsWith("/") ? k.slice(1) : `app/${k}`, v]));
  return normalizeComposeProject({ projectDir: "app", read: (p) => (Object.hasOwn(repo, p) ? repo[p] : undefined), ...opts });
}

/** One service of a project that must normalise without errors. */
export function service(files: Record<string, string>, name: string, opts: Partial<ComposeProjectInput> = {}) {
  const result = run(files, opts);
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  return result.project.services[name];
}
