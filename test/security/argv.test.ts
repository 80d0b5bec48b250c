/**
 * Found items 1 and 2 of the security issue: folder names and chart names read as flags.
 * The argv builders are fed hostile names (every one must come out as data, never as an
 * option), then the attacks run end to end through the CLI with the real helm and kubectl.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { deriveReleaseName, helmTemplateArgv, isValidReleaseName, kustomizeBuildArgv, pathArg, versionArgv } from "../../src/render/argv.js";
import { createHelmRenderer } from "../../src/render/helm/renderer.js";
import { runCli } from "../helpers/cli.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testToolOptions } from "../helpers/tool-options.js";

const HOSTILE = [
  "-",
  "--x",
  "--a=b",
  "-f",
  "--values=http://127.0.0.1:9/x",
  "--enable-dns",
  "--load-restrictor=LoadRestrictionsNone",
  "a b",
  "a\nb",
  "a\r\nb",
  "$(touch /tmp/shipshape-pwned)",
  "`id`",
  "../x",
  "x/../../y",
  "/etc/passwd",
  "",
  ".",
  "a//b",
  "a,http://127.0.0.1:9/x",
  'a"b',
  "a\0b",
  "Ünïcödé",
  "x".repeat(300),
];

/** The options helm template may be given; anything else before `--` would be an injection. */
const HELM_OPTIONS = [/^template$/, /^--namespace=[a-z0-9-]+$/, /^--include-crds$/, /^--values=("?)\.\//, /^--kube-version=1\.\d+(\.\d+)?$/, /^--skip-schema-validation$/];

function helmRequest(overrides: Partial<Parameters<typeof helmTemplateArgv>[0]> = {}): Parameters<typeof helmTemplateArgv>[0] {
  return {
    target: "charts/web",
    chartDir: "charts/web",
    release: { name: "web", from: "chart", file: "charts/web/Chart.yaml", line: 2 },
    namespace: "default",
    valueFiles: [],
    skipSchemaValidation: false,
    ...overrides,
  };
}

/** Every option is ours; after `--` come exactly the release name (valid) and a `./` path. */
function expectSafeHelmArgv(args: string[]): void {
  const dashes = args.indexOf("--");
  expect(dashes).toBeGreaterThan(0);
  for (const option of args.slice(0, dashes)) expect(HELM_OPTIONS.some((re) => re.test(option)), option).toBe(true);
  const positional = args.slice(dashes + 1);
  expect(positional).toHaveLength(2);
  expect(isValidReleaseName(positional[0]!)).toBe(true);
  expect(positional[1]!.startsWith("./")).toBe(true);
}

describe("argv builders, fed hostile names", () => {
  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 40), h]))("helm chart name %s becomes a valid release name or nothing", (_label, name) => {
    const built = helmTemplateArgv(helmRequest({ release: { name, from: "chart", file: "charts/web/Chart.yaml", line: 2 } }));
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expectSafeHelmArgv(built.args);
    if (!isValidReleaseName(name)) {
      expect(built.warnings).toEqual([expect.objectContaining({ ruleId: "render/release-name-invalid", severity: "warning", file: "charts/web/Chart.yaml", line: 2 })]);
    }
  });

  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 40), h]))("helm chart folder %s is ./relative after -- or refused", (_label, dir) => {
    const built = helmTemplateArgv(helmRequest({ chartDir: dir }));
    if (built.ok) {
      expectSafeHelmArgv(built.args);
      expect(built.args.at(-1)).toBe(dir === "." ? "./" : `./${dir}`);
    } else {
      expect(built.problems.map((p) => p.ruleId)).toEqual(["render/unsafe-path"]);
    }
  });

  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 40), h]))("helm values file %s is one ./ path or refused", (_label, file) => {
    const built = helmTemplateArgv(helmRequest({ valueFiles: [file] }));
    if (!built.ok) {
      expect(built.problems.map((p) => p.ruleId)).toEqual(["render/unsafe-path"]);
      return;
    }
    expectSafeHelmArgv(built.args);
    const values = built.args.filter((a) => a.startsWith("--values="));
    expect(values).toHaveLength(1);
    // helm reads --values as one CSV record: it must come back as exactly this one path.
    expect(readCsvRecord(values[0]!.slice("--values=".length))).toEqual([pathArg(file)]);
  });

  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 40), h]))("namespace %s is a valid namespace or refused", (_label, namespace) => {
    const built = helmTemplateArgv(helmRequest({ namespace }));
    if (built.ok) expectSafeHelmArgv(built.args);
    else expect(built.problems.map((p) => p.ruleId)).toEqual(["render/namespace-invalid"]);
  });

  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 40), h]))("kube version %s is a version or refused", (_label, kubeVersion) => {
    const built = helmTemplateArgv(helmRequest({ kubeVersion }));
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.problems.map((p) => p.ruleId)).toEqual(["render/kube-version-invalid"]);
  });

  it.each(HOSTILE.flatMap((h) => (["kustomize", "kubectl"] as const).map((f) => [f, JSON.stringify(h).slice(0, 40), h] as const)))(
    "%s kustomization folder %s is ./relative after -- or refused",
    (flavour, _label, dir) => {
      const built = kustomizeBuildArgv(flavour, dir, dir);
      if (!built.ok) {
        expect(built.problems.map((p) => p.ruleId)).toEqual(["render/unsafe-path"]);
        return;
      }
      expect(built.args).toEqual([flavour === "kustomize" ? "build" : "kustomize", "--", dir === "." ? "./" : `./${dir}`]);
    },
  );

  it("refuses exactly the paths that are not plain paths inside the repository", () => {
    const refused = HOSTILE.filter((h) => pathArg(h) === undefined);
    expect(refused).toEqual(["--values=http://127.0.0.1:9/x", "../x", "x/../../y", "/etc/passwd", "", "a//b", "a,http://127.0.0.1:9/x", "a\0b"]);
  });

  it("derives release names helm accepts", () => {
    expect(deriveReleaseName("--enable-dns")).toBe("enable-dns");
    expect(deriveReleaseName("--values=http://127.0.0.1:8080/x")).toBe("values-http-127.0.0.1-8080-x");
    expect(deriveReleaseName("My_Chart")).toBe("my-chart");
    expect(deriveReleaseName("-")).toBe("release");
    expect(deriveReleaseName("x".repeat(300))).toHaveLength(53);
    for (const name of HOSTILE) expect(isValidReleaseName(deriveReleaseName(name)), name).toBe(true);
  });

  it("has fixed version probes", () => {
    expect(versionArgv("helm")).toEqual(["version", "--short"]);
    expect(versionArgv("kustomize")).toEqual(["version"]);
    expect(versionArgv("kubectl")).toEqual(["version", "--client"]);
  });
});

/** Go's encoding/csv reading one record, as pflag does for helm's --values. */
function readCsvRecord(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let value = "";
      i += 1;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else {
          value += text[i];
          i += 1;
        }
      }
      fields.push(value);
      i += 1;
    } else {
      const end = text.indexOf(",", i);
      fields.push(text.slice(i, end === -1 ? text.length : end));
      i = end === -1 ? text.length + 1 : end + 1;
    }
  }
  return fields;
}

let work: string;
const CANARY = "CANARY-7f3a9c-outside-the-repo";
const IN_REPO_CANARY = "CANARY-b41e02-beside-the-kustomization";
const crb =
  "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: everyone-admin}\n" +
  "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n" +
  'subjects:\n- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}\n';
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {k: v}\n`;

function writeFiles(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** base/ and head/ folders under a case folder; tmp/ is the CLI's tmpDir, so its scratch lives below the case. */
function casePair(name: string, base: Record<string, string>, head: Record<string, string>) {
  const dir = join(work, name);
  mkdirSync(join(dir, "tmp"), { recursive: true });
  return { dir, base: writeFiles(join(dir, "base"), base), head: writeFiles(join(dir, "head"), head), tmpDir: join(dir, "tmp") };
}

async function allFormats(pair: { base: string; head: string; tmpDir: string }) {
  const runs = [];
  for (const format of ["json", "text", "markdown", "sarif"]) {
    runs.push({ format, ...(await runCli(["check", "--base", pair.base, "--head", pair.head, "--format", format], { tmpDir: pair.tmpDir })) });
  }
  return runs;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "shipshape-argv-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  removeTestScratchDir();
});

describe("kustomize folders named like flags, end to end", () => {
  it("--load-restrictor=LoadRestrictionsNone: no file outside the repository reaches any output", async () => {
    const root = "configMapGenerator:\n- name: leak\n  files: [../../canary.txt, passwd=/etc/passwd]\n";
    const pair = casePair("load-restrictor", { "README.md": "x\n" }, {
      "kustomization.yaml": root,
      "--load-restrictor=LoadRestrictionsNone/kustomization.yaml": "resources: [..]\n",
    });
    // Where ../../canary.txt leads from the CLI's scratch copy of the head (tmp/shipshape-*/head).
    writeFileSync(join(pair.tmpDir, "canary.txt"), `${CANARY}\n`);
    const passwd = readFileSync("/etc/passwd", "utf8").split("\n")[0]!;
    for (const run of await allFormats(pair)) {
      expect(run.stdout + run.stderr, run.format).not.toContain(CANARY);
      expect(run.stdout + run.stderr, run.format).not.toContain(passwd);
    }
  });

  it("--load-restrictor=LoadRestrictionsNone stays a folder: kustomize keeps its load restrictor", async () => {
    // Inside the repository but outside app/: only a build with the restrictor switched off
    // reads it, and the input checks allow it. Read as a flag, the folder name made kubectl
    // build the root that way; as a folder, `resources: [..]` is a cycle kustomize refuses.
    const pair = casePair("restrictor-in-repo", { "README.md": "x\n" }, {
      "secret.txt": `${IN_REPO_CANARY}\n`,
      "kustomization.yaml": "resources: [app]\n",
      "app/kustomization.yaml": "configMapGenerator:\n- name: leak\n  files: [../secret.txt]\n",
      "--load-restrictor=LoadRestrictionsNone/kustomization.yaml": "resources: [..]\n",
    });
    const runs = await allFormats(pair);
    for (const run of runs) expect(run.stdout + run.stderr, run.format).not.toContain(IN_REPO_CANARY);
    const report = JSON.parse(runs[0]!.stdout) as Report;
    const target = report.targets.find((t) => t.id === "--load-restrictor=LoadRestrictionsNone")!;
    expect(target.status).toBe("failed");
    expect(target.error).toMatch(/cycle detected/);
  });

  it("--enable-helm=false: a ClusterRoleBinding to system:authenticated is seen and raises the risk", async () => {
    const folder = "--enable-helm=false";
    const pair = casePair(
      "enable-helm",
      { "kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": cm("root"), [`${folder}/kustomization.yaml`]: "resources: [a.yaml]\n", [`${folder}/a.yaml`]: cm("a") },
      {
        "kustomization.yaml": "resources: [cm.yaml]\n",
        "cm.yaml": cm("root"),
        [`${folder}/kustomization.yaml`]: "resources: [a.yaml, crb.yaml]\n",
        [`${folder}/a.yaml`]: cm("a"),
        [`${folder}/crb.yaml`]: crb,
      },
    );
    const run = await runCli(["check", "--base", pair.base, "--head", pair.head, "--format", "json", "--fail-on", "high"], { tmpDir: pair.tmpDir });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.targets.find((t) => t.id === folder)).toMatchObject({ status: "rendered", resources: { base: 1, head: 2 } });
    expect(report.changes).toEqual([expect.objectContaining({ target: folder, action: "added", kind: "ClusterRoleBinding", name: "everyone-admin" })]);
    expect(report.risk?.level).toBe("critical");
    expect(report.risk?.reasons).toContainEqual(expect.objectContaining({ ruleId: "rbac-escalation", kind: "ClusterRoleBinding", name: "everyone-admin" }));
    expect(run.code).toBe(1);
  });
});

describe("chart names read as flags, end to end", () => {
  let server: Server;
  let requests = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(418).end("TEAPOT-CANARY: x: y\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const chart = (name: string, template: string) => ({
    "c/Chart.yaml": `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`,
    "c/templates/cm.yaml": template,
  });
  const dnsTemplate = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dns}\ndata:\n  ip: "{{ getHostByName "localhost" }}"\n  release: "{{ .Release.Name }}"\n';

  it("--enable-dns: getHostByName stays empty, the release gets a safe name and a warning on Chart.yaml", async () => {
    const dir = writeFiles(join(work, "enable-dns"), chart("--enable-dns", dnsTemplate));
    const outcome = await createHelmRenderer(testToolOptions()).render({ id: "c", type: "helm", path: "c" }, dirTree(dir), { timeoutMs: 30_000, maxOutputBytes: 1 << 20 });
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.map((r) => r.body.data)).toEqual([{ ip: "", release: "enable-dns" }]);
    expect(outcome.warnings).toEqual([
      expect.objectContaining({ ruleId: "render/release-name-invalid", severity: "warning", file: "c/Chart.yaml", line: 2 }),
    ]);
  });

  it("a chart folder named like a flag is a folder to helm", async () => {
    const dir = writeFiles(join(work, "helm-folder"), {
      "--set=x=y/Chart.yaml": "apiVersion: v2\nname: folder\nversion: 0.1.0\n",
      "--set=x=y/templates/cm.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: f}\ndata: {x: "{{ .Values.x }}"}\n',
    });
    const target = { id: "--set=x=y", type: "helm" as const, path: "--set=x=y" };
    const outcome = await createHelmRenderer(testToolOptions()).render(target, dirTree(dir), { timeoutMs: 30_000, maxOutputBytes: 1 << 20 });
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.map((r) => r.body.data)).toEqual([{ x: "" }]);
  });

  it("--values=http://127.0.0.1:PORT/x: helm makes no request, and nothing of a response leaks", async () => {
    requests = 0;
    const name = `--values=http://127.0.0.1:${port}/x`;
    const pair = casePair("ssrf", { "README.md": "x\n" }, chart(name, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"));
    for (const run of await allFormats(pair)) {
      // Not a bare "418": a duration or a digest in the report may hold those digits.
      expect(run.stdout + run.stderr, run.format).not.toMatch(/TEAPOT|teapot|\b418 I'm/i);
    }
    expect(requests).toBe(0);
  });

  it("--values=/etc/hostname: no host file is read as values", async () => {
    const hostname = readFileSync("/etc/hostname", "utf8").trim();
    const pair = casePair("host-values", { "README.md": "x\n" }, chart("--values=/etc/hostname", 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: "{{ toJson .Values }}"}\n'));
    const runs = await allFormats(pair);
    const report = JSON.parse(runs[0]!.stdout) as Report;
    // helm refuses the chart itself ("/" in its name) before reading any values.
    const failures = report.findings.filter((f) => f.ruleId === "render/failed");
    expect(failures.map((f) => f.message)).toEqual(['Error: validation: chart.metadata.name "--values=/etc/hostname" is invalid']);
    if (hostname.length >= 8) for (const run of runs) expect(run.stdout + run.stderr, run.format).not.toContain(hostname);
  });
});
