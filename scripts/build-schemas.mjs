// Generates the Kubernetes schema bundles Shipshape ships: `npm run schemas`.
//
// Input: Kubernetes' own OpenAPI v2 specs in ../shared/k8s-openapi (one per minor version,
// gzipped). Output, committed to the repository so the product never reads ../shared:
//   schemas/kubernetes/1.NN.json.gz  one bundle per minor version (see `bundleFor`)
//   schemas/kubernetes/index.json    which apiVersion/kind each bundled version serves
//
// A bundle keeps only what validation needs: definitions reachable from the top-level kinds,
// without descriptions or merge/list annotations, with IntOrString and Quantity turned into
// plain JSON Schema. Objects stay open; the validator closes them at load time when it runs
// strict, so one bundle serves both modes.
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import { gunzipSync, gzipSync, constants } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_SHARED_DIR = resolve(projectRoot, "../shared");
export const OUTPUT_DIR = join(projectRoot, "schemas", "kubernetes");

const SPEC_FILE = /^kubernetes-(1\.\d+)\.swagger\.json\.gz$/;
const DEF_PREFIX = "#/definitions/";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
/** k8s.io/apimachinery's quantity grammar (resource.Quantity), as a regular expression. */
export const QUANTITY_PATTERN =
  "^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))?$";
/** Formats the validator checks; the others (double, int-or-string...) say nothing useful. */
const KEPT_FORMATS = new Set(["int32", "int64", "byte", "date-time"]);
/**
 * Meta kinds that every group version lists (DeleteOptions, WatchEvent): request and watch
 * envelopes, never manifests. Recognised by carrying more than one group-version-kind.
 */
const isEnvelope = (gvks) => gvks.length > 1;

/** The minor versions available in `sharedDir`, oldest first. */
export async function listSpecVersions(sharedDir = DEFAULT_SHARED_DIR) {
  const names = await readdir(join(sharedDir, "k8s-openapi"));
  return names
    .map((n) => SPEC_FILE.exec(n)?.[1])
    .filter(Boolean)
    .sort(compareVersions);
}

export function compareVersions(a, b) {
  return Number(a.split(".")[1]) - Number(b.split(".")[1]);
}

export async function readSpec(version, sharedDir = DEFAULT_SHARED_DIR) {
  const gz = await readFile(join(sharedDir, "k8s-openapi", `kubernetes-${version}.swagger.json.gz`));
  return JSON.parse(gunzipSync(gz).toString("utf8"));
}

/** "apps/v1/Deployment", "v1/ConfigMap": the key bundles and the validator use for a kind. */
export function kindKey({ group, version, kind }) {
  return group ? `${group}/${version}/${kind}` : `${version}/${kind}`;
}

function apiVersionOf({ group, version }) {
  return group ? `${group}/${version}` : version;
}

function refName(ref) {
  if (!ref.startsWith(DEF_PREFIX)) throw new Error(`unexpected $ref ${ref}`);
  return ref.slice(DEF_PREFIX.length);
}

/** Converts one swagger schema node into the bundle's JSON Schema subset. */
function convertNode(node) {
  if (node.$ref) {
    // IntOrString is inlined: a two-type union is cheaper for ajv than a reference.
    return refName(node.$ref) === INT_OR_STRING ? { type: ["integer", "string"] } : { $ref: node.$ref };
  }
  if (node.format === "int-or-string") return { type: ["integer", "string"] };
  const out = {};
  if (node.type !== undefined) out.type = node.type;
  if (node.format !== undefined && KEPT_FORMATS.has(node.format)) out.format = node.format;
  if (node.enum !== undefined) out.enum = node.enum;
  if (node.properties) out.properties = mapValues(node.properties, convertNode);
  if (Array.isArray(node.required) && node.required.length > 0) out.required = [...node.required];
  if (node.items) out.items = convertNode(node.items);
  if (typeof node.additionalProperties === "boolean") out.additionalProperties = node.additionalProperties;
  else if (node.additionalProperties) out.additionalProperties = convertNode(node.additionalProperties);
  if (node["x-kubernetes-preserve-unknown-fields"] === true) out["x-kubernetes-preserve-unknown-fields"] = true;
  return out;
}

function convertDefinition(name, def) {
  // A Quantity is written as "100m", "1Gi" or a bare number (cpu: 0.5, memory: 128974848).
  if (name === QUANTITY) return { type: ["string", "number"], pattern: QUANTITY_PATTERN };
  if (name === INT_OR_STRING) return { type: ["integer", "string"] };
  const out = convertNode(def);
  const gvks = def["x-kubernetes-group-version-kind"] ?? [];
  if (gvks.length === 1 && out.properties) {
    // Pin apiVersion and kind: a schema picked for apps/v1 Deployment says so itself.
    const [gvk] = gvks;
    if (out.properties.apiVersion) out.properties.apiVersion = { const: apiVersionOf(gvk) };
    if (out.properties.kind) out.properties.kind = { const: gvk.kind };
  }
  return out;
}

function mapValues(obj, fn) {
  const out = {};
  for (const key of Object.keys(obj)) out[key] = fn(obj[key]);
  return out;
}

function collectRefs(node, into) {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, into);
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") into.push(refName(value));
    else collectRefs(value, into);
  }
}

/** Top-level kinds of a spec: definition name per kind key. */
function topLevelKinds(spec) {
  const kinds = new Map();
  for (const [name, def] of Object.entries(spec.definitions)) {
    const gvks = def["x-kubernetes-group-version-kind"];
    if (!gvks || isEnvelope(gvks)) continue;
    kinds.set(kindKey(gvks[0]), name);
  }
  return kinds;
}

/**
 * Scope per kind, read from the API paths: a kind served under /namespaces/{namespace}/ is
 * namespaced, one served only elsewhere is cluster-scoped. Kinds with no path are left out.
 */
function scopes(spec) {
  const namespaced = new Map();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const op of Object.values(item)) {
      const gvk = op?.["x-kubernetes-group-version-kind"];
      if (!gvk || Array.isArray(gvk)) continue;
      const key = kindKey(gvk);
      const inNamespace = path.includes("/namespaces/{namespace}/");
      namespaced.set(key, (namespaced.get(key) ?? false) || inNamespace);
    }
  }
  return namespaced;
}

/** The bundle of one version: { version, kinds, namespaced, definitions }. */
export function bundleFor(version, spec) {
  const kinds = topLevelKinds(spec);
  const reachable = new Set();
  const queue = [...kinds.values()];
  while (queue.length > 0) {
    const name = queue.pop();
    if (reachable.has(name)) continue;
    const def = spec.definitions[name];
    if (!def) throw new Error(`${version}: missing definition ${name}`);
    reachable.add(name);
    collectRefs(def, queue);
  }
  const definitions = {};
  for (const name of [...reachable].sort()) {
    if (name === INT_OR_STRING) continue; // always inlined
    definitions[name] = convertDefinition(name, spec.definitions[name]);
  }
  const scope = scopes(spec);
  const sortedKeys = [...kinds.keys()].sort();
  const namespaced = {};
  for (const key of sortedKeys) if (scope.has(key)) namespaced[key] = scope.get(key);
  return {
    version,
    kinds: Object.fromEntries(sortedKeys.map((k) => [k, kinds.get(k)])),
    namespaced,
    definitions,
  };
}

/**
 * Which versions serve each kind: { versions, apis: { key: [first, last] } }. A kind first
 * seen in the oldest bundle may be older; the runtime says "served until 1.31", never "since".
 */
export function historyFor(bundles) {
  const versions = bundles.map((b) => b.version);
  const apis = {};
  for (const key of new Set(bundles.flatMap((b) => Object.keys(b.kinds)))) {
    const served = bundles.filter((b) => key in b.kinds).map((b) => b.version);
    const first = versions.indexOf(served[0]);
    const last = versions.indexOf(served[served.length - 1]);
    if (last - first + 1 !== served.length) {
      throw new Error(`${key} is served with gaps (${served.join(", ")}); index.json cannot say so`);
    }
    apis[key] = [served[0], served[served.length - 1]];
  }
  const sorted = Object.fromEntries(Object.keys(apis).sort().map((k) => [k, apis[k]]));
  return { versions, apis: sorted };
}

/** Everything `npm run schemas` writes, in memory: relative path → content. */
export async function buildSchemaFiles(sharedDir = DEFAULT_SHARED_DIR) {
  const versions = await listSpecVersions(sharedDir);
  if (versions.length === 0) throw new Error(`no kubernetes-1.NN.swagger.json.gz in ${sharedDir}/k8s-openapi`);
  const bundles = [];
  for (const version of versions) bundles.push(bundleFor(version, await readSpec(version, sharedDir)));
  const files = new Map();
  for (const bundle of bundles) files.set(`${bundle.version}.json.gz`, gzipJson(bundle));
  files.set("index.json", formatHistory(historyFor(bundles)));
  return { versions, bundles, files };
}

/** One API per line: readable in review, small in git. */
function formatHistory({ versions, apis }) {
  const lines = Object.entries(apis).map(([key, range]) => `  ${JSON.stringify(key)}: ${JSON.stringify(range)}`);
  return `{\n"versions": ${JSON.stringify(versions)},\n"apis": {\n${lines.join(",\n")}\n}\n}\n`;
}

function gzipJson(value) {
  return gzipSync(JSON.stringify(value), { level: constants.Z_BEST_COMPRESSION });
}

async function main() {
  const { files } = await buildSchemaFiles();
  await mkdir(OUTPUT_DIR, { recursive: true });
  for (const [name, content] of files) {
    await writeFile(join(OUTPUT_DIR, name), content);
    const size = typeof content === "string" ? Buffer.byteLength(content) : content.length;
    console.log(`schemas/kubernetes/${name}\t${(size / 1024).toFixed(1)} KiB`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`build-schemas: ${err.message}`);
    process.exitCode = 1;
  });
}
