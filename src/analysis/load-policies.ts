/**
 * Which policies judge the change: the built-in pack shipped with Shipshape (minus those the
 * config switches off) and the team's own, read from the BASE side so a pull request cannot
 * weaken the checks it is judged by.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import picomatch from "picomatch";
import { ConfigError } from "../config/errors.js";
import type { ShipshapeConfig } from "../config/types.js";
import { makeFinding, type Finding } from "../core/model/finding.js";
import { TreeReadError, type PolicyEvaluator, type Tree } from "../core/ports.js";
import { packageRoot } from "../package-root.js";
import { createPolicyEvaluator, loadPolicies, type LoadedPolicy } from "../policy/index.js";

export interface PolicySet {
  evaluator?: PolicyEvaluator;
  /** Problems with the team's policy files, reported as findings. */
  findings: Finding[];
  names: string[];
}

const PACKS = ["kubernetes", "compose"];

export async function loadPolicySet(config: ShipshapeConfig, base: Tree): Promise<PolicySet> {
  const builtin = await loadBuiltin(config);
  const own = await loadOwn(config, base);
  const policies = [...builtin, ...own.policies];
  // With policies.admission on, the base side's rendered admission policies may judge the change.
  if (policies.length === 0 && !config.policies.admission) return { findings: own.findings, names: [] };
  const evaluator = createPolicyEvaluator({ policies, parameters: config.policies.parameters, severityOverrides: config.policies.severity, admission: config.policies.admission });
  return { evaluator, findings: own.findings, names: policies.map((p) => p.name) };
}

/** Built-in policy names by folder: policies/<pack>/<name>/<name>.yaml. */
export async function builtinPolicyFiles(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const pack of PACKS) {
    const dir = join(packageRoot(), "policies", pack);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (!name.startsWith(".")) out.set(name, join(dir, name, `${name}.yaml`));
    }
  }
  return out;
}

async function loadBuiltin(config: ShipshapeConfig): Promise<LoadedPolicy[]> {
  const disabled = config.policies.builtinDisabled;
  if (disabled === "all") return [];
  const files = await builtinPolicyFiles();
  const unknown = disabled.filter((name) => !files.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(config.source, `no built-in policy named ${unknown.map((n) => `"${n}"`).join(", ")}; the built-in policies are ${[...files.keys()].join(", ")}`, "policies.builtin");
  }
  const policies: LoadedPolicy[] = [];
  for (const [name, file] of files) {
    if (disabled.includes(name)) continue;
    const loaded = loadPolicies(await readFile(file, "utf8"), `(built-in) policies/${name}.yaml`);
    // A broken built-in policy is Shipshape's bug, not the user's: fail loudly.
    if (loaded.problems.length > 0) throw new Error(`built-in policy ${name} is invalid: ${loaded.problems[0]!.message}`);
    policies.push(...loaded.policies);
  }
  return policies;
}

async function loadOwn(config: ShipshapeConfig, base: Tree): Promise<{ policies: LoadedPolicy[]; findings: Finding[] }> {
  if (config.policies.paths.length === 0) return { policies: [], findings: [] };
  const isPolicyFile = picomatch(config.policies.paths, { dot: true });
  const files = base.files().filter((f) => isPolicyFile(f));
  const findings: Finding[] = [];
  const policies: LoadedPolicy[] = [];
  if (files.length === 0) {
    findings.push(
      makeFinding({
        source: "config",
        ruleId: "config/policies-not-found",
        severity: "warning",
        message: `policies.paths (${config.policies.paths.join(", ")}) matches no file on the base side; no team policies were applied`,
        target: ".",
        file: config.source,
      }),
    );
  }
  for (const file of files) {
    // A policy file that cannot be read (too large, not UTF-8) is reported like one that does not parse.
    const text = await base.read(file).catch((err: unknown) => {
      if (!(err instanceof TreeReadError)) throw err;
      findings.push(makeFinding({ source: "config", ruleId: "config/policy-invalid", severity: "error", message: err.message, target: ".", file, ...(err.line ? { line: err.line } : {}) }));
      return undefined;
    });
    if (text === undefined) continue;
    const loaded = loadPolicies(text, file);
    policies.push(...loaded.policies);
    for (const p of loaded.problems) {
      findings.push(
        makeFinding({
          source: "config",
          ruleId: "config/policy-invalid",
          severity: "error",
          message: `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`,
          target: ".",
          file: p.file,
          ...(p.line ? { line: p.line } : {}),
        }),
      );
    }
  }
  return { policies, findings };
}
