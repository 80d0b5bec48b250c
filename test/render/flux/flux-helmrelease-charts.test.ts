/**
 * How a HelmRelease's chart is chosen and shaped: semver ranges resolved against the index
 * (highest match), `valuesFiles` replacing the chart's defaults before `valuesFrom`/`values`,
 * `chartRef` to a HelmChart or an OCIRepository, and the install/upgrade CRD policies. Charts come
 * from a repository on 127.0.0.1 or from the repository itself; no test needs the internet.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderOutcome } from "../../../src/core/ports.js";
import { createFluxRenderer } from "../../../src/render/flux/renderer.js";
import { highestMatch } from "../../../src/render/flux/semver.js";
import { openDirectory } from "../../../src/repo/dir-source.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../../helpers/tool-options.js";
import { startChartRepo, type ChartRepo } from "./chart-repo.js";

const FIXTURE = resolve(import.meta.dirname, "../../../fixtures/gitops/flux");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const TARGET = { id: "flux:podinfo/podinfo", type: "flux" as const, path: "apps/base/podinfo" };

let repo: ChartRepo;
beforeAll(async () => {
  repo = await startChartRepo(join(FIXTURE, "chart-src/podinfo"), ["6.6.0", "6.7.0", "6.7.1-rc.1", "7.0.0"]);
});
afterAll(async () => {
  await repo.close();
  removeTestScratchDir();
});

/** The fixture's base with the HelmRepository on the loopback server and files replaced or added. */
async function snapshot(files: Record<string, string>) {
  const dir = mkdtempSync(join(testScratchDir(), "repo-"));
  cpSync(join(FIXTURE, "base"), dir, { recursive: true });
  const repository = join(dir, "apps/base/podinfo/repository.yaml");
  writeFileSync(repository, readFileSync(repository, "utf8").replace("https://stefanprodan.github.io/podinfo", repo.url));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
}

function renderer(allowedHosts = [repo.host]) {
  const scratchDir = mkdtempSync(join(testScratchDir(), "scratch-"));
  return createFluxRenderer(testToolOptions({ scratchDir, gitops: { repositoryUrls: [], allowedHosts, chartCacheDir: join(scratchDir, "cache") } }));
}

const release = (spec: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 50m
${spec.replace(/^/gm, "  ")}
`;
const chartSpec = (extra = "") => `chart:
  spec:
    chart: podinfo
    sourceRef:
      kind: HelmRepository
      name: podinfo
${extra.replace(/^/gm, "    ")}`;

function ok(out: RenderOutcome) {
  if (out.status !== "ok") throw new Error(JSON.stringify(out));
  return out;
}
const deployment = (out: RenderOutcome) => ok(out).resources.find((r) => r.kind === "Deployment")!.body as any;
const image = (out: RenderOutcome) => deployment(out).spec.template.spec.containers[0].image as string;

describe("chart version constraints", () => {
  it("resolve to the highest match, prereleases only when asked for", () => {
    const versions = ["6.6.0", "6.7.0", "6.7.1-rc.1", "7.0.0", "v7.1.0"];
    expect(highestMatch(versions, "*")).toBe("v7.1.0");
    expect(highestMatch(versions, ">=6.0.0 <7.0.0")).toBe("6.7.0");
    expect(highestMatch(versions, "6.x")).toBe("6.7.0");
    expect(highestMatch(versions, "~6.6")).toBe("6.6.0");
    expect(highestMatch(versions, "^6.6.0")).toBe("6.7.0");
    expect(highestMatch(versions, ">=6.7.1-0 <7")).toBe("6.7.1-rc.1");
    expect(highestMatch(versions, "6.6.0 - 6.8.0")).toBe("6.7.0");
    expect(highestMatch(versions, "<6 || >=7.0.0, <7.1")).toBe("7.0.0");
    expect(highestMatch(versions, "7.0.0")).toBe("7.0.0");
    expect(highestMatch(versions, "!=7.0.0, <7.1.0")).toBe("6.7.0");
    expect(highestMatch(versions, "8")).toBeUndefined();
    expect(highestMatch(versions, "not a range")).toBeUndefined();
  });

  it("renders the highest chart version in the range from the index", async () => {
    const tree = await snapshot({ "apps/base/podinfo/release.yaml": release(chartSpec('version: ">=6.0.0 <7.0.0"')) });
    const before = repo.requests.length;
    expect(deployment(await renderer().render(TARGET, tree, LIMITS)).metadata.labels).toBeDefined();
    expect(repo.requests.slice(before)).toEqual(["/charts/index.yaml", "/charts/podinfo-6.7.0.tgz"]);
  });
});

describe("valuesFiles", () => {
  it("replace the chart's defaults with the listed files merged in order, under valuesFrom and values", async () => {
    const tree = await snapshot({
      "apps/base/podinfo/release.yaml": release(`${chartSpec('version: "7.0.0"\nvaluesFiles:\n  - values.yaml\n  - values-production.yaml')}\nvalues:\n  image:\n    tag: 7.0.0`),
    });
    const body = deployment(await renderer().render(TARGET, tree, LIMITS));
    expect(body.spec.replicas).toBe(4);
    expect(body.spec.template.spec.containers[0].env[0].value).toBe("from values-production");
    expect(body.spec.template.spec.containers[0].image).toBe("ghcr.io/stefanprodan/podinfo:7.0.0");
  });

  it("without values.yaml in the list, the chart's defaults are gone (as source-controller packages it)", async () => {
    const tree = await snapshot({ "apps/base/podinfo/release.yaml": release(chartSpec('version: "7.0.0"\nvaluesFiles:\n  - values-production.yaml')) });
    // values.yaml's `image` is no default any more: the template reads a value nothing sets.
    const out = await renderer().render(TARGET, tree, LIMITS);
    expect(out.status).toBe("invalid");
    expect(JSON.stringify(out)).toContain("nil pointer evaluating interface {}.repository");
    const withImage = await snapshot({
      "apps/base/podinfo/release.yaml": release(`${chartSpec('version: "7.0.0"\nvaluesFiles:\n  - values-production.yaml')}\nvalues:\n  image:\n    repository: example.com/podinfo\n    tag: "1"`),
    });
    expect(deployment(await renderer().render(TARGET, withImage, LIMITS)).spec.replicas).toBe(4);
  });

  it("a missing values file fails the render unless ignoreMissingValuesFiles", async () => {
    const missing = await snapshot({ "apps/base/podinfo/release.yaml": release(chartSpec('version: "7.0.0"\nvaluesFiles:\n  - values-staging.yaml')) });
    const out = await renderer().render(TARGET, missing, LIMITS);
    expect(out.status === "invalid" && out.problems.map((p) => p.message)).toEqual([expect.stringContaining('values file "values-staging.yaml" is not a file of the chart')]);
    const ignored = await snapshot({ "apps/base/podinfo/release.yaml": release(chartSpec('version: "7.0.0"\nignoreMissingValuesFiles: true\nvaluesFiles:\n  - values.yaml\n  - values-staging.yaml')) });
    expect(deployment(await renderer().render(TARGET, ignored, LIMITS)).spec.replicas).toBe(1);
  });

  it("of a chart in this repository are paths from the repository's root, and inputs of the release", async () => {
    const tree = await snapshot({
      "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
      "charts/web/values.yaml": "replicas: 1\n",
      "charts/web/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
      "envs/prod/web-values.yaml": "replicas: 3\n",
      "apps/base/podinfo/release.yaml": release(`chart:\n  spec:\n    chart: ./charts/web\n    sourceRef:\n      kind: GitRepository\n      name: flux-system\n      namespace: flux-system\n    valuesFiles:\n      - charts/web/values.yaml\n      - envs/prod/web-values.yaml`),
    });
    const r = renderer();
    expect([...(await r.inputs(TARGET, tree)).files]).toContain("envs/prod/web-values.yaml");
    const out = ok(await r.render(TARGET, tree, LIMITS));
    expect(out.resources.map((x) => (x.body as any).data)).toEqual([{ replicas: "3" }]);
  });
});

describe("chartRef", () => {
  const helmChart = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 10m
  chart: podinfo
  version: "6.x"
  valuesFiles:
    - values.yaml
    - values-production.yaml
  sourceRef:
    kind: HelmRepository
    name: podinfo
`;

  it("to a HelmChart of the repository renders that chart spec, the HelmChart's file an input", async () => {
    const tree = await snapshot({
      "apps/base/podinfo/helmchart.yaml": helmChart,
      "apps/base/podinfo/release.yaml": release("chartRef:\n  kind: HelmChart\n  name: podinfo"),
    });
    const r = renderer();
    expect([...(await r.inputs(TARGET, tree)).files].sort()).toEqual(["apps/base/podinfo/helmchart.yaml", "apps/base/podinfo/release.yaml", "apps/base/podinfo/repository.yaml"]);
    const out = await r.render(TARGET, tree, LIMITS);
    expect(image(out)).toBe("ghcr.io/stefanprodan/podinfo:6.7.0");
    expect(deployment(out).spec.replicas).toBe(4);
  });

  const ociRepository = (ref: string, url = "oci://ghcr.io/stefanprodan/charts/podinfo") => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 10m
  url: ${url}
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
${ref.replace(/^/gm, "    ")}
`;

  it("to an OCIRepository on a host gitops.allowedHosts does not list is not pulled", async () => {
    const tree = await snapshot({
      "apps/base/podinfo/oci.yaml": ociRepository('semver: ">=6.0.0"'),
      "apps/base/podinfo/release.yaml": release("chartRef:\n  kind: OCIRepository\n  name: podinfo"),
    });
    const out = await renderer(["charts.example.com"]).render(TARGET, tree, LIMITS);
    expect(out.status === "invalid" && out.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([
      "gitops/source-unavailable: HelmRelease podinfo/podinfo: host ghcr.io is not in gitops.allowedHosts of the base branch's config; it is not reviewed",
    ]);
  });

  it("to an object that is not in the repository is reported, not guessed", async () => {
    const tree = await snapshot({ "apps/base/podinfo/release.yaml": release("chartRef:\n  kind: OCIRepository\n  name: elsewhere") });
    const out = await renderer().inputs(TARGET, tree);
    expect(out.blocking.map((p) => p.ruleId)).toEqual(["gitops/source-unavailable"]);
  });
});

describe("CRD policies", () => {
  const chart = {
    "charts/op/Chart.yaml": "apiVersion: v2\nname: op\nversion: 1.0.0\n",
    "charts/op/crds/widgets.yaml":
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n",
    "charts/op/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: op\n",
  };
  const local = (extra: string) =>
    release(`chart:\n  spec:\n    chart: ./charts/op\n    sourceRef:\n      kind: GitRepository\n      name: flux-system\n      namespace: flux-system${extra}`);
  const kinds = (out: RenderOutcome) => ok(out).resources.map((r) => r.kind).sort();
  const rules = (out: RenderOutcome) => ok(out).warnings.map((w) => w.ruleId);

  it("install Create (the default) renders the chart's crds/; upgrade Skip (the default) is called out", async () => {
    const out = await renderer().render(TARGET, await snapshot({ ...chart, "apps/base/podinfo/release.yaml": local("") }), LIMITS);
    expect(kinds(out)).toEqual(["ConfigMap", "CustomResourceDefinition"]);
    expect(rules(out)).toContain("gitops/crds-not-upgraded");
  });

  it("install Skip leaves them out (helm --skip-crds); CreateReplace on upgrade is not called out", async () => {
    const skipped = await renderer().render(TARGET, await snapshot({ ...chart, "apps/base/podinfo/release.yaml": local("\ninstall:\n  crds: Skip") }), LIMITS);
    expect(kinds(skipped)).toEqual(["ConfigMap"]);
    const replaced = await renderer().render(TARGET, await snapshot({ ...chart, "apps/base/podinfo/release.yaml": local("\ninstall:\n  crds: CreateReplace\nupgrade:\n  crds: CreateReplace") }), LIMITS);
    expect(kinds(replaced)).toEqual(["ConfigMap", "CustomResourceDefinition"]);
    expect(rules(replaced)).not.toContain("gitops/crds-not-upgraded");
  });
});
