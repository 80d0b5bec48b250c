/**
 * The built-in CRDs of the GitOps controllers (schemas/controllers): real Flux and Argo CD
 * objects validate clean, mistakes are found at their line, anything the change or the
 * repository defines wins, versions the bundle does not cover stay `schema/no-schema` with a
 * message that says what it covers, and `schema.builtinCrds: false` turns the source off.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { SchemaIssue } from "../../src/core/ports.js";
import { createKubernetesValidator, type KubernetesValidatorOptions } from "../../src/schema/kubernetes/index.js";
import { requestFor, resourcesFrom } from "../../fixtures/schema/resources.js";
import { configErrorOf, parse } from "../helpers/config.js";
import { memoryTree } from "../helpers/memory-tree.js";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const bundleDir = join(root, "schemas", "controllers");
const realDir = join(root, "fixtures", "schema", "controllers");
const CONTROLLER_GROUPS = /^(.+\.fluxcd\.io|argoproj\.io)\//;

interface Index {
  controllers: { controller: string; repository: string; version: string; commit: string; license: string }[];
  kinds: Record<string, { controller: string; versions: string[] }>;
}
const index = JSON.parse(readFileSync(join(bundleDir, "index.json"), "utf8")) as Index;
const bundle = JSON.parse(gunzipSync(readFileSync(join(bundleDir, "crds.json.gz"))).toString("utf8")) as Record<string, { schema: unknown }>;

const brief = (issues: SchemaIssue[]) => issues.map((i) => `${i.ruleId} ${i.path}${i.line ? ` @${i.line}` : ""}`);
const validator = (options: Partial<KubernetesValidatorOptions> = {}) => createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [], ...options });

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

describe("the committed bundle", () => {
  it("covers Flux's controllers and Argo CD, with a schema for every version it lists", () => {
    expect(index.controllers.map((c) => c.controller)).toEqual([
      "source-controller",
      "kustomize-controller",
      "helm-controller",
      "notification-controller",
      "image-reflector-controller",
      "image-automation-controller",
      "source-watcher",
      "argo-cd",
    ]);
    for (const kind of ["HelmRelease", "Kustomization", "GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Bucket", "ExternalArtifact", "ArtifactGenerator", "Alert", "Provider", "Receiver", "ImagePolicy", "ImageRepository", "ImageUpdateAutomation", "Application", "ApplicationSet", "AppProject"]) {
      expect(Object.keys(index.kinds).some((gk) => gk.endsWith(`/${kind}`)), kind).toBe(true);
    }
    const listed = Object.entries(index.kinds).flatMap(([gk, { versions }]) => versions.map((v) => gk.replace("/", `/${v}/`)));
    expect(listed.sort()).toEqual(Object.keys(bundle).sort());
  });

  it("is compact: gzipped, without descriptions, status left open", () => {
    expect(statSync(join(bundleDir, "crds.json.gz")).size).toBeLessThan(32 * 1024);
    const dropped: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
      if (node === null || typeof node !== "object") return;
      for (const [key, value] of Object.entries(node)) {
        // A property named "description" (AppProject's spec.description) is a field, not a keyword.
        if (key === "properties") for (const [name, sub] of Object.entries(value as object)) walk(sub, `${at}.${name}`);
        else if (key === "enum" || key === "required") continue;
        else if (["description", "default", "x-kubernetes-validations"].includes(key)) dropped.push(`${at} ${key}`);
        else walk(value, at);
      }
    };
    for (const [key, { schema }] of Object.entries(bundle)) walk(schema, key);
    expect(dropped).toEqual([]);
    expect((bundle["helm.toolkit.fluxcd.io/v2/HelmRelease"]?.schema as { properties: { status: unknown } }).properties.status).toEqual({ type: "object", "x-kubernetes-preserve-unknown-fields": true });
  });

  it("is credited in schemas/NOTICE.md with each controller's release and license", () => {
    const notice = readFileSync(join(root, "schemas", "NOTICE.md"), "utf8");
    for (const c of index.controllers) {
      expect(notice).toContain(`${c.repository}`);
      expect(notice).toContain(`${c.version}`);
      expect(notice).toContain(c.commit);
    }
    expect(new Set(index.controllers.map((c) => c.license))).toEqual(new Set(["Apache-2.0"]));
  });
});

describe("real Flux and Argo CD objects", () => {
  const shared = validator();
  const files = yamlFiles(realDir);

  it("are read from the fixture", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(realDir, f)]))("%s validates with no finding", async (file) => {
    const resources = resourcesFrom(readFileSync(join(realDir, file), "utf8"), file);
    expect(resources.some((r) => CONTROLLER_GROUPS.test(r.apiVersion))).toBe(true);
    expect(brief(await shared.validate(requestFor(resources)))).toEqual([]);
  });
});

const HELM_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 50
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: HelmRepository
        name: podinfo
  valueFrom:
    - kind: ConfigMap
      name: podinfo-values
`;

describe("mistakes in controller objects", () => {
  it("are found at their line: a wrong type and a misspelled field", async () => {
    const issues = await validator().validate(requestFor(resourcesFrom(HELM_RELEASE, "apps/podinfo/release.yaml")));
    expect(brief(issues).sort()).toEqual(["schema/type spec.interval @7", "schema/unknown-field spec.valueFrom @14"]);
    expect(issues.find((i) => i.ruleId === "schema/unknown-field")?.message).toContain('did you mean "valuesFrom"?');
  });

  it("a field under the wrong parent (Kustomization targetNamespace under sourceRef)", async () => {
    const yaml = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    targetNamespace: apps
`;
    expect(brief(await validator().validate(requestFor(resourcesFrom(yaml))))).toEqual(["schema/unknown-field spec.sourceRef.targetNamespace @10"]);
  });

  it("an Argo CD Application with a misspelled sync option field", async () => {
    const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: guestbook, namespace: argocd }
spec:
  project: default
  source: { repoURL: https://github.com/argoproj/argocd-example-apps.git, targetRevision: HEAD, path: guestbook }
  destination: { server: https://kubernetes.default.svc, namespace: guestbook }
  syncPolicy:
    automated: { prune: true, selfheal: true }
`;
    expect(brief(await validator().validate(requestFor(resourcesFrom(yaml))))).toEqual(["schema/unknown-field spec.syncPolicy.automated.selfheal @9"]);
  });
});

describe("precedence and coverage", () => {
  /** An older, looser HelmRelease CRD a repository might pin: spec accepts anything. */
  const repoCrd = (versions: string[]) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: helmreleases.helm.toolkit.fluxcd.io }
spec:
  group: helm.toolkit.fluxcd.io
  names:
    kind: HelmRelease
    plural: helmreleases
  scope: Namespaced
  versions:
${versions.map((v) => `    - name: ${v}\n      served: true\n      storage: ${v === versions[0]}\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec: { type: object, x-kubernetes-preserve-unknown-fields: true }`).join("\n")}
`;

  it("a CRD of the same kind in the repository wins over the built-in one", async () => {
    const tree = memoryTree("head", { "clusters/prod/flux-system/gotk-components.yaml": repoCrd(["v2"]) });
    expect(await validator().validate(requestFor(resourcesFrom(HELM_RELEASE), { tree }))).toEqual([]);
  });

  it("so does a rendered CRD and one listed in schema.crds", async () => {
    const crds = resourcesFrom(repoCrd(["v2"]), "rendered.yaml");
    expect(await validator().validate(requestFor(resourcesFrom(HELM_RELEASE), { crds }))).toEqual([]);
    const tree = memoryTree("head", { "crds/helm.yaml": repoCrd(["v2"]) });
    expect(await validator({ crdGlobs: ["crds/*.yaml"] }).validate(requestFor(resourcesFrom(HELM_RELEASE), { tree }))).toEqual([]);
  });

  it("a version the bundle does not cover stays schema/no-schema, saying what it covers", async () => {
    const old = HELM_RELEASE.replace("helm.toolkit.fluxcd.io/v2", "helm.toolkit.fluxcd.io/v2beta1");
    const [issue, ...rest] = await validator().validate(requestFor(resourcesFrom(old)));
    expect(rest).toEqual([]);
    expect(issue?.ruleId).toBe("schema/no-schema");
    expect(issue?.severity).toBe("info");
    expect(issue?.message).toMatch(/^no schema for helm\.toolkit\.fluxcd\.io\/v2beta1 HelmRelease, so it was not validated \(the built-in helm-controller v\d+\.\d+\.\d+ CRD covers helm\.toolkit\.fluxcd\.io\/v2 only\): add its CustomResourceDefinition/);
    expect(issue?.message).not.toMatch(/removed|no longer/);
    // The repository's own CRD serves the old version: validated with it.
    const tree = memoryTree("head", { "flux/crds.yaml": repoCrd(["v2", "v2beta1"]) });
    expect(await validator().validate(requestFor(resourcesFrom(old), { tree }))).toEqual([]);
  });

  it("schema.builtinCrds: false turns the built-in CRDs off", async () => {
    const issues = await validator({ builtinCrds: false }).validate(requestFor(resourcesFrom(HELM_RELEASE)));
    expect(brief(issues)).toEqual(["schema/no-schema  @1"]);
    expect(issues[0]?.message).not.toContain("built-in");
  });

  it("installations' extra kinds in notification references are accepted (Flux Operator's FluxInstance)", async () => {
    const yaml = `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: alertmanager, namespace: flux-system }
spec:
  providerRef: { name: alertmanager }
  eventSeverity: error
  eventSources:
    - { kind: FluxInstance, name: "*" }
    - { kind: HelmRelease, name: "*" }
`;
    expect(await validator().validate(requestFor(resourcesFrom(yaml)))).toEqual([]);
  });
});

describe("schema.builtinCrds", () => {
  it("is on by default and strictly a boolean", () => {
    expect(parse("").schema.builtinCrds).toBe(true);
    expect(parse("schema:\n  builtinCrds: false\n").schema.builtinCrds).toBe(false);
    const err = configErrorOf("schema:\n  builtinCrds: no-thanks\n");
    expect(err.keyPath).toBe("schema.builtinCrds");
    expect(err.message).toContain("must be boolean");
  });
});

/** The mirrors the generator reads (scripts/build-controller-crds.mjs); absent outside the dev machine. */
const mirrors = process.env.SHIPSHAPE_MIRRORS ?? "/work/.mirror";
const hasMirrors = existsSync(join(mirrors, "fluxcd+helm-controller")) && existsSync(join(mirrors, "argoproj+argo-cd"));
if (!hasMirrors) console.warn(`controller-crds.test.ts: no controller mirrors under ${mirrors}; skipping the regeneration check`);

describe.skipIf(!hasMirrors)("with the controllers' repositories at hand", () => {
  it("the committed bundle is what the generator writes", async () => {
    const generator = (await import(pathToFileURL(join(root, "scripts", "build-controller-crds.mjs")).href)) as {
      buildControllerCrdFiles(mirrors: string): Map<string, Buffer | string>;
    };
    const files = generator.buildControllerCrdFiles(mirrors);
    expect([...files.keys()].sort()).toEqual(readdirSync(bundleDir).sort());
    for (const [name, content] of files) {
      const committed = readFileSync(join(bundleDir, name));
      const same = name.endsWith(".gz") ? gunzipSync(committed).equals(gunzipSync(content as Buffer)) : committed.toString("utf8") === content;
      expect(same, `${name} is stale: run npm run schemas:controllers`).toBe(true);
    }
  }, 60_000);

  // Argo CD examples from repositories without a license: read in place, never copied.
  const unlicensed = ["codefresh-contrib+gitops-cert-level-2-examples"].filter((r) => existsSync(join(mirrors, r, "repo")));
  it.each(unlicensed)("every Argo CD object of %s validates with no finding", async (repo) => {
    const git = (...args: string[]) => execFileSync("git", [`--git-dir=${join(mirrors, repo, "repo")}`, ...args], { encoding: "utf8" });
    const v = validator();
    let seen = 0;
    for (const file of git("ls-tree", "-r", "--name-only", "HEAD").split("\n").filter((f) => /\.ya?ml$/.test(f))) {
      const text = git("show", `HEAD:${file}`);
      if (!/apiVersion: argoproj\.io\/v1alpha1\s+kind: (Application|ApplicationSet|AppProject)\s/.test(text)) continue;
      const resources = resourcesFrom(text, file).filter((r) => CONTROLLER_GROUPS.test(r.apiVersion) && r.kind !== "Rollout");
      seen += resources.length;
      expect(brief(await v.validate(requestFor(resources))), file).toEqual([]);
    }
    expect(seen).toBeGreaterThan(10);
  }, 60_000);
});
