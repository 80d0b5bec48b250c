/**
 * Nothing read from a repository chooses which program runs: `render.binaries` is refused
 * by the config loader (a pull request could change the config a later run reads, or add a
 * folder standing in for the base — see sources.test.ts), and binaries come only from the
 * operator: CLI flags and environment variables read once by the entry points.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readActionEnvironment } from "../../action/src/environment.js";
import { readAppEnvironment } from "../../src/app/environment.js";
import { readEnvironment } from "../../src/cli/environment.js";
import { ConfigError } from "../../src/config/errors.js";
import { parseConfigObject } from "../../src/config/load.js";
import schema from "../../schema/shipshape-config.schema.json" with { type: "json" };
import { runCli } from "../helpers/cli.js";
import { configErrorOf } from "../helpers/config.js";

let work: string;
let fakeHelm: string;
let marker: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "shipshape-exec-"));
  marker = join(work, "repo-binary-ran");
  fakeHelm = join(work, "operator-helm");
  writeFileSync(fakeHelm, "#!/bin/sh\necho v3.42.0+goperator\n");
  chmodSync(fakeHelm, 0o755);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("binaries in the config", () => {
  it("are refused, naming the key, the line and where to set binaries instead", () => {
    const err = configErrorOf("discovery: true\nrender:\n  timeoutSeconds: 5\n  binaries:\n    helm: ./tools/helm\n");
    expect(err.keyPath).toBe("render.binaries");
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/^\.github\/shipshape\.yml:4: render\.binaries: is no longer read from the config/);
    expect(err.message).toContain("--helm, --kustomize and --kubectl");
    expect(err.message).toContain("SHIPSHAPE_HELM, SHIPSHAPE_KUSTOMIZE and SHIPSHAPE_KUBECTL");
  });

  it("are refused in the App's merged config too (no lines there)", () => {
    const read = () => parseConfigObject({ render: { binaries: {} } }, ".github/shipshape.yml", { cpus: 2 });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/^\.github\/shipshape\.yml: render\.binaries: is no longer read from the config/);
  });

  it("have no place in the published schema", () => {
    expect(Object.keys(schema.properties.render.properties)).toEqual(["timeoutSeconds", "maxOutputBytes", "maxTotalOutputBytes", "concurrency", "maxMemoryMiB", "budgetSeconds"]);
  });

  it("stop the CLI with exit 2 before anything runs", async () => {
    const base = join(work, "cfg", "base");
    const repoHelm = join(base, "helm.sh");
    mkdirSync(join(base, ".github"), { recursive: true });
    mkdirSync(join(base, "chart", "templates"), { recursive: true });
    writeFileSync(repoHelm, `#!/bin/sh\n: > '${marker}'\necho v3.0.0\n`);
    chmodSync(repoHelm, 0o755);
    writeFileSync(join(base, ".github", "shipshape.yml"), `render:\n  binaries: {helm: ${repoHelm}}\n`);
    writeFileSync(join(base, "chart", "Chart.yaml"), "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
    writeFileSync(join(base, "chart", "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    const run = await runCli(["check", "--base", `dir:${base}`, "--head", `dir:${base}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(".github/shipshape.yml:2: render.binaries: is no longer read from the config");
    expect(existsSync(marker)).toBe(false);
  });
});

describe("binaries the operator chooses", () => {
  it("--helm is what doctor reports and check runs", async () => {
    const doctor = await runCli(["doctor", "--helm", fakeHelm]);
    expect(doctor.stdout).toContain(`binaries: helm = ${fakeHelm} (from --helm)`);
    expect(doctor.stdout).toMatch(new RegExp(`helm +helm v3\\.42\\.0\\+goperator  \\(${fakeHelm}\\)`));
  });

  it("a flag wins over the environment variable", async () => {
    const doctor = await runCli(["doctor", "--helm", fakeHelm], { binaries: { helm: { path: "/nonexistent/helm", source: "SHIPSHAPE_HELM" } } });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain("v3.42.0+goperator");
  });

  it("a missing one is a tool error naming where it was set", async () => {
    const doctor = await runCli(["doctor"], { binaries: { helm: { path: "/nonexistent/helm", source: "SHIPSHAPE_HELM" } } });
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toContain("helm       unavailable: SHIPSHAPE_HELM is /nonexistent/helm, but there is no executable file there");
  });

  it("without overrides, doctor says where binaries can be set", async () => {
    const doctor = await runCli(["doctor"]);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain("binaries: none set (--helm, --kustomize, --kubectl or SHIPSHAPE_HELM, SHIPSHAPE_KUSTOMIZE, SHIPSHAPE_KUBECTL)");
  });

  it("each entry point reads SHIPSHAPE_HELM, SHIPSHAPE_KUSTOMIZE and SHIPSHAPE_KUBECTL once", () => {
    const env = { SHIPSHAPE_HELM: "/opt/helm", SHIPSHAPE_KUSTOMIZE: "bin/kustomize", SHIPSHAPE_KUBECTL: "", PATH: "/usr/bin" };
    expect(readAppEnvironment(env).binaries).toEqual({
      helm: { path: "/opt/helm", source: "SHIPSHAPE_HELM" },
      kustomize: { path: join(process.cwd(), "bin/kustomize"), source: "SHIPSHAPE_KUSTOMIZE" },
    });
    // The Action resolves relative paths from the workspace, where the workflow's steps run.
    expect(readActionEnvironment({ ...env, GITHUB_WORKSPACE: "/ws" }).binaries).toEqual({
      helm: { path: "/opt/helm", source: "SHIPSHAPE_HELM" },
      kustomize: { path: "/ws/bin/kustomize", source: "SHIPSHAPE_KUSTOMIZE" },
    });
    const saved = process.env.SHIPSHAPE_KUBECTL;
    process.env.SHIPSHAPE_KUBECTL = "/opt/kubectl";
    try {
      expect(readEnvironment().binaries).toMatchObject({ kubectl: { path: "/opt/kubectl", source: "SHIPSHAPE_KUBECTL" } });
    } finally {
      if (saved === undefined) delete process.env.SHIPSHAPE_KUBECTL;
      else process.env.SHIPSHAPE_KUBECTL = saved;
    }
  });
});
