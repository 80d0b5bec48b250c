/** The binaries the operator chose for this run: --helm/--kustomize/--kubectl over SHIPSHAPE_* variables. */
import { overrideFromFlag } from "../render/binaries.js";
import type { ToolOptions } from "../render/tool-options.js";
import type { BinaryFlags } from "./args.js";
import type { CliEnvironment } from "./environment.js";

export function binariesFor(flags: BinaryFlags, env: CliEnvironment): ToolOptions["binaries"] {
  const out: ToolOptions["binaries"] = { ...(env.binaries ?? {}) };
  for (const name of ["helm", "kustomize", "kubectl"] as const) {
    const value = flags[name];
    if (value) out[name] = overrideFromFlag(name, value, env.cwd);
  }
  return out;
}
