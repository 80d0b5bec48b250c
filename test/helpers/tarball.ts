/**
 * Tarballs for tests: `githubTarball` lays a directory out like GitHub's tarball endpoint does, and
 * `rawTar` writes ustar headers by hand, for the malicious archives a real tar tool refuses to make
 * (`..` paths, absolute paths, links followed by files through them, devices).
 */
import { readdir } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { create } from "tar";

const TYPEFLAGS = {
  file: "0",
  hardlink: "1",
  symlink: "2",
  char: "3",
  block: "4",
  dir: "5",
  fifo: "6",
  pax: "x",
  "pax-global": "g",
} as const;

export interface RawEntry {
  path: string;
  /** A named type, or any single typeflag character. Defaults to a file. */
  type?: keyof typeof TYPEFLAGS | (string & {});
  body?: string | Buffer;
  linkpath?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  /** The size the header declares, when it should not be the body's (a lie, or a huge file). */
  declaredSize?: number;
  /** Writes a wrong checksum. */
  badChecksum?: boolean;
}

/** One 512-byte ustar header; paths longer than 100 bytes need a pax entry before it. */
export function tarHeader(entry: RawEntry): Buffer {
  const header = Buffer.alloc(512);
  const body = toBuffer(entry.body);
  const type = entry.type ?? "file";
  const flag: string = type in TYPEFLAGS ? TYPEFLAGS[type as keyof typeof TYPEFLAGS] : type;
  const isDir = flag === "5";
  field(header, 0, 100, Buffer.from(entry.path));
  octal(header, 100, 8, entry.mode ?? (isDir ? 0o755 : 0o644));
  octal(header, 108, 8, entry.uid ?? 0);
  octal(header, 116, 8, entry.gid ?? 0);
  octal(header, 124, 12, entry.declaredSize ?? body.length);
  octal(header, 136, 12, 1_700_000_000);
  header.write(flag, 156, 1, "latin1");
  field(header, 157, 100, Buffer.from(entry.linkpath ?? ""));
  header.write("ustar\u000000", 257, 8, "latin1");
  field(header, 265, 32, Buffer.from("git"));
  field(header, 297, 32, Buffer.from("git"));
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  if (entry.badChecksum) sum += 1;
  header.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "latin1");
  return header;
}

/** A tar of the entries, each body padded to 512 bytes, ended by two zero blocks unless `end` is false. */
export function rawTar(entries: RawEntry[], { end = true }: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const body = toBuffer(entry.body);
    parts.push(tarHeader(entry), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A pax header body: `<length> <key>=<value>\n` records, the length counting itself. */
export function paxRecords(fields: Record<string, string>): string {
  let out = "";
  for (const [key, value] of Object.entries(fields)) {
    const rest = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(rest) + 1;
    while (String(length).length + Buffer.byteLength(rest) !== length) length += 1;
    out += `${length}${rest}`;
  }
  return out;
}

export function gzip(tar: Buffer): Buffer {
  return gzipSync(tar);
}

/**
 * A gzipped tarball of `dir` as GitHub serves it: a pax global header carrying the commit id,
 * then every entry under `prefix/`. The entries come from node-tar, a real tar writer.
 */
export async function githubTarball(dir: string, prefix: string): Promise<Buffer> {
  const head = rawTar(
    [
      { path: "pax_global_header", type: "pax-global", body: paxRecords({ comment: "0123abcd0123abcd0123abcd0123abcd0123abcd" }) },
      { path: `${prefix}/`, type: "dir" },
    ],
    { end: false },
  );
  const names = (await readdir(dir)).sort();
  const chunks: Buffer[] = [];
  for await (const chunk of create({ cwd: dir, prefix, portable: true }, names)) chunks.push(chunk as Buffer);
  return gzip(Buffer.concat([head, ...chunks]));
}

function toBuffer(body: string | Buffer | undefined): Buffer {
  return typeof body === "string" ? Buffer.from(body) : (body ?? Buffer.alloc(0));
}

function field(header: Buffer, offset: number, length: number, value: Buffer): void {
  if (value.length > length) throw new Error(`tar header field too long: ${value.toString()}`);
  value.copy(header, offset);
}

function octal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, "0")}\u0000`, offset, length, "latin1");
}
