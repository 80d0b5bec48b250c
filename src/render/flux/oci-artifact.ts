/**
 * A Flux `OCIRepository` as a Kustomization's source: an artifact `flux push artifact` made (a
 * manifest whose layer is a gzipped tarball of manifests, media type
 * application/vnd.cncf.flux.content.v1.tar+gzip), pulled in Node like an OCI chart (oci-pull.ts:
 * allowed hosts only, every digest checked) and extracted by our own extraction into a scratch
 * folder (paths, links, sizes and entry counts judged entry by entry), then read as a tree.
 * As source-controller: `ref.digest`, else `ref.semver` (highest matching tag), else `ref.tag`,
 * else the `latest` tag; `layerSelector.mediaType` picks the first layer of that type (else the
 * first layer); `operation` extract or copy gives the controller the same files here (copy keeps
 * the tarball, which kustomize-controller then unpacks).
 */
import { join } from "node:path";
import type { InputProblem, RenderLimits, Tree } from "../../core/ports.js";
import { openDirectory } from "../../repo/dir-source.js";
import { extractTarball } from "../../repo/tarball.js";
import type { ToolOptions } from "../tool-options.js";
import { isPlainObject } from "../../yaml/parse.js";
import { checkAllowedHost } from "./allowed-hosts.js";
import type { FluxObject } from "./objects.js";
import { pullOciChart } from "./oci-pull.js";
import { sourceAuth } from "./source-auth.js";
import { scratchFolder } from "./scratch.js";

const MAX_LAYER_BYTES = 50 * 1024 ** 2;
const PULL_TIMEOUT_MS = 60_000;
const ARTIFACT_LIMITS = { maxCompressedBytes: MAX_LAYER_BYTES, maxEntries: 20_000, maxBytes: 500 * 1024 ** 2, maxEntryBytes: 50 * 1024 ** 2 };

/** `warnings`: entries the extraction left out (unsafe paths, links out of the artifact). */
export type ArtifactPull = { ok: true; tree: Tree; warnings: InputProblem[] } | { ok: false; why: string };

export async function pullOciArtifact(source: FluxObject, opts: ToolOptions, limits: Pick<RenderLimits, "signal">): Promise<ArtifactPull> {
  const spec = isPlainObject(source.body.spec) ? source.body.spec : {};
  const url = typeof spec.url === "string" ? spec.url.replace(/\/+$/, "") : "";
  const cut = url.lastIndexOf("/");
  if (!url.startsWith("oci://") || cut <= "oci://".length) return { ok: false, why: `its ${source.kind} ${source.namespace}/${source.name} has no oci:// URL` };
  const allowedHosts = opts.gitops?.allowedHosts ?? [];
  const host = checkAllowedHost(url, allowedHosts);
  if (!host.ok) return { ok: false, why: host.why };
  const selector = isPlainObject(spec.layerSelector) ? spec.layerSelector : {};
  const operation = selector.operation ?? "extract";
  if (operation !== "extract" && operation !== "copy") return { ok: false, why: `layerSelector.operation ${JSON.stringify(String(operation).slice(0, 40))} is neither extract nor copy` };
  const r = isPlainObject(spec.ref) ? spec.ref : {};
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const digest = str(r.digest);
  const semver = digest ? undefined : str(r.semver);
  const tag = digest || semver ? undefined : (str(r.tag) ?? "latest");
  const bounds = { timeoutMs: PULL_TIMEOUT_MS, ...(limits.signal ? { signal: limits.signal } : {}) };
  const mediaType = str(selector.mediaType);
  const pulled = await pullOciChart(
    { repoUrl: url.slice(0, cut), chart: url.slice(cut + 1), ...(digest ? { digest } : {}), ...(semver ? { version: semver } : {}), ...(tag ? { tag } : {}), layer: mediaType ? { mediaType } : {} },
    allowedHosts,
    bounds,
    MAX_LAYER_BYTES,
    // The operator's credentials for that host, when the OCIRepository says it authenticates (secretRef, provider).
    { ...(opts.gitops?.credentials ? { credentials: opts.gitops.credentials } : {}), ...(sourceAuth(spec).anonymous ? { anonymous: true } : {}) },
  );
  if (!pulled.ok) return { ok: false, why: `the artifact at ${url} could not be pulled: ${pulled.why}` };
  const work = await scratchFolder(opts, "flux-oci-artifact");
  const into = join(work, "artifact");
  let warnings: InputProblem[];
  try {
    warnings = (await extractTarball(pulled.data, into, ARTIFACT_LIMITS, { topFolder: false })).warnings;
  } catch (err) {
    return { ok: false, why: `the artifact at ${url} is not a readable gzipped tarball: ${(err as Error).message}` };
  }
  // Paths in these are the artifact's: said so, and not pinned to a file of the repository.
  const about = warnings.map(({ file: _file, line: _line, ...w }) => ({ ...w, message: `${source.kind} ${source.namespace}/${source.name} artifact: ${w.message}` }));
  return { ok: true, tree: await openDirectory(into, url, join(work, "tree")), warnings: about };
}
