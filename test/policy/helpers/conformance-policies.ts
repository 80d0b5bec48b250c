/** The library policies of the conformance suite (non-CEL folders), loaded for tests. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadPolicies } from "../../../src/policy/load.js";
import type { LoadedPolicy } from "../../../src/policy/model.js";

export const SUITE = resolve(import.meta.dirname, "../../../../shared/conformance/kyverno");

export function conformancePolicies(folders = ["best-practices", "pod-security"], suite = SUITE): LoadedPolicy[] {
  const out: LoadedPolicy[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (name.startsWith(".")) continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".yaml") && name !== "kustomization.yaml") out.push(...loadPolicies(readFileSync(full, "utf8"), full).policies);
    }
  };
  for (const f of folders) walk(join(suite, f));
  return out;
}
