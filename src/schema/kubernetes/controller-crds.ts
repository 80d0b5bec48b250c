/**
 * The built-in schemas of the GitOps controllers' own custom resources (Flux, Argo CD), for
 * repositories that do not hold those CRDs (flux bootstrap writes them into the cluster, Argo
 * CD is installed from a release). Read from the committed bundle in schemas/controllers (see
 * scripts/build-controller-crds.mjs), lazily and once per process: index.json (3 KB) answers
 * whether a group and kind is built in; the schemas themselves are read only when one is.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { packageRoot } from "../../package-root.js";
import type { CustomSchema } from "./crd-entries.js";
import { kindKey } from "./types.js";

interface ControllerIndex {
  controllers: { controller: string; repository: string; version: string }[];
  kinds: Record<string, { controller: string; versions: string[] }>;
}

type SchemaBundle = Record<string, { schema: unknown; preserveAll?: boolean }>;

/** Which versions of a group and kind the built-in schemas cover, and from which release. */
export interface BuiltinServed {
  /** "helm-controller v1.6.3". */
  release: string;
  /** ["v2"]. */
  versions: string[];
}

export function controllerSchemaDir(): string {
  return join(packageRoot(), "schemas", "controllers");
}

const indexes = new Map<string, Promise<ControllerIndex>>();
const bundles = new Map<string, Promise<SchemaBundle>>();

function cached<T>(cache: Map<string, Promise<T>>, file: string, read: (file: string) => Promise<T>): Promise<T> {
  let pending = cache.get(file);
  if (!pending) {
    pending = read(file);
    // A failed read is not cached: the next call reports the problem again.
    pending.catch(() => cache.delete(file));
    cache.set(file, pending);
  }
  return pending;
}

const readIndex = (file: string) => readFile(file, "utf8").then((text) => JSON.parse(text) as ControllerIndex);
const readBundle = (file: string) => readFile(file).then((gz) => JSON.parse(gunzipSync(gz).toString("utf8")) as SchemaBundle);

export class ControllerCrds {
  /** One entry object per key, so the validator's compiled-schema cache hits across requests. */
  private readonly entries = new Map<string, CustomSchema>();

  constructor(private readonly dir: string = controllerSchemaDir()) {}

  /** The built-in schema of `apiVersion kind`, or undefined when none is built in. */
  async find(apiVersion: string, kind: string): Promise<CustomSchema | undefined> {
    const served = await this.served(apiVersion, kind);
    const version = apiVersion.slice(apiVersion.indexOf("/") + 1);
    if (!served?.versions.includes(version)) return undefined;
    const key = kindKey(apiVersion, kind);
    const known = this.entries.get(key);
    if (known) return known;
    const raw = (await cached(bundles, join(this.dir, "crds.json.gz"), readBundle))[key];
    if (!raw) return undefined;
    const entry: CustomSchema = { key, apiVersion, kind, schema: raw.schema, preserveAll: raw.preserveAll === true, origin: `the built-in ${served.release} CRD` };
    this.entries.set(key, entry);
    return entry;
  }

  /** The versions built in for the group and kind of `apiVersion`, whatever its version. */
  async served(apiVersion: string, kind: string): Promise<BuiltinServed | undefined> {
    const slash = apiVersion.indexOf("/");
    if (slash === -1) return undefined;
    const index = await cached(indexes, join(this.dir, "index.json"), readIndex);
    const entry = index.kinds[`${apiVersion.slice(0, slash)}/${kind}`];
    if (!entry) return undefined;
    const controller = index.controllers.find((c) => c.controller === entry.controller);
    return { release: controller ? `${controller.controller} ${controller.version}` : entry.controller, versions: entry.versions };
  }
}
