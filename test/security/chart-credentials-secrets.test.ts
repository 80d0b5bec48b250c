/**
 * The operator's chart credentials never leave the process: `shipshape check` with
 * SHIPSHAPE_CHART_CREDENTIALS' values (canaries) pulls a private chart, and a pull request that
 * writes the password, the Basic header value and a token into the rendered objects, plus an
 * Application whose registry refuses the token, gets a report in every format, a log and
 * findings that hold none of them. A malformed value stops `check` at start, naming the
 * variable, without echoing it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";
import { parseChartCredentials, type ChartCredentialsSetting } from "../../src/render/chart-credentials.js";
import { startOciRegistry, type OciRegistry } from "../render/flux/oci-registry.js";
import { PODINFO_CHART, startPrivateRepo, type PrivateRepo } from "../render/flux/private-charts.js";

const USER = { username: "ci-reader", password: "canary-report-pw-6e0b2d94" };
const BASIC_VALUE = Buffer.from(`${USER.username}:${USER.password}`).toString("base64");
const TOKEN = "canary-report-token-a7f3c1e5";
const CANARIES = [USER.password, BASIC_VALUE, TOKEN];

let repo: PrivateRepo;
let registry: OciRegistry;
beforeAll(async () => {
  repo = await startPrivateRepo(USER);
  registry = await startOciRegistry(PODINFO_CHART, "podinfo", ["6.7.0"], { basic: { username: "robot", password: "other-pw-1234567" }, token: "registry-issued-token" });
});
afterAll(async () => {
  await repo.close();
  await registry.close();
  removeTestScratchDir();
});

const app = (name: string, repoURL: string, message: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n  source:\n    repoURL: ${repoURL}\n    chart: podinfo\n    targetRevision: 6.7.0\n    helm:\n      valuesObject:\n        ui:\n          message: "${message}"\n`;

function side(message: string): string {
  const dir = mkdtempSync(join(testScratchDir(), "side-"));
  const files = {
    ".github/shipshape.yml": `gitops:\n  allowedHosts: ["${repo.host}", "${registry.host}"]\n`,
    "apps/private.yaml": app("private", repo.url, message),
    "apps/refused.yaml": app("refused", `oci://${registry.host}/charts`, message),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const setting = (): ChartCredentialsSetting => parseChartCredentials(JSON.stringify({ [repo.host]: USER, [registry.host]: { token: TOKEN } }), "SHIPSHAPE_CHART_CREDENTIALS");

describe("chart credentials in outputs", () => {
  it("appear in no report format, no log line and no finding, while the chart is pulled and rendered with them", async () => {
    const base = side("hello");
    // The pull request writes all three canaries where the report shows them.
    const head = side(`${USER.password} ${BASIC_VALUE} ${TOKEN}`);
    for (const format of ["json", "markdown", "text", "sarif"]) {
      const run = await runCli(["check", "--base", base, "--head", head, "--format", format, "--verbose"], { chartCredentials: setting() });
      for (const canary of CANARIES) {
        expect(run.stdout, `${format} report`).not.toContain(canary);
        expect(run.stderr, `${format} log`).not.toContain(canary);
      }
      if (format !== "json") continue;
      const report = JSON.parse(run.stdout);
      // Pulled with the credentials and rendered: the change is there, its secret values hidden.
      const changed = report.changes.filter((c: { target: string }) => c.target === "argocd:argocd/private");
      expect(changed.map((c: { action: string; kind: string }) => `${c.action} ${c.kind}`)).toContain("modified Deployment");
      expect(JSON.stringify(changed)).toContain("[redacted]");
      const refused = report.findings.filter((f: { ruleId: string }) => f.ruleId === "gitops/source-unavailable");
      expect(refused.map((f: { message: string }) => f.message)).toEqual([expect.stringContaining(`the registry's token service: ${registry.host} refused the operator's credentials for it (HTTP 401)`)]);
    }
    // The token went to the registry (its own host) as the operator keyed it; the realm refused it.
    expect(registry.seen.some((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
  }, 240_000);

  it("a malformed SHIPSHAPE_CHART_CREDENTIALS stops check at start (exit 2), naming the variable and never the value", async () => {
    const bad = parseChartCredentials(`{"${repo.host}": {"username": "ci", "pasword": "${USER.password}"}}`, "SHIPSHAPE_CHART_CREDENTIALS");
    const run = await runCli(["check", "--base", side("a"), "--head", side("b")], { chartCredentials: bad });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`shipshape: SHIPSHAPE_CHART_CREDENTIALS: ${repo.host}: unknown field "pasword"; must be {"username": "…", "password": "…"} or {"token": "…"}\n`);
    expect(run.stdout).toBe("");
  });

  it("doctor names the hosts that have credentials and their kind, never a value", async () => {
    const run = await runCli(["doctor"], { chartCredentials: setting() });
    expect(run.stdout).toContain(`charts:   credentials for ${repo.host} (user and password), ${registry.host} (token)\n`);
    for (const canary of CANARIES) expect(run.stdout + run.stderr).not.toContain(canary);
  });
});
