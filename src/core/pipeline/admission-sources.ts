/**
 * The cluster's admission policies often live in a target the change does not touch (a
 * platform kustomization, a policies chart). With `policies.admission` on, the unaffected
 * targets whose input files mention a ValidatingAdmissionPolicyBinding are rendered on the BASE
 * side too, only so the policies, bindings, params and Namespaces they render can judge the
 * change; they are not reviewed themselves. Nothing is read when no target is affected.
 */
import type { Resource } from "../model/resource.js";
import type { Tree } from "../ports.js";
import type { SideTargets } from "./discover.js";

const MARKER = "ValidatingAdmissionPolicyBinding";
const MANIFEST = /\.(ya?ml|json|tpl)$/i;

/** Unaffected targets whose base-side input files mention a binding. */
export async function admissionSourceTargets(unaffected: readonly string[], baseSide: SideTargets, base: Tree): Promise<string[]> {
  const out: string[] = [];
  for (const id of unaffected) {
    const inputs = baseSide.inputs.get(id);
    if (!inputs || inputs.blocking.length > 0) continue;
    for (const file of inputs.files) {
      if (!MANIFEST.test(file) || !base.hasFile(file)) continue;
      // A file the tree refuses to read (too large, not UTF-8) cannot hold a policy we could use.
      const text = await base.read(file).catch(() => "");
      if (text.includes(MARKER)) {
        out.push(id);
        break;
      }
    }
  }
  return out;
}

/** Renders those targets on the base side; what fails to render adds nothing. */
export async function renderAdmissionSources(ids: readonly string[], render: (id: string) => Promise<readonly Resource[] | undefined>): Promise<Resource[]> {
  const rendered = await Promise.all(ids.map(render));
  return rendered.flatMap((r) => r ?? []);
}
