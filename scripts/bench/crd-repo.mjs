// Custom resources whose CRD lives elsewhere in the repository (issue 12, "cost follows the
// change"): 500 Kustomize overlays plus a `crds/` folder of 50 CRD files (about 20 MB). One pull
// request touches only the README, the other adds a custom resource to one overlay; its schema is
// in one of the 50 files and in no target that renders. The second must stay within 1.5× of the
// first: finding one CRD must not cost a parse of every CRD in the repository.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { buildVariants, overlayPath } from "./generate-monorepo.mjs";
import { median } from "./measure.mjs";
import { runCheck } from "./cli-runner.mjs";

const SHAPE = { bases: 50, overlaysPerBase: 10, charts: 0, composeProjects: 0 };
const CRD_FILES = 50;
/** Properties per CRD version: about 400 KB of YAML per file, 20 MB in all. */
const PROPERTIES = 2450;
const WANTED = 37;

const pad = (n) => String(n).padStart(2, "0");

function crd(i) {
  let props = "";
  for (let p = 0; p < PROPERTIES; p++) {
    props += `                field${p}:
                  type: string
                  description: Setting ${p} of the widget, kept long enough to weigh what real CRDs weigh.
`;
  }
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets${pad(i)}.bench${pad(i)}.example.test
spec:
  group: bench${pad(i)}.example.test
  scope: Namespaced
  names:
    kind: Widget${pad(i)}
    plural: widgets${pad(i)}
    singular: widget${pad(i)}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
${props}`;
}

function customResource() {
  return `apiVersion: bench${pad(WANTED)}.example.test/v1
kind: Widget${pad(WANTED)}
metadata:
  name: gadget
spec:
  field1: "on"
  field2: blue
`;
}

async function writeTree(root, files) {
  const dirs = new Set([...files.keys()].map((p) => dirname(join(root, p))));
  for (const d of dirs) await mkdir(d, { recursive: true });
  for (const [path, content] of files) await writeFile(join(root, path), content);
}

/** Writes base, head-none and head-crd under `root`; returns their folders and the overlay changed. */
export async function generateCrdRepo(root) {
  const { base, heads } = buildVariants(SHAPE);
  for (let i = 0; i < CRD_FILES; i++) base.set(`crds/widget-${pad(i)}.yaml`, crd(i));
  const none = new Map(heads.find((h) => h.name === "head-none").files);
  for (let i = 0; i < CRD_FILES; i++) none.set(`crds/widget-${pad(i)}.yaml`, base.get(`crds/widget-${pad(i)}.yaml`));
  const overlay = overlayPath(17, 4);
  const withCr = new Map(base);
  withCr.set(`${overlay}/widget.yaml`, customResource());
  const kustomization = base.get(`${overlay}/kustomization.yaml`);
  withCr.set(`${overlay}/kustomization.yaml`, kustomization.replace("  - ../../base\n", "  - ../../base\n  - widget.yaml\n"));
  const dirs = { base: join(root, "crd-base"), none: join(root, "crd-head-none"), crd: join(root, "crd-head-cr") };
  await writeTree(dirs.base, base);
  await writeTree(dirs.none, none);
  await writeTree(dirs.crd, withCr);
  let bytes = 0;
  for (let i = 0; i < CRD_FILES; i++) bytes += base.get(`crds/widget-${pad(i)}.yaml`).length;
  return { dirs, overlay, crdBytes: bytes, files: base.size };
}

/** Median wall times of both pull requests, alternated so machine noise hits both alike. */
export async function benchCrdRepo(cli, root, runs = 3) {
  const repo = await generateCrdRepo(root);
  const time = async (head, name) => {
    const r = await runCheck(cli, { baseDir: repo.dirs.base, headDir: head, outputFile: join(root, `${name}.json`) });
    if (!r.ok) throw new Error(`crd-repo ${name} failed: ${r.error}`);
    return r;
  };
  await time(repo.dirs.none, "warm-up");
  const none = [];
  const crd = [];
  let report;
  for (let i = 0; i < runs; i++) {
    none.push((await time(repo.dirs.none, "none")).wallMs);
    const r = await time(repo.dirs.crd, "cr");
    crd.push(r.wallMs);
    report = r.report;
  }
  return { ...repo, noneMs: median(none), crdMs: median(crd), report };
}
