import { createReadStream } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SourceError } from "../../src/repo/errors.js";
import { DEFAULT_LISTING_LIMITS, symlinkWarning } from "../../src/repo/lazy-tree.js";
import { unsafePathProblem } from "../../src/repo/safe-path.js";
import { DEFAULT_ARCHIVE_LIMITS, extractTarball, openTarball, type ArchiveLimits } from "../../src/repo/tarball.js";
import { githubTarball, gzip, paxRecords, rawTar, type RawEntry } from "../helpers/tarball.js";

const TOP = "octo-repo-0123abc";
const HEAD = "fixtures/demo/head";
const SENTINEL = "do not touch\n";

let work: string;
let into: string;
let outside: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-tarball-"));
  into = join(work, "x");
  outside = join(work, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "sentinel.txt"), SENTINEL);
});
afterEach(async () => {
  // Whatever a test extracted, nothing may appear or change outside the extraction folder.
  expect((await walk(work)).filter((p) => !/^x(\.tree)?(\/|$)/.test(p))).toEqual(["outside", "outside/sentinel.txt"]);
  expect(await readFile(join(outside, "sentinel.txt"), "utf8")).toBe(SENTINEL);
  await rm(work, { recursive: true, force: true });
});

/** Every path under `dir`, symlinks included and not followed. */
async function walk(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    out.push(path);
    if (entry.isDirectory()) out.push(...(await walk(dir, path)));
  }
  return out.sort();
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of await walk(dir)) {
    if ((await lstat(join(dir, path))).isFile()) out[path] = await readFile(join(dir, path), "utf8");
  }
  return out;
}

/** A GitHub-like archive: global header, the folder, then `entries` (paths relative to the folder). */
function archive(entries: RawEntry[], options?: { end?: boolean }): Buffer {
  return gzip(tarOf(entries, options));
}

function tarOf(entries: RawEntry[], options?: { end?: boolean }): Buffer {
  const inFolder = entries.map((e) => ({ ...e, path: `${TOP}/${e.path}` }));
  return rawTar([{ path: "pax_global_header", type: "pax-global", body: paxRecords({ comment: "0123abc" }) }, { path: `${TOP}/`, type: "dir" }, ...inFolder], options);
}

const refused = (buffer: Buffer | Readable, limits?: ArchiveLimits) => expect(extractTarball(buffer, into, limits)).rejects;

const skipped = (file: string, what: string) => ({
  ruleId: "input/archive-entry-skipped",
  severity: "warning",
  message: `${file}: ${what} was not extracted; Shipshape extracts only files, directories and symbolic links.`,
  file,
});

describe("extracting a GitHub tarball", () => {
  it("extracts every file of the demo head with its contents, without the top-level folder", async () => {
    const { warnings } = await extractTarball(await githubTarball(HEAD, TOP), into);
    expect(warnings).toEqual([]);
    expect(await filesOf(into)).toEqual(await filesOf(HEAD));
    expect(Object.keys(await filesOf(into)).length).toBeGreaterThan(20);
  });

  it("opens the extracted folder as a tree, with extraction warnings before the listing's", async () => {
    const tar = archive([
      { path: "app/cm.yaml", body: "kind: ConfigMap\n" },
      { path: "app/hard.yaml", type: "hardlink", linkpath: `${TOP}/app/cm.yaml` },
      { path: "app/dirlink", type: "symlink", linkpath: "." },
    ]);
    const tree = await openTarball(tar, "head", into, join(work, "x.tree"));
    expect(tree.ref).toBe("head");
    expect(tree.files()).toEqual(["app/cm.yaml"]);
    expect(await tree.read("app/cm.yaml")).toBe("kind: ConfigMap\n");
    expect(tree.warnings).toEqual([skipped("app/hard.yaml", 'hard link to "app/cm.yaml"'), symlinkWarning("app/dirlink", ".", "directory")]);
  });

  it("reads the archive from a stream or a Uint8Array as well as a Buffer", async () => {
    const tar = await githubTarball(HEAD, TOP);
    await extractTarball(Readable.from([tar.subarray(0, 100), tar.subarray(100)]), into);
    expect(await filesOf(into)).toEqual(await filesOf(HEAD));
    const other = join(work, "x", "again");
    await extractTarball(new Uint8Array(tar), other);
    expect(await filesOf(other)).toEqual(await filesOf(HEAD));
    const onDisk = join(tmpdir(), `shipshape-tarball-${process.pid}.tar.gz`);
    await writeFile(onDisk, tar);
    try {
      await extractTarball(createReadStream(onDisk), join(work, "x", "file"));
      expect(await filesOf(join(into, "file"))).toEqual(await filesOf(HEAD));
    } finally {
      await rm(onDisk, { force: true });
    }
  });

  it("follows pax headers: long paths, and GitHub's global header", async () => {
    const long = `${"deep/".repeat(30)}values.yaml`;
    const tar = gzip(
      rawTar([
        { path: "pax_global_header", type: "pax-global", body: paxRecords({ comment: "0123abc" }) },
        { path: "PaxHeaders/long", type: "pax", body: paxRecords({ path: `${TOP}/${long}` }) },
        { path: `${TOP}/short-name`, body: "a: 1\n" },
      ]),
    );
    await extractTarball(tar, into);
    expect(await filesOf(into)).toEqual({ [long]: "a: 1\n" });
  });

  it("ignores what follows the end-of-archive marker, as GitHub pads its archives", async () => {
    const tar = gzip(Buffer.concat([tarOf([{ path: "a.yaml", body: "a: 1\n" }]), Buffer.alloc(8192), Buffer.from("trailing junk")]));
    await extractTarball(tar, into);
    expect(await filesOf(into)).toEqual({ "a.yaml": "a: 1\n" });
  });

  it("sets safe modes: no setuid, setgid, sticky or executable bits", async () => {
    await extractTarball(archive([{ path: "bin/", type: "dir", mode: 0o7777 }, { path: "bin/run.sh", body: "#!/bin/sh\n", mode: 0o6755 }]), into);
    expect((await stat(join(into, "bin", "run.sh"))).mode & 0o7111).toBe(0);
    expect((await stat(join(into, "bin"))).mode & 0o7000).toBe(0);
  });

  it("ignores the ownership the archive declares, even when running as root", async () => {
    await extractTarball(archive([{ path: "d/", type: "dir", uid: 4242, gid: 4242 }, { path: "d/a.yaml", body: "a\n", uid: 4242, gid: 4242 }]), into);
    for (const path of ["d", "d/a.yaml"]) {
      const info = await stat(join(into, path));
      expect([info.uid, info.gid]).toEqual([process.getuid?.(), process.getgid?.()]);
    }
  });

  it("keeps the archive limits within the listing limits", () => {
    expect(DEFAULT_ARCHIVE_LIMITS).toEqual({ maxCompressedBytes: 200 * 1024 ** 2, maxEntries: 100_000, maxBytes: 1024 ** 3, maxEntryBytes: 100 * 1024 ** 2 });
    expect(DEFAULT_ARCHIVE_LIMITS.maxEntries).toBeLessThanOrEqual(DEFAULT_LISTING_LIMITS.maxEntries);
    expect(DEFAULT_ARCHIVE_LIMITS.maxBytes).toBeLessThanOrEqual(DEFAULT_LISTING_LIMITS.maxBytes);
  });

  it("refuses to extract into a folder that is not empty", async () => {
    await mkdir(into);
    await writeFile(join(into, "old"), "");
    await expect(extractTarball(archive([]), into)).rejects.toThrow(`${into}: extraction folder is not empty`);
  });
});

describe("unsafe paths and layouts", () => {
  it.each<[string, RawEntry[], string, string]>([
    ["an absolute path", [{ path: `${TOP}/ok.yaml`, body: "a\n" }, { path: "/tmp/pwned", body: "x" }], "/tmp/pwned", "an absolute path"],
    ["a .. segment", [{ path: `${TOP}/ok.yaml`, body: "a\n" }, { path: `${TOP}/../../outside/pwned`, body: "x" }], "../../outside/pwned", 'a ".." segment'],
    ["a .. segment written with backslashes", [{ path: `${TOP}/ok.yaml`, body: "a\n" }, { path: `${TOP}/a\\..\\..\\pwned`, body: "x" }], "a\\..\\..\\pwned", 'a ".." segment'],
    ["an empty segment", [{ path: `${TOP}/ok.yaml`, body: "a\n" }, { path: `${TOP}/a//pwned`, body: "x" }], "a//pwned", "an empty segment"],
    ["a ./ prefix", [{ path: `${TOP}/ok.yaml`, body: "a\n" }, { path: "./a.yaml", body: "a\n" }], "./a.yaml", 'a "." segment'],
  ])("skips %s with an input/unsafe-path finding, like the same path in a git tree", async (_name, entries, file, reason) => {
    const { warnings } = await extractTarball(gzip(rawTar(entries)), into);
    expect(warnings).toEqual([unsafePathProblem(file, reason)]);
    expect(await filesOf(into)).toEqual({ "ok.yaml": "a\n" });
  });

  it.each<[string, RawEntry[], string]>([
    [
      "a second top-level folder",
      [{ path: `${TOP}/a.yaml`, body: "a\n" }, { path: "other-folder/b.yaml", body: "b\n" }],
      `archive entry "other-folder/b.yaml": outside the top-level folder "${TOP}/"; Shipshape expects every entry under one folder, as in a GitHub tarball.`,
    ],
    [
      "a file at the top level",
      [{ path: "README.md", body: "hi\n" }],
      `archive entry "README.md": not inside a top-level folder; Shipshape expects every entry under one folder, as in a GitHub tarball.`,
    ],
  ])("refuses %s", async (_name, entries, message) => {
    const err = await extractTarball(gzip(rawTar(entries)), into).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe(message);
  });

  it("skips a path that a pax header sets to escape", async () => {
    const tar = gzip(rawTar([{ path: `${TOP}/`, type: "dir" }, { path: "PaxHeaders/x", type: "pax", body: paxRecords({ path: `${TOP}/../outside/pwned` }) }, { path: `${TOP}/innocent`, body: "x" }]));
    const { warnings } = await extractTarball(tar, into);
    expect(warnings).toEqual([unsafePathProblem("../outside/pwned", 'a ".." segment')]);
    expect(await filesOf(into)).toEqual({});
  });

  it("never writes through a symlink: a link outside is dropped, so the next entry lands inside", async () => {
    const { warnings } = await extractTarball(archive([{ path: "a", type: "symlink", linkpath: outside }, { path: "a/pwned", body: "x" }]), into);
    expect(warnings).toEqual([symlinkWarning("a", outside, "outside")]);
    expect((await lstat(join(into, "a"))).isDirectory()).toBe(true);
    expect(await filesOf(into)).toEqual({ "a/pwned": "x" });
  });

  it("refuses an entry inside a symlink that stays inside the folder", async () => {
    const tar = archive([{ path: "sub/", type: "dir" }, { path: "a", type: "symlink", linkpath: "sub" }, { path: "a/x.yaml", body: "x" }]);
    await refused(tar).toThrow(
      `archive entry "${TOP}/a/x.yaml": inside "a", which an earlier entry made a symbolic link; Shipshape never writes through links.`,
    );
    expect(await readdir(join(into, "sub"))).toEqual([]);
  });

  it("replaces a symlink by a later file of the same name instead of writing through it", async () => {
    await extractTarball(archive([{ path: "real.yaml", body: "real\n" }, { path: "l.yaml", type: "symlink", linkpath: "real.yaml" }, { path: "l.yaml", body: "over\n" }]), into);
    expect((await lstat(join(into, "l.yaml"))).isFile()).toBe(true);
    expect(await filesOf(into)).toEqual({ "l.yaml": "over\n", "real.yaml": "real\n" });
  });
});

describe("links and special entries", () => {
  it("keeps symlinks inside the folder and drops those leading outside, with a warning", async () => {
    const { warnings } = await extractTarball(
      archive([
        { path: "app/cm.yaml", body: "kind: ConfigMap\n" },
        { path: "app/alias.yaml", type: "symlink", linkpath: "cm.yaml" },
        { path: "app/up.yaml", type: "symlink", linkpath: "../app/cm.yaml" },
        { path: "app/passwd", type: "symlink", linkpath: "/etc/passwd" },
        { path: "app/escape", type: "symlink", linkpath: "../../outside/sentinel.txt" },
        { path: "here", type: "symlink", linkpath: "." },
        { path: "app/through", type: "symlink", linkpath: "../here/.." },
      ]),
      into,
    );
    expect(await readlink(join(into, "app", "alias.yaml"))).toBe("cm.yaml");
    expect(await readlink(join(into, "app", "up.yaml"))).toBe("../app/cm.yaml");
    expect(await readFile(join(into, "app", "alias.yaml"), "utf8")).toBe("kind: ConfigMap\n");
    expect(await walk(into)).toEqual(["app", "app/alias.yaml", "app/cm.yaml", "app/up.yaml", "here"]);
    expect(warnings).toEqual([
      symlinkWarning("app/passwd", "/etc/passwd", "outside"),
      symlinkWarning("app/escape", "../../outside/sentinel.txt", "outside"),
      // lexically inside, but `here` is the folder itself: only the disk knows it escapes
      symlinkWarning("app/through", "../here/..", "outside"),
    ]);
  });

  it("skips hard links, devices, FIFOs and unknown types with a warning", async () => {
    const { warnings } = await extractTarball(
      archive([
        { path: "a.yaml", body: "a\n" },
        { path: "hard.yaml", type: "hardlink", linkpath: `${TOP}/a.yaml` },
        { path: "hard-out", type: "hardlink", linkpath: "/etc/passwd" },
        { path: "tty", type: "char" },
        { path: "disk", type: "block" },
        { path: "pipe", type: "fifo" },
        { path: "sparse", type: "S", body: "zzz" },
        { path: "b.yaml", body: "b\n" },
      ]),
      into,
    );
    expect(await walk(into)).toEqual(["a.yaml", "b.yaml"]);
    expect(warnings).toEqual([
      skipped("hard.yaml", 'hard link to "a.yaml"'),
      skipped("hard-out", 'hard link to "/etc/passwd"'),
      skipped("tty", "character device"),
      skipped("disk", "block device"),
      skipped("pipe", "FIFO"),
      skipped("sparse", 'entry of type "SparseFile"'),
    ]);
  });
});

describe("limits", () => {
  const tiny: ArchiveLimits = { maxCompressedBytes: 1 << 20, maxEntries: 4, maxBytes: 20, maxEntryBytes: 10 };
  const TOO_LARGE = "Shipshape refuses archives this large; remove large files from the repository or raise the archive limits.";

  it("extracts an archive right at the limits", async () => {
    // the folder entry counts: 1 + 3 entries, 10 + 10 bytes
    await extractTarball(archive([{ path: "a", body: "0123456789" }, { path: "b", body: "0123456789" }, { path: "c/", type: "dir" }]), into, tiny);
    expect(await walk(into)).toEqual(["a", "b", "c"]);
  });

  it.each<[string, RawEntry[], string, string[]]>([
    [
      "too many entries",
      [{ path: "a", body: "1" }, { path: "b", body: "2" }, { path: "c", body: "3" }, { path: "d", body: "4" }],
      `archive entry "${TOP}/d": more than 4 entries; ${TOO_LARGE}`,
      ["a", "b", "c"],
    ],
    [
      "an entry over the per-entry limit",
      [{ path: "a", body: "1" }, { path: "big", body: "01234567890" }],
      `archive entry "${TOP}/big": declares 11 bytes, over the 10-byte limit for one entry; ${TOO_LARGE}`,
      ["a"],
    ],
    [
      "a declared size with no body behind it",
      [{ path: "huge", declaredSize: 5 * 1024 ** 3 }],
      `archive entry "${TOP}/huge": declares 5368709120 bytes, over the 10-byte limit for one entry; ${TOO_LARGE}`,
      [],
    ],
    [
      "a declared total over the limit",
      [{ path: "a", body: "0123456789" }, { path: "b", body: "0123456789" }, { path: "c", body: "0" }],
      `archive entry "${TOP}/c": brings the declared total to 21 bytes, over the 20-byte limit; ${TOO_LARGE}`,
      ["a", "b"],
    ],
  ])("refuses %s before writing the entry", async (_name, entries, message, written) => {
    const err = await extractTarball(archive(entries, { end: false }), into, tiny).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe(message);
    expect(await walk(into)).toEqual(written);
  });

  it("refuses a compressed archive over the limit, as a buffer or as a stream", async () => {
    const tar = archive([{ path: "a", body: "x".repeat(2000) }]);
    const limits = { ...tiny, maxCompressedBytes: tar.length - 1, maxEntryBytes: 1 << 20, maxBytes: 1 << 20 };
    const message = `archive: more than ${tar.length - 1} compressed bytes; ${TOO_LARGE}`;
    await refused(tar, limits).toThrow(message);
    await refused(Readable.from([tar.subarray(0, 20), tar.subarray(20)]), limits).toThrow(message);
    await expect(extractTarball(tar, join(work, "x", "ok"), { ...limits, maxCompressedBytes: tar.length })).resolves.toEqual({ warnings: [] });
  });

  it("refuses tar data that expands beyond what its entries may declare", async () => {
    // pax headers carry no entry, so only the decompressed size bounds them
    const pax = paxRecords({ comment: "x".repeat(600_000) });
    const tar = gzip(rawTar([{ path: `${TOP}/`, type: "dir" }, ...Array.from({ length: 4 }, () => ({ path: "PaxHeaders/c", type: "pax", body: pax }))]));
    const cap = 20 + 5 * 10 * 1024 + 1024 ** 2;
    await refused(tar, tiny).toThrow(`archive: expands to more than ${cap} bytes of tar data; ${TOO_LARGE}`);
  });

  it("refuses an extended header over 1 MiB", async () => {
    const body = paxRecords({ path: "y".repeat(1024 ** 2) });
    const tar = gzip(rawTar([{ path: `${TOP}/`, type: "dir" }, { path: "PaxHeaders/p", type: "pax", body }, { path: `${TOP}/a`, body: "a" }]));
    expect(Buffer.byteLength(body)).toBe(1048590);
    await refused(tar).toThrow(`archive: an extended header of 1048590 bytes is over the 1048576-byte limit; the archive is not a plain snapshot of a repository.`);
  });
});

describe("damaged archives", () => {
  const NOT_GZIP = "archive: not gzip-compressed; Shipshape reads .tar.gz archives such as GitHub's tarball endpoint returns.";

  it.each<[string, () => Promise<Buffer>, string]>([
    ["an uncompressed tar", async () => tarOf([{ path: "a", body: "a" }]), NOT_GZIP],
    ["random bytes", async () => Buffer.from("<html>Not Found</html>"), NOT_GZIP],
    ["an empty body", async () => Buffer.alloc(0), NOT_GZIP],
    ["a single byte", async () => Buffer.from([0x1f]), NOT_GZIP],
    [
      "a gzip cut in half",
      async () => {
        const tar = await githubTarball(HEAD, TOP);
        return tar.subarray(0, tar.length >> 1);
      },
      "archive: damaged gzip data (unexpected end of file); download it again.",
    ],
    [
      "a gzip whose checksum does not match",
      async () => {
        const tar = archive([{ path: "a", body: "lorem ipsum ".repeat(500) }]);
        tar[tar.length - 8] = (tar[tar.length - 8] ?? 0) ^ 0xff;
        return tar;
      },
      "archive: damaged gzip data (incorrect data check); download it again.",
    ],
    ["gzip data that is not a tar", async () => gzip(Buffer.from("hello, this is not a tar archive")), "archive: damaged tar data (Unrecognized archive format); download it again."],
    [
      "a tar cut inside an entry",
      async () => gzip(tarOf([{ path: "a", body: "x".repeat(2000) }], { end: false }).subarray(0, 2048)),
      "archive: damaged tar data (Truncated input (needed 2048 more bytes, only 0 available)); download it again.",
    ],
    ["a tar without its end-of-archive marker", async () => archive([{ path: "a", body: "a" }], { end: false }), "archive: ends before the end-of-archive marker; download it again."],
    [
      "a header with a bad checksum",
      async () => archive([{ path: "a", body: "a" }, { path: "b", body: "b", badChecksum: true }]),
      "archive: damaged tar header (checksum failure); download it again.",
    ],
    ["a tar compressed twice", async () => gzip(archive([{ path: "a", body: "a" }])), "archive: compressed twice; Shipshape reads a tar compressed once with gzip."],
  ])("refuses %s with a clear message", async (_name, make, message) => {
    const err = await extractTarball(await make(), into).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe(message);
  });
});
