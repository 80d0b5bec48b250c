/**
 * values.schema.json files inside vendored chart archives. helm loads every `charts/*.tgz`
 * of a chart, and the archives inside those, each with its own schema; so archives inside
 * archives are opened too, down to a depth and within a byte budget. Whatever cannot be
 * inspected (too deep, too big, unreadable) is reported as external: Shipshape cannot vouch
 * for what helm would load from it.
 */
import { posix } from "node:path";
import { list, Parser, type ReadEntry } from "tar";
import { hasExternalRef, SCHEMA_NAME } from "./schema-text.js";

/** Per-entry cap when reading a schema out of an archive. */
const MAX_SCHEMA_BYTES = 4 * 1024 * 1024;
/** An archive inside an archive is read into memory: at most this big. */
const MAX_NESTED_ARCHIVE_BYTES = 16 * 1024 * 1024;
/** The outer archive is depth 1; helm's charts seldom nest deeper than 2. */
const MAX_DEPTH = 4;
/** Bytes read into memory per outer archive, schemas and nested archives together. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

interface Budget {
  bytes: number;
}

/** Entries (`inner-0.1.0.tgz → inner/values.schema.json`) whose schema has external refs or cannot be inspected. */
export async function externalSchemasInArchive(file: string): Promise<string[]> {
  return readArchive({ file }, 1, { bytes: MAX_TOTAL_BYTES });
}

async function readArchive(source: { file: string } | { data: Buffer }, depth: number, budget: Budget): Promise<string[]> {
  const found: string[] = [];
  const nested: { name: string; data: Promise<Buffer | undefined> }[] = [];
  const reads: Promise<void>[] = [];
  const onReadEntry = (entry: ReadEntry) => {
    const name = helmName(entry.path);
    const base = posix.basename(name);
    const isSchema = base === SCHEMA_NAME;
    const isArchive = base.toLowerCase().endsWith(".tgz");
    // helm reads every entry but directories as a file (a link's data is empty).
    if (entry.type === "Directory" || (!isSchema && !isArchive)) return;
    const cap = isSchema ? MAX_SCHEMA_BYTES : MAX_NESTED_ARCHIVE_BYTES;
    if (entry.size > cap || entry.size > budget.bytes || (isArchive && depth >= MAX_DEPTH)) {
      found.push(isArchive ? `${entry.path}: not inspected (too big or nested too deep)` : entry.path);
      return;
    }
    budget.bytes -= entry.size;
    const data = collect(entry);
    if (isArchive) nested.push({ name: entry.path, data });
    else reads.push(data.then((bytes) => void ((bytes === undefined || hasExternalRef(bytes.toString("utf8"))) && found.push(entry.path))));
  };
  try {
    // Strict: an archive node-tar reads only in part (helm's reader might read it whole) is unreadable.
    if ("file" in source) await list({ file: source.file, onReadEntry, strict: true });
    else await parseBuffer(source.data, onReadEntry);
    await Promise.all(reads);
  } catch {
    return ["unreadable archive"];
  }
  for (const archive of nested) {
    const data = await archive.data;
    const inner = data === undefined ? ["unreadable archive"] : await readArchive({ data }, depth + 1, budget);
    found.push(...inner.map((entry) => `${archive.name} → ${entry}`));
  }
  return found;
}

function collect(entry: ReadEntry): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  entry.on("data", (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => {
    entry.on("end", () => resolve(Buffer.concat(chunks)));
    entry.on("error", () => resolve(undefined));
  });
}

function parseBuffer(data: Buffer, onReadEntry: (entry: ReadEntry) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry) => {
        onReadEntry(entry);
        entry.resume();
      },
    });
    parser.on("end", () => resolve());
    parser.on("error", reject);
    parser.end(data);
  });
}

/**
 * The name helm's archive loader gives an entry: the first segment dropped, split on `\` when
 * the name has one (archives made on Windows), cleaned. Only used to recognise schemas and
 * archives, so the two readers agree on which entries matter.
 */
function helmName(raw: string): string {
  const delimiter = raw.includes("\\") ? "\\" : "/";
  const parts = raw.split(delimiter);
  return posix.normalize(parts.slice(1).join("/"));
}
