/**
 * A Flux repository without Flux's CRDs (fluxcd/flux2-kustomize-helm-example, reduced) through the
 * CLI: its Flux objects are validated against the controllers' CRDs built into Shipshape, so the
 * pull request's HelmRelease mistakes and a Kustomization field under the wrong parent are
 * errors, at their file and line where the target keeps positions; `schema.builtinCrds: false`
 * brings back `schema/no-schema`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures/gitops/flux-crds");

interface Finding {
  ruleId: string;
  severity: string;
  target: string;
  file?: string;
  line?: number;
  path?: string;
  introduced: boolean;
  resource?: { kind: string };
  message: string;
}

const check = async (...extra: string[]) => {
  const run = await runCli(["check", "--base", join(FIXTURE, "base"), "--head", join(FIXTURE, "head"), "--format", "json", "--fail-on", "error", ...extra]);
  return { code: run.code, findings: (JSON.parse(run.stdout) as { findings: Finding[] }).findings };
};
const brief = (findings: Finding[]) =>
  findings
    .filter((f) => f.ruleId.startsWith("schema/"))
    .map((f) => `${f.ruleId} ${f.resource?.kind} ${f.path}${f.file ? ` ${f.file}:${f.line}` : ""}${f.introduced ? " (new)" : ""}`)
    .sort();

describe("Flux objects validated against the built-in controller CRDs, end to end", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipshape-flux-crds-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds the pull request's mistakes and nothing in the valid objects", async () => {
    const { code, findings } = await check();
    expect(brief(findings)).toEqual([
      // In a Flux Kustomization's render, at the field's line of the file the object comes from.
      "schema/type HelmRelease spec.interval apps/base/podinfo/release.yaml:7 (new)",
      "schema/unknown-field HelmRelease spec.valueFrom apps/base/podinfo/release.yaml:21 (new)",
      "schema/unknown-field Kustomization spec.sourceRef.targetNamespace clusters/production/infrastructure.yaml:14 (new)",
    ]);
    expect(findings.find((f) => f.path === "spec.valueFrom")?.message).toContain('did you mean "valuesFrom"?');
    expect(code).toBe(1);
  });

  it("schema.builtinCrds: false leaves them unvalidated (schema/no-schema)", async () => {
    const config = join(dir, "shipshape.yml");
    await writeFile(config, "schema:\n  builtinCrds: false\n");
    const { code, findings } = await check("--config", config);
    const schema = findings.filter((f) => f.ruleId.startsWith("schema/"));
    expect(schema.length).toBeGreaterThan(0);
    expect(new Set(schema.map((f) => f.ruleId))).toEqual(new Set(["schema/no-schema"]));
    expect(code).toBe(0);
  });
});
