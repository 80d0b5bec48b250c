/**
 * Findings in what kustomize builds point at the field's line in the file the object comes from
 * (kustomize's origin annotation names the file; the field is looked up in it), as they do for
 * plain manifests — so the check run annotates the line to change, not the document's first.
 * A field a patch adds is not in that file: the finding falls back to the enclosing field.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";

afterAll(() => removeTestScratchDir());

function overlay(files: Record<string, string>): string {
  const dir = mkdtempSync(join(testScratchDir(), "field-lines-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const BASE_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n";

describe("field lines through kustomize", () => {
  it("puts a schema finding on the line of the field in the base file, and a patched field on its enclosing field", async () => {
    const base = overlay({ "app/base/kustomization.yaml": "resources:\n  - cm.yaml\n", "app/base/cm.yaml": BASE_CM, "app/prod/kustomization.yaml": "resources:\n  - ../base\n" });
    const head = overlay({
      "app/base/kustomization.yaml": "resources:\n  - cm.yaml\n",
      "app/base/cm.yaml": `${BASE_CM}datta:\n  typo: here\n`,
      "app/prod/kustomization.yaml": "resources:\n  - ../base\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: settings\n      metadata2: {}\n",
    });
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json", "--fail-on", "never"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const found = report.findings
      .filter((f: { ruleId: string }) => f.ruleId === "schema/unknown-field")
      .map((f: { target: string; path: string; file: string; line: number }) => `${f.target} ${f.path} ${f.file}:${f.line}`)
      .sort();
    // app/base is a base of app/prod, reviewed through it.
    expect(found).toEqual([
      "app/prod datta app/base/cm.yaml:7",
      // Added by the overlay's patch: not in cm.yaml, so the object's own line.
      "app/prod metadata2 app/base/cm.yaml:1",
    ]);
  });
});
