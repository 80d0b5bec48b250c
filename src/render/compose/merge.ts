/**
 * Merging shaped Compose files in order, per compose-spec merge.md and compose-go's
 * override package: mappings merge recursively, sequences append (with the uniqueness rules
 * in unique.ts), `command`/`entrypoint`/`healthcheck.test` are replaced, `!reset` removes a
 * value and `!override` replaces it without merging. Nothing here mutates its inputs.
 */
import { isRecord, isTagged, setKey, stripTags } from "./tagged.js";
import { UNIQUE_SERVICE_FIELDS, uniqueBy } from "./unique.js";

const DELETE = Symbol("delete");
type Merged = unknown | typeof DELETE;
type Merger = (base: unknown, over: unknown) => Merged;

const NAMED_SECTIONS = new Set(["services", "networks", "volumes", "secrets", "configs"]);

/** Merges one shaped file (`over`) onto the result of the earlier ones (`base`). */
export function mergeProjects(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  return mergeRecords(base, over, (key) => {
    if (key === "services") return (b, o) => mergeSection(b, o, mergeService);
    if (NAMED_SECTIONS.has(key)) return (b, o) => mergeSection(b, o, mergeGeneric);
    return mergeGeneric;
  });
}

/** Merges two definitions of one service: an override file's, or an `extends` child's. */
export function mergeService(base: unknown, over: unknown): Merged {
  return withTags(base, over, (b, o) => {
    if (!isRecord(b) || !isRecord(o)) return stripTags(o);
    return mergeRecords(b, o, (field) => SERVICE_FIELDS[field] ?? mergeGeneric);
  });
}

/** `!reset`, `!override`, "nothing to merge with" and `null` handled once for every rule. */
function withTags(base: unknown, over: unknown, merge: (b: unknown, o: unknown) => unknown): Merged {
  if (isTagged(over)) return over.tag === "reset" ? DELETE : stripTags(over.value);
  if (base === undefined) return stripTags(over);
  // compose-go keeps the earlier value when the later file gives an explicit null.
  if (over === null) return base;
  return merge(base, over);
}

const replace: Merger = (base, over) => withTags(base, over, (_b, o) => stripTags(o));

const mergeGeneric: Merger = (base, over) =>
  withTags(base, over, (b, o) => {
    if (isRecord(b) && isRecord(o)) return mergeRecords(b, o, () => mergeGeneric);
    if (Array.isArray(b) && Array.isArray(o)) return [...b, ...(stripTags(o) as unknown[])];
    return stripTags(o);
  });

/** Key/value fields (environment, labels...): a later key replaces, even with null. */
const mergeKeyed: Merger = (base, over) =>
  withTags(base, over, (b, o) => {
    if (!isRecord(b) || !isRecord(o)) return stripTags(o);
    return mergeRecords(b, o, () => (_bv, ov) => (isTagged(ov) ? (ov.tag === "reset" ? DELETE : stripTags(ov.value)) : ov));
  });

function appendUnique(keyOf: (e: unknown) => string): Merger {
  return (base, over) =>
    withTags(base, over, (b, o) => {
      if (!Array.isArray(b) || !Array.isArray(o)) return stripTags(o);
      return uniqueBy([...b, ...(stripTags(o) as unknown[])], keyOf);
    });
}

function mergeRecordsWith(rules: Record<string, Merger>): Merger {
  return (base, over) =>
    withTags(base, over, (b, o) => {
      if (!isRecord(b) || !isRecord(o)) return stripTags(o);
      return mergeRecords(b, o, (key) => rules[key] ?? mergeGeneric);
    });
}

/** Logging options merge only when both files use the same driver (or one names none). */
const mergeLogging: Merger = (base, over) =>
  withTags(base, over, (b, o) => {
    if (isRecord(b) && isRecord(o) && b.driver !== undefined && o.driver !== undefined && b.driver !== o.driver) return stripTags(o);
    return mergeGeneric(b, o);
  });

const SERVICE_FIELDS: Record<string, Merger> = {
  command: replace,
  entrypoint: replace,
  healthcheck: mergeRecordsWith({ test: replace }),
  environment: mergeKeyed,
  labels: mergeKeyed,
  annotations: mergeKeyed,
  sysctls: mergeKeyed,
  ulimits: mergeRecordsWith({}),
  build: mergeRecordsWith({ args: mergeKeyed, labels: mergeKeyed, additional_contexts: mergeKeyed }),
  deploy: mergeRecordsWith({ labels: mergeKeyed }),
  logging: mergeLogging,
  ...Object.fromEntries(Object.entries(UNIQUE_SERVICE_FIELDS).map(([field, keyOf]) => [field, appendUnique(keyOf)])),
};

function mergeSection(base: unknown, over: unknown, mergeEntry: Merger): Merged {
  return withTags(base, over, (b, o) => {
    if (!isRecord(b) || !isRecord(o)) return stripTags(o);
    return mergeRecords(b, o, () => mergeEntry);
  });
}

function mergeRecords(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  ruleFor: (key: string) => Merger,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const merged = Object.hasOwn(base, key) ? ruleFor(key)(base[key], value) : isTagged(value) && value.tag === "reset" ? DELETE : stripTags(value);
    if (merged === DELETE) delete out[key];
    else setKey(out, key, merged);
  }
  return out;
}
