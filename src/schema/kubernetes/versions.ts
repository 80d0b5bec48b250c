/**
 * The Kubernetes minor versions Shipshape carries schemas for. Kept as a constant (not read
 * from the schemas folder) so version checks stay synchronous and free of I/O; a test keeps
 * it equal to the bundles that `npm run schemas` wrote.
 */
export const BUNDLED_VERSIONS: readonly string[] = ["1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"];

/** The newest bundled version: used when neither the config nor the CLI names one. */
export const DEFAULT_KUBERNETES_VERSION: string = BUNDLED_VERSIONS[BUNDLED_VERSIONS.length - 1] ?? "1.36";

export class UnknownKubernetesVersionError extends Error {
  constructor(
    readonly version: string,
    readonly available: readonly string[] = BUNDLED_VERSIONS,
  ) {
    super(`unknown Kubernetes version "${version}": Shipshape has schemas for ${available.join(", ")}`);
    this.name = "UnknownKubernetesVersionError";
  }
}

const VERSION = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?$/;

/**
 * "1.31.4", "v1.31", "1.31.0-gke.1200" → "1.31". Throws UnknownKubernetesVersionError, listing
 * the bundled versions, for anything else or for a version without bundled schemas.
 */
export function normalizeKubernetesVersion(version: string): string {
  const match = VERSION.exec(version.trim());
  if (!match) throw new UnknownKubernetesVersionError(version);
  const minor = `${Number(match[1])}.${Number(match[2])}`;
  if (!BUNDLED_VERSIONS.includes(minor)) throw new UnknownKubernetesVersionError(version);
  return minor;
}

/** The bundled minor after this one, if any ("1.31" → "1.32"). */
export function nextBundledVersion(version: string): string | undefined {
  const i = BUNDLED_VERSIONS.indexOf(version);
  return i === -1 ? undefined : BUNDLED_VERSIONS[i + 1];
}
