/**
 * The Ansible-templates exception (src/render/manifests/ansible-templates.ts) hides nothing: a
 * pull request that puts a ClusterRoleBinding beside Jinja in a role's templates folder gets
 * that folder "not reviewed" in the report (a warning and the file in coverage), and the same
 * file anywhere else is the error it always was.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

const CRB_WITH_JINJA =
  "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: everyone-admin}\n" +
  "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n" +
  "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: \"system:authenticated\"}]\n" +
  "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: pool}\ndata:\n  {% for cidr in pools %}\n  x: {{ cidr }}\n  {% endfor %}\n";

const work = mkdtempSync(join(tmpdir(), "shipshape-foreign-templates-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const root = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("Jinja beside a Kubernetes object", () => {
  it("in a role's templates folder: the folder is reported not reviewed, never passed over in silence", async () => {
    const base = tree("role-base", { "README.md": "x\n" });
    const head = tree("role-head", { "README.md": "x\n", "ansible/roles/k8s/templates/rbac.yaml": CRB_WITH_JINJA });
    const report = JSON.parse((await runCli(["check", "--base", `dir:${base}`, "--head", `dir:${head}`, "--format", "json", "--fail-on", "never"])).stdout) as Report;
    expect(report.targets.find((t) => t.id === "ansible/roles/k8s/templates")?.status).toBe("skipped");
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toContainEqual(["render/foreign-template", "warning"]);
    expect(report.coverage?.notReviewed.map((n) => n.file)).toEqual(["ansible/roles/k8s/templates/rbac.yaml"]);
  }, 60_000);

  it("anywhere else: an error, as before", async () => {
    const base = tree("deploy-base", { "README.md": "x\n" });
    const head = tree("deploy-head", { "README.md": "x\n", "deploy/rbac.yaml": CRB_WITH_JINJA });
    const run = await runCli(["check", "--base", `dir:${base}`, "--head", `dir:${head}`, "--format", "json"]);
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(1);
    expect(report.targets.find((t) => t.id === "deploy")?.status).toBe("failed");
    expect(report.findings.some((f) => f.severity === "error" && f.introduced)).toBe(true);
  }, 60_000);
});
