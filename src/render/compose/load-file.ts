/**
 * Loading one Compose file the way compose-go does before merging: parse, interpolate, shape,
 * then resolve `extends` inside the file (and into other files through `extends.file`).
 */
import type { InputProblem } from "../../core/ports.js";
import type { Lookup } from "./interpolate.js";
import { mergeProjects, mergeService } from "./merge.js";
import { dirOf, isOutsideRepo, resolveRepoPath } from "./paths.js";
import { composeProblem, type Where } from "./problems.js";
import { shapeDocument } from "./shape-top-level.js";
import { isRecord, isTagged, setKey, Tagged } from "./tagged.js";
import { loadYamlLayer, type KeyLines } from "./yaml-layer.js";

export interface LoadContext {
  lookup: Lookup;
  /** Reads a repo-relative file; undefined when it does not exist. */
  read(path: string): string | undefined;
  problems: InputProblem[];
  keyLines: KeyLines;
  /** Files loaded through `extends.file`, by path; null when missing or unreadable. */
  extendsCache: Map<string, LoadedFile | null>;
  /** Each loaded file's documents as read (before shaping), for source mapping. */
  rawDocs: Map<string, Record<string, unknown>[]>;
}

export interface LoadedFile {
  file: string;
  /** The shaped document(s) of the file, with `extends` resolved in its services. */
  value: Record<string, unknown>;
  /** Where each top-level entry (`services.web`, `networks.front`...) is defined. */
  lines: Map<string, number>;
}

/** Loads a file whose relative paths resolve against `baseDir`; undefined if it is unusable. */
export function loadComposeFile(file: string, text: string, baseDir: string, ctx: LoadContext): LoadedFile | undefined {
  const shaped = shapeFile(file, text, baseDir, ctx);
  if (!shaped) return undefined;
  const services = shaped.value.services;
  if (isRecord(services)) {
    const resolver = new ExtendsResolver(shaped, ctx);
    const resolved: Record<string, unknown> = {};
    for (const name of Object.keys(services)) setKey(resolved, name, resolver.resolve(name, []));
    shaped.value = { ...shaped.value, services: resolved };
  }
  return shaped;
}

function shapeFile(file: string, text: string, baseDir: string, ctx: LoadContext): LoadedFile | undefined {
  const layer = loadYamlLayer(text, file, ctx.lookup, ctx.keyLines);
  ctx.problems.push(...layer.problems);
  if (layer.fatal) return undefined;
  ctx.rawDocs.set(file, layer.docs.map((d) => d.value));
  const lines = new Map<string, number>();
  let value: Record<string, unknown> | undefined;
  for (const doc of layer.docs) {
    const shapeCtx = { file, baseDir, keyLines: ctx.keyLines, problems: ctx.problems };
    const shaped = shapeDocument(doc.value, shapeCtx, doc.line);
    // The first document keeps its !reset/!override markers for the merge with earlier files.
    value = value ? mergeProjects(value, shaped) : shaped;
    for (const [section, entries] of Object.entries(doc.value)) {
      const entryLines = isRecord(entries) ? ctx.keyLines.get(entries) : undefined;
      for (const [name, line] of entryLines ?? []) if (!lines.has(`${section}.${name}`)) lines.set(`${section}.${name}`, line);
    }
    const services = doc.value.services;
    for (const [name, raw] of isRecord(services) ? Object.entries(services) : []) {
      const extendsLine = ctx.keyLines.get(isTagged(raw) ? (raw.value as object) : (raw as object))?.get("extends");
      if (extendsLine) lines.set(`services.${name}.extends`, extendsLine);
    }
  }
  return { file, value: value ?? {}, lines };
}

/** Resolves `extends` for the services of one loaded file, detecting cycles across files. */
class ExtendsResolver {
  private readonly done = new Map<string, unknown>();
  private readonly services: Record<string, unknown>;

  constructor(
    private readonly loaded: LoadedFile,
    private readonly ctx: LoadContext,
  ) {
    this.services = isRecord(loaded.value.services) ? loaded.value.services : {};
  }

  /** `stack` lists the "file#service" keys being resolved, outermost first. */
  resolve(name: string, stack: string[]): unknown {
    if (this.done.has(name)) return this.done.get(name);
    const service = this.services[name];
    const result = this.extend(name, service, stack);
    this.done.set(name, result);
    return result;
  }

  private extend(name: string, service: unknown, stack: string[]): unknown {
    if (!isTagged(service)) return this.extendEntry(name, service, stack);
    return service.tag === "reset" ? service : new Tagged("override", this.extendEntry(name, service.value, stack));
  }

  private extendEntry(name: string, service: unknown, stack: string[]): unknown {
    if (!isRecord(service) || service.extends === undefined) return service;
    const { extends: ext, ...rest } = service;
    const line = this.loaded.lines.get(`services.${name}.extends`) ?? this.loaded.lines.get(`services.${name}`);
    const where: Where = { file: this.loaded.file, line };
    const key = `${this.loaded.file}#${name}`;
    if (stack.includes(key)) {
      const cycle = [...stack.slice(stack.indexOf(key)), key].join(" -> ");
      this.ctx.problems.push(composeProblem("compose/extends-cycle", "error", where, `extends cycle: ${cycle}; remove one of these extends`));
      return rest;
    }
    if (!isRecord(ext) || typeof ext.service !== "string") {
      this.ctx.problems.push(
        composeProblem("compose/invalid-value", "error", where, `service "${name}" extends: expected a service name or {service, file}`),
      );
      return rest;
    }
    const base = this.base(name, ext.service, typeof ext.file === "string" ? ext.file : undefined, [...stack, key], where);
    const merged = base === undefined ? rest : mergeService(isTagged(base) ? base.value : base, rest);
    return isRecord(merged) ? merged : rest;
  }

  private base(name: string, ref: string, file: string | undefined, stack: string[], where: Where): unknown {
    if (file === undefined) {
      if (!Object.hasOwn(this.services, ref)) {
        this.ctx.problems.push(
          composeProblem(
            "compose/extends-service-missing",
            "error",
            where,
            `service "${name}" extends "${ref}", which is not defined in ${this.loaded.file}; define it there or fix extends.service`,
          ),
        );
        return undefined;
      }
      return this.resolve(ref, stack);
    }
    // Relative paths in extends.file are relative to the file that holds the extends.
    const path = resolveRepoPath(dirOf(this.loaded.file), file);
    if (isOutsideRepo(path)) {
      this.ctx.problems.push(
        composeProblem(
          "render/outside-repo",
          "error",
          where,
          `service "${name}" extends a service in ${path}, outside the repository: Compose would read it from the machine it runs on, which a review cannot see; keep the file in the repository`,
        ),
      );
      return undefined;
    }
    const other = loadExtendedFile(path, this.ctx);
    if (!other) {
      this.ctx.problems.push(
        composeProblem(
          "compose/extends-file-missing",
          "error",
          where,
          `service "${name}" extends a service in ${path}, which does not exist or cannot be read; fix extends.file`,
        ),
      );
      return undefined;
    }
    const services = isRecord(other.value.services) ? other.value.services : {};
    if (!Object.hasOwn(services, ref)) {
      this.ctx.problems.push(
        composeProblem(
          "compose/extends-service-missing",
          "error",
          where,
          `service "${name}" extends "${ref}", which is not defined in ${path}; define it there or fix extends.service`,
        ),
      );
      return undefined;
    }
    return otherResolver(other, this.ctx).resolve(ref, stack);
  }
}

const resolvers = new WeakMap<LoadedFile, ExtendsResolver>();

function otherResolver(file: LoadedFile, ctx: LoadContext): ExtendsResolver {
  let r = resolvers.get(file);
  if (!r) {
    r = new ExtendsResolver(file, ctx);
    resolvers.set(file, r);
  }
  return r;
}

/** A file named by extends.file: shaped with its own directory as the base for relative paths. */
function loadExtendedFile(path: string, ctx: LoadContext): LoadedFile | null {
  const cached = ctx.extendsCache.get(path);
  if (cached !== undefined) return cached;
  const text = ctx.read(path);
  const loaded = text === undefined ? null : (shapeFile(path, text, dirOf(path), ctx) ?? null);
  ctx.extendsCache.set(path, loaded);
  return loaded;
}
