/**
 * Per-file shaping of a service: short syntax expanded to the long form `docker compose
 * config` prints, and relative paths resolved against the directory the file's paths are
 * relative to. Shaping happens before merging so that `"8080:80"` in one file and the long
 * form in another are recognised as the same port, and `!reset`/`!override` markers pass
 * through untouched for the merger.
 */
import type { InputProblem } from "../../core/ports.js";
import { isRemoteContext, resolveRepoPath } from "./paths.js";
import { expandPort } from "./ports.js";
import { composeProblem } from "./problems.js";
import {
  FieldError,
  isFieldError,
  scalarString,
  throughTag,
  toIntIfNumeric,
  toKeyMapping,
  toList,
  toStringMapping,
} from "./shape-helpers.js";
import { shellSplit } from "./shell-split.js";
import { isRecord, isTagged, setKey } from "./tagged.js";
import type { KeyLines } from "./yaml-layer.js";
import { expandVolume } from "./volumes.js";

export interface ShapeContext {
  /** The Compose file being shaped (repo-relative), for messages. */
  file: string;
  /** Directory relative paths in this file are resolved against. */
  baseDir: string;
  keyLines: KeyLines;
  problems: InputProblem[];
}

type Shaper = (value: unknown, ctx: ShapeContext) => unknown;

const DEFAULT_DEPENDENCY = { condition: "service_started", required: true };

const listOfStrings: Shaper = (v) => toList(v);

const SERVICE_FIELDS: Record<string, Shaper> = {
  build: shapeBuild,
  command: shapeCommand,
  entrypoint: shapeCommand,
  healthcheck: shapeHealthcheck,
  depends_on: shapeDependsOn,
  env_file: shapeEnvFile,
  label_file: (v, ctx) => toList(v).map((p) => (typeof p === "string" ? resolveRepoPath(ctx.baseDir, p) : p)),
  environment: (v) => toStringMapping(v, null),
  labels: (v) => toStringMapping(v, ""),
  annotations: (v) => toStringMapping(v, ""),
  sysctls: (v) => toStringMapping(v, ""),
  extra_hosts: shapeExtraHosts,
  expose: listOfStrings,
  dns: listOfStrings,
  dns_search: listOfStrings,
  dns_opt: listOfStrings,
  tmpfs: listOfStrings,
  cap_add: listOfStrings,
  cap_drop: listOfStrings,
  profiles: listOfStrings,
  networks: (v) => toKeyMapping(v),
  ports: shapePorts,
  volumes: shapeVolumes,
  secrets: shapeMounts,
  configs: shapeMounts,
  extends: (v) => (typeof v === "string" ? { service: v } : v),
  deploy: shapeDeploy,
  scale: toIntIfNumeric,
  pull_policy: (v) => (v === "if_not_present" ? "missing" : v),
};

/** Shapes one service entry; returns the entry unchanged when it is a `!reset` marker. */
export function shapeService(name: string, raw: unknown, ctx: ShapeContext, line: number | undefined): unknown {
  return throughTag(raw, (inner) => {
    if (inner === null || inner === undefined) return {};
    if (!isRecord(inner)) {
      ctx.problems.push(
        composeProblem(
          "compose/invalid-value",
          "error",
          { file: ctx.file, line },
          `service "${name}" must be a mapping; give it at least an image or build`,
        ),
      );
      return {};
    }
    const lines = ctx.keyLines.get(inner);
    const out: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(inner)) {
      const shaper = SERVICE_FIELDS[field];
      const shaped = shaper ? throughTag(value, (v) => shaper(v, ctx)) : value;
      if (isFieldError(shaped)) {
        ctx.problems.push(
          composeProblem(
            "compose/invalid-value",
            "error",
            { file: ctx.file, line: lines?.get(field) ?? line },
            `service "${name}" ${field}: ${shaped.error}; fix the value`,
          ),
        );
        continue;
      }
      setKey(out, field, shaped);
    }
    return out;
  });
}

function shapeBuild(value: unknown, ctx: ShapeContext): unknown {
  if (typeof value === "string") return { context: resolveContext(value, ctx.baseDir) };
  if (!isRecord(value)) return new FieldError(`expected a path or a mapping, found ${JSON.stringify(value)}`);
  const out: Record<string, unknown> = { ...value };
  if (typeof value.context === "string") out.context = resolveContext(value.context, ctx.baseDir);
  for (const key of ["args", "labels"] as const) {
    if (value[key] === undefined) continue;
    const mapped = throughTag(value[key], (v) => toStringMapping(v, key === "args" ? null : ""));
    if (isFieldError(mapped)) return new FieldError(`${key}: ${mapped.error}`);
    out[key] = mapped;
  }
  if (value.extra_hosts !== undefined) out.extra_hosts = throughTag(value.extra_hosts, shapeExtraHosts);
  if (value.additional_contexts !== undefined) {
    const contexts = throughTag(value.additional_contexts, (v) => toStringMapping(v, ""));
    if (isFieldError(contexts)) return new FieldError(`additional_contexts: ${contexts.error}`);
    out.additional_contexts = contexts;
  }
  return out;
}

function resolveContext(context: string, baseDir: string): string {
  return isRemoteContext(context) ? context : resolveRepoPath(baseDir, context);
}

/** Shell-form strings become argument lists, as Compose stores them. */
function shapeCommand(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(scalarString);
  if (typeof value !== "string") return new FieldError(`expected a string or a list of strings, found ${JSON.stringify(value)}`);
  const words = shellSplit(value);
  return Array.isArray(words) ? words : new FieldError(words.error);
}

function shapeHealthcheck(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = { ...value };
  const test = value.test;
  if (typeof test === "string") out.test = ["CMD-SHELL", test];
  else if (Array.isArray(test)) out.test = test.map(scalarString);
  if (value.retries !== undefined) out.retries = toIntIfNumeric(value.retries);
  return out;
}

function shapeDependsOn(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const item of value) {
      if (typeof item !== "string") return new FieldError(`expected a list of service names, found ${JSON.stringify(item)}`);
      setKey(out, item, { ...DEFAULT_DEPENDENCY });
    }
    return out;
  }
  if (!isRecord(value)) return new FieldError(`expected a list or a mapping, found ${JSON.stringify(value)}`);
  const out: Record<string, unknown> = {};
  for (const [svc, dep] of Object.entries(value)) {
    if (isTagged(dep)) setKey(out, svc, dep);
    else if (dep === null || dep === undefined) setKey(out, svc, { ...DEFAULT_DEPENDENCY });
    else if (isRecord(dep)) setKey(out, svc, { ...DEFAULT_DEPENDENCY, ...dep });
    else return new FieldError(`depends_on.${svc} must be a mapping, found ${JSON.stringify(dep)}`);
  }
  return out;
}

function shapeEnvFile(value: unknown, ctx: ShapeContext): unknown {
  const out: Record<string, unknown>[] = [];
  for (const item of toList(value)) {
    if (typeof item === "string") {
      out.push({ path: resolveRepoPath(ctx.baseDir, item), required: true });
      continue;
    }
    if (!isRecord(item) || typeof item.path !== "string") return new FieldError(`expected a path or {path, required}, found ${JSON.stringify(item)}`);
    out.push({ ...item, path: resolveRepoPath(ctx.baseDir, item.path), required: item.required ?? true });
  }
  return out;
}

/** Host entries as "host=ip" strings; `{host: [ip1, ip2]}` gives one string per address. */
function shapeExtraHosts(value: unknown): unknown {
  if (isRecord(value)) {
    const out: string[] = [];
    for (const [host, ips] of Object.entries(value)) {
      for (const ip of Array.isArray(ips) ? ips : [ips]) out.push(`${host}=${String(ip)}`);
    }
    return out;
  }
  const out: string[] = [];
  for (const item of toList(value)) {
    if (typeof item !== "string") return new FieldError(`expected "host=ip" strings, found ${JSON.stringify(item)}`);
    const eq = item.indexOf("=");
    const colon = item.indexOf(":");
    const at = eq >= 0 ? eq : colon;
    if (at < 0) return new FieldError(`invalid host entry "${item}": expected "host=ip"`);
    out.push(`${item.slice(0, at)}=${item.slice(at + 1)}`);
  }
  return out;
}

function shapePorts(value: unknown): unknown {
  if (!Array.isArray(value)) return new FieldError(`expected a list, found ${JSON.stringify(value)}`);
  const out: unknown[] = [];
  for (const entry of value) {
    const expanded = expandPort(entry);
    if (isFieldError(expanded)) return expanded;
    out.push(...expanded);
  }
  return out;
}

function shapeVolumes(value: unknown, ctx: ShapeContext): unknown {
  if (!Array.isArray(value)) return new FieldError(`expected a list, found ${JSON.stringify(value)}`);
  const out: unknown[] = [];
  for (const entry of value) {
    const expanded = expandVolume(entry, ctx.baseDir);
    if (isFieldError(expanded)) return expanded;
    out.push(expanded);
  }
  return out;
}

/** Service `secrets`/`configs`: a bare name becomes `{source}`. */
function shapeMounts(value: unknown): unknown {
  if (!Array.isArray(value)) return new FieldError(`expected a list, found ${JSON.stringify(value)}`);
  const out: unknown[] = [];
  for (const entry of value) {
    if (typeof entry === "string") out.push({ source: entry });
    else if (isRecord(entry) && typeof entry.source === "string") out.push({ ...entry });
    else return new FieldError(`expected a name or {source, target}, found ${JSON.stringify(entry)}`);
  }
  return out;
}

function shapeDeploy(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = { ...value };
  if (value.replicas !== undefined) out.replicas = toIntIfNumeric(value.replicas);
  if (value.labels !== undefined) {
    const labels = throughTag(value.labels, (v) => toStringMapping(v, ""));
    if (isFieldError(labels)) return new FieldError(`labels: ${labels.error}`);
    out.labels = labels;
  }
  return out;
}
