// Generates the built-in schemas of the GitOps controllers' own custom resources (Flux's
// Kustomization, HelmRelease, GitRepository..., Argo CD's Application, ApplicationSet,
// AppProject): `npm run schemas:controllers [MIRRORS]`.
//
// GitOps repositories rarely hold these CRDs (flux bootstrap writes them into the cluster,
// Argo CD is installed from a release), so without them the objects users edit most are never
// validated. Input: the controllers' repositories at the release tags pinned in SOURCES, read
// with git from MIRRORS (default $SHIPSHAPE_MIRRORS or /work/.mirror), where each repository is
// `<owner>+<name>/repo` (a bare mirror), `<owner>+<name>` or `<name>` (a clone). Output,
// committed so the product never reads a mirror or the network:
//   schemas/controllers/crds.json.gz  { "<group>/<version>/<Kind>": { schema, preserveAll? } }
//   schemas/controllers/index.json    the controllers (version, commit, license) and, per
//                                     group/Kind, the versions served and who serves them
//
// Compaction: only what src/schema/kubernetes/crd-schema.ts reads survives (no descriptions,
// defaults, examples, CEL rules or list/map annotations), and a root `status` becomes an open
// object: the API server ignores status on the main endpoint, so nobody validates it.
// Relaxed: the `kind` enums of notification-controller's object references (RELAXED_ENUMS),
// which installations patch as Flux documents (third-party controllers, the Flux Operator's
// FluxInstance): an upstream enum would report their valid Alerts as errors.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";
import { parseAllDocuments } from "yaml";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const OUTPUT_DIR = join(projectRoot, "schemas", "controllers");
export const DEFAULT_MIRRORS = process.env.SHIPSHAPE_MIRRORS ?? "/work/.mirror";

const FLUX_CRDS = "config/crd/bases";
/** The pinned releases. Bump a tag and its commit together, then rerun and commit. */
export const SOURCES = [
  { controller: "source-controller", repository: "fluxcd/source-controller", tag: "v1.9.1", commit: "092bcff3c9c3f258a44310507201d295ff294ba6", dir: FLUX_CRDS },
  { controller: "kustomize-controller", repository: "fluxcd/kustomize-controller", tag: "v1.9.4", commit: "1324b615da01038e2859cbcde604bd5434f21933", dir: FLUX_CRDS },
  { controller: "helm-controller", repository: "fluxcd/helm-controller", tag: "v1.6.3", commit: "372c34e2b4a455d24ef6cbb8321c82c4533dbbd8", dir: FLUX_CRDS },
  { controller: "notification-controller", repository: "fluxcd/notification-controller", tag: "v1.9.3", commit: "0b6fcb118ea64a36d7ca7d29904e4f5075be87bc", dir: FLUX_CRDS },
  { controller: "image-reflector-controller", repository: "fluxcd/image-reflector-controller", tag: "v1.2.0", commit: "cf3258bac4120a481fecf24d24c5245a5901f9c3", dir: FLUX_CRDS },
  { controller: "image-automation-controller", repository: "fluxcd/image-automation-controller", tag: "v1.2.1", commit: "aec086297d39dc23ece874cad38efcff0b9ac0f5", dir: FLUX_CRDS },
  { controller: "source-watcher", repository: "fluxcd/source-watcher", tag: "v2.2.1", commit: "824a8bdc6d2799877e590dd81ca0db4929958380", dir: FLUX_CRDS },
  { controller: "argo-cd", repository: "argoproj/argo-cd", tag: "v3.5.1", commit: "109ca7ca71139e514114499d294a492e7910a965", dir: "manifests/crds" },
];
const LICENSE = "Apache-2.0";

/** Schema keywords src/schema/kubernetes/crd-schema.ts does not read. */
const DROPPED = new Set([
  "description",
  "default",
  "example",
  "externalDocs",
  "nullable",
  "x-kubernetes-validations",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
]);
/** Enums installations are told to extend: key → property path below the root (arrays walked through items). */
export const RELAXED_ENUMS = {
  "notification.toolkit.fluxcd.io/v1beta3/Alert": [["spec", "eventSources", "kind"]],
  "notification.toolkit.fluxcd.io/v1/Receiver": [["spec", "resources", "kind"]],
};
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions"]);
const OPEN_OBJECT = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

function git(repoDir, args) {
  const bare = !existsSync(join(repoDir, ".git"));
  return execFileSync("git", [bare ? `--git-dir=${repoDir}` : `--git-dir=${join(repoDir, ".git")}`, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function locate(mirrors, repository) {
  const [owner, name] = repository.split("/");
  const candidates = [join(mirrors, `${owner}+${name}`, "repo"), join(mirrors, `${owner}+${name}`), join(mirrors, name)];
  const found = candidates.find((dir) => existsSync(join(dir, "HEAD")) || existsSync(join(dir, ".git")));
  if (!found) throw new Error(`${repository} not found under ${mirrors} (tried ${candidates.join(", ")})`);
  return found;
}

/** A schema node without what validation never reads; maps of schemas are walked by value. */
export function compactSchema(node) {
  if (Array.isArray(node)) return node.map(compactSchema);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (key === "enum" || key === "const" || key === "required") out[key] = value;
    else if (SCHEMA_MAPS.has(key) && value && typeof value === "object") out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactSchema(v)]));
    else out[key] = compactSchema(value);
  }
  return out;
}

function compactRoot(key, schema) {
  const out = compactSchema(schema);
  if (out?.properties?.status) out.properties.status = OPEN_OBJECT;
  for (const path of RELAXED_ENUMS[key] ?? []) {
    const node = path.reduce((at, name) => {
      const inner = at?.type === "array" ? at.items : at;
      return inner?.properties?.[name];
    }, out);
    if (!node?.enum) throw new Error(`${key}: no enum at ${path.join(".")} to relax`);
    delete node.enum;
  }
  return out;
}

/** The served versions of one CRD document: [{ key, group, kind, version, entry }]. */
function entriesOf(crd, origin) {
  const spec = crd.spec ?? {};
  const group = spec.group;
  const kind = spec.names?.kind;
  if (typeof group !== "string" || typeof kind !== "string") throw new Error(`${origin}: a CRD without group or kind`);
  if (crd.apiVersion !== "apiextensions.k8s.io/v1") throw new Error(`${origin}: ${crd.apiVersion} CRDs are not expected here`);
  const out = [];
  for (const version of spec.versions ?? []) {
    if (version.served === false) continue;
    const schema = version.schema?.openAPIV3Schema;
    if (!schema) throw new Error(`${origin}: ${group}/${version.name} ${kind} has no schema`);
    const key = `${group}/${version.name}/${kind}`;
    const entry = { schema: compactRoot(key, schema) };
    if (spec.preserveUnknownFields === true) entry.preserveAll = true;
    out.push({ key, group, kind, version: version.name, entry });
  }
  return out;
}

/** The CRD files of one source at its pinned tag: [{ path, text }]. */
function readSource(mirrors, source) {
  const dir = locate(mirrors, source.repository);
  const commit = git(dir, ["rev-parse", `${source.tag}^{commit}`]).trim();
  if (commit !== source.commit) throw new Error(`${source.repository} ${source.tag} is ${commit} in ${dir}, expected ${source.commit}`);
  const paths = git(dir, ["ls-tree", "--name-only", source.commit, `${source.dir}/`])
    .split("\n")
    .filter((p) => /\.ya?ml$/.test(p) && !/kustomization\.ya?ml$/.test(p))
    .sort();
  return paths.map((path) => ({ path, text: git(dir, ["show", `${source.commit}:${path}`]) }));
}

/** Everything the generator writes, in memory: file name → content. */
export function buildControllerCrdFiles(mirrors = DEFAULT_MIRRORS, sources = SOURCES) {
  const schemas = {};
  const kinds = {};
  for (const source of sources) {
    for (const { path, text } of readSource(mirrors, source)) {
      for (const doc of parseAllDocuments(text)) {
        const crd = doc.toJS();
        if (crd?.kind !== "CustomResourceDefinition") continue;
        for (const { key, group, kind, version, entry } of entriesOf(crd, `${source.repository}/${path}`)) {
          if (schemas[key]) throw new Error(`${key} is defined twice`);
          schemas[key] = entry;
          const gk = `${group}/${kind}`;
          kinds[gk] ??= { controller: source.controller, versions: [] };
          kinds[gk].versions.push(version);
        }
      }
    }
  }
  const sorted = (obj) => Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
  const controllers = sources.map(({ controller, repository, tag, commit }) => ({ controller, repository, version: tag, commit, license: LICENSE }));
  const files = new Map();
  files.set("crds.json.gz", gzipSync(JSON.stringify(sorted(schemas)), { level: constants.Z_BEST_COMPRESSION }));
  files.set("index.json", formatIndex(controllers, sorted(kinds)));
  return files;
}

/** One controller and one kind per line: readable in review, small in git. */
function formatIndex(controllers, kinds) {
  const c = controllers.map((x) => `  ${JSON.stringify(x)}`).join(",\n");
  const k = Object.entries(kinds).map(([gk, v]) => `  ${JSON.stringify(gk)}: ${JSON.stringify(v)}`).join(",\n");
  return `{\n"controllers": [\n${c}\n],\n"kinds": {\n${k}\n}\n}\n`;
}

async function main() {
  const files = buildControllerCrdFiles(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_MIRRORS);
  await mkdir(OUTPUT_DIR, { recursive: true });
  for (const [name, content] of files) {
    await writeFile(join(OUTPUT_DIR, name), content);
    const size = typeof content === "string" ? Buffer.byteLength(content) : content.length;
    console.log(`schemas/controllers/${name}\t${(size / 1024).toFixed(1)} KiB`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`build-controller-crds: ${err.message}`);
    process.exitCode = 1;
  });
}
