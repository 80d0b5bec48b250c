/**
 * Service `volumes`, short syntax (`./data:/data:ro`, `db:/var/lib/db`, `/cache`) expanded to
 * the long form Compose prints. Bind sources are resolved to repo-relative paths (see paths.ts).
 * Targets are container paths cleaned as compose-go cleans them (Go's path.Clean: `/data/` is
 * `/data`): short syntax when it is expanded, the long form after the merge (cleanVolumeTargets),
 * as compose-go's transform and normalisation do.
 */
import { posix } from "node:path";
import { isHostAbsolute, resolveRepoPath } from "./paths.js";
import { FieldError } from "./shape-helpers.js";
import { isRecord } from "./tagged.js";

export type VolumeConfig = Record<string, unknown> & { type: string; target: string; source?: string };

const PROPAGATION = new Set(["shared", "slave", "private", "rshared", "rslave", "rprivate"]);

export function expandVolume(entry: unknown, baseDir: string): VolumeConfig | FieldError {
  if (typeof entry === "string") return expandShort(entry, baseDir);
  if (isRecord(entry)) return expandLong(entry, baseDir);
  return new FieldError(`unsupported volume entry ${JSON.stringify(entry)}`);
}

function expandShort(spec: string, baseDir: string): VolumeConfig | FieldError {
  if (spec === "") return new FieldError("empty volume entry");
  const parts = splitSpec(spec);
  if (parts.length > 3 || parts.some((p) => p === "")) {
    return new FieldError(`invalid volume "${spec}": expected [SOURCE:]TARGET[:MODE], e.g. "./data:/data:ro"`);
  }
  if (parts.length === 1) return { type: "volume", target: cleanPath(parts[0]!) };
  const [source, written, modes] = parts as [string, string, string | undefined];
  const target = cleanPath(written);
  const out: VolumeConfig = { type: isBindSource(source) ? "bind" : "volume", source, target };
  const bind: Record<string, unknown> = {};
  const volume: Record<string, unknown> = {};
  for (const mode of (modes ?? "").split(",").filter(Boolean)) {
    if (mode === "ro") out.read_only = true;
    else if (mode === "rw") continue;
    else if (mode === "nocopy") volume.nocopy = true;
    else if (mode === "z" || mode === "Z") bind.selinux = mode;
    else if (PROPAGATION.has(mode)) bind.propagation = mode;
  }
  if (out.type === "bind") {
    out.source = resolveRepoPath(baseDir, source);
    // Short syntax implies creating a missing host directory (legacy docker-compose behaviour).
    out.bind = { create_host_path: true, ...bind };
  } else if (Object.keys(volume).length > 0) {
    out.volume = volume;
  }
  return out;
}

/** Splits on colons, keeping a Windows drive letter ("C:\data") in one piece. */
function splitSpec(spec: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    const driveColon = c === ":" && current.length === 1 && /[a-zA-Z]/.test(current) && /[\\/]/.test(spec[i + 1] ?? "");
    if (c === ":" && !driveColon) {
      parts.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

function isBindSource(source: string): boolean {
  return source.startsWith(".") || source.startsWith("~") || isHostAbsolute(source);
}

function expandLong(entry: Record<string, unknown>, baseDir: string): VolumeConfig | FieldError {
  if (typeof entry.target !== "string" || entry.target === "") {
    return new FieldError(`volume entry ${JSON.stringify(entry)} needs a target`);
  }
  const type = typeof entry.type === "string" ? entry.type : "volume";
  const out: VolumeConfig = { ...entry, type, target: entry.target };
  if (type === "bind" && typeof entry.source === "string") out.source = resolveRepoPath(baseDir, entry.source);
  return out;
}

/** Volume targets of a merged service cleaned, as compose-go's normalisation does for every entry. */
export function cleanVolumeTargets(volumes: readonly unknown[]): unknown[] {
  return volumes.map((v) => (isRecord(v) && typeof v.target === "string" && v.target !== "" ? { ...v, target: cleanPath(v.target) } : v));
}

/** Go's path.Clean: no `.` or `..` segments, no doubled or trailing slash. */
export function cleanPath(p: string): string {
  const normal = posix.normalize(p);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}
