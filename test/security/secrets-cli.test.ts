/**
 * Issue 11, found items 5 and 6, through the CLI: secret values from a pull request (a
 * secretGenerator literal without `=`, a Compose value with a broken `${`, an env file with an
 * unterminated quote, PGPASSWORD / CLIENTSECRET / Bearer / --db-password in a diff) and the
 * operator's own secrets appear in no output format, no --output file and not on stderr —
 * while the findings still say what is wrong and where, and the diff still says what changed.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { operatorSecretValues } from "../../src/core/secrets/operator.js";
import { runCli, type CliRun } from "../helpers/cli.js";
import { CANARY, leaked, leakyRepo, OPERATOR, type LeakyRepo } from "./secrets-repo.js";

let repo: LeakyRepo;
const runs = new Map<string, CliRun>();
let report: Report;

/** What the CLI reads from an operator's environment holding a token and a multi-line key. */
const operatorSecrets = operatorSecretValues({ GITHUB_TOKEN: OPERATOR.token, PRIVATE_KEY: OPERATOR.pem, PATH: "/usr/bin", HOME: "/root" });

beforeAll(async () => {
  // The operator's secrets in a file of the pull request: what a tool could echo back.
  repo = await leakyRepo({
    "leak/kustomization.yaml": "resources:\n  - cm.yaml\n",
    "leak/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n  token: ${OPERATOR.token}\n  key: |\n${OPERATOR.pem.split("\n").map((l) => `    ${l}`).join("\n")}\n`,
  });
  for (const format of ["text", "markdown", "json", "sarif"]) {
    runs.set(format, await runCli(["check", "--base", repo.base, "--head", repo.head, "--format", format, "--verbose", "--fail-on", "never"], { operatorSecrets }));
  }
  runs.set("file", await runCli(["check", "--base", repo.base, "--head", repo.head, "--format", "json", "--output", join(repo.root, "out.json")], { operatorSecrets }));
  report = JSON.parse(runs.get("json")!.stdout) as Report;
}, 120_000);

afterAll(() => repo.cleanup());

describe("secret values through the CLI", () => {
  it.each(["text", "markdown", "json", "sarif"])("are in no %s output and not on stderr", (format) => {
    const run = runs.get(format)!;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(200);
    expect(leaked(run.stdout)).toEqual([]);
    expect(leaked(run.stderr)).toEqual([]);
  });

  it("are not in an --output file", async () => {
    const text = await readFile(join(repo.root, "out.json"), "utf8");
    expect(text).toContain('"schemaVersion": 1');
    expect(leaked(text)).toEqual([]);
  });

  it("still report each broken input with its file and line", () => {
    const found = report.findings.map((f) => [f.ruleId, f.target, f.file, f.line]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["render/failed", "gen", "gen/kustomization.yaml", undefined],
        ["compose/interpolation-invalid", "compose-broken", "compose-broken/compose.yaml", 5],
        ["compose/dotenv-invalid", "compose-envfile", "compose-envfile/app.env", 2],
        ["render/failed", "charts/db", "charts/db/Chart.yaml", undefined],
      ]),
    );
    const message = (target: string) => report.findings.find((f) => f.target === target)?.message;
    expect(message("compose-envfile")).toContain("API_TOKEN");
    expect(message("gen")).toContain("invalid literal source");
    expect(message("charts/db")).toContain("refusing password [redacted]");
  });

  it("show each credential change as a marker in the diff", () => {
    const diff = report.changes.find((c) => c.kind === "Deployment")!.diff ?? "";
    expect(diff).toMatch(/-\s+value: "?<redacted: previous value, 24 bytes>/);
    expect(diff).toMatch(/\+\s+value: "?<redacted: changed, 24 bytes>/);
    expect(diff).toContain("--db-password=<redacted: changed, 27 bytes>");
    expect(diff).toContain("Bearer <redacted: changed, 24 bytes>");
    expect(diff).toContain("image: api:1.1");
  });
});

describe("the operator's secrets", () => {
  it("never appear, even when a file of the pull request holds them", () => {
    for (const run of runs.values()) {
      expect(run.stdout + run.stderr).not.toContain(OPERATOR.token);
      expect(run.stdout + run.stderr).not.toContain(OPERATOR.pem.split("\n")[1]);
    }
  });

  it("leave the rest of the report readable", () => {
    expect(report.changes.map((c) => [c.target, c.kind, c.name])).toEqual(
      expect.arrayContaining([
        ["leak", "ConfigMap", "leak"],
        ["apps/api", "Deployment", "api"],
      ]),
    );
    expect(CANARY.literal.length).toBeGreaterThan(8);
  });
});
