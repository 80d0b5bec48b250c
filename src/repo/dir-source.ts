/**
 * A base or head given as a directory: listed once (symlinks checked, limits applied),
 * then read in place. Nothing is copied until a tool needs a file on disk.
 */
import { lstat, readdir, readFile, readlink, realpath, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { SourceError } from "./errors.js";
import { DEFAULT_LISTING_LIMITS, LazyTree, symlinkWarning, type Listing, type ListingLimits, type SourceEntry } from "./lazy-tree.js";

export async function isDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

export async function openDirectory(dir: string, ref: string, into: string, limits: ListingLimits = DEFAULT_LISTING_LIMITS): Promise<LazyTree> {
  const src = resolve(dir);
  if (!(await isDirectory(src))) throw new SourceError(`${dir}: not a directory`);
  const realRoot = await realpath(src);
  const { listing, realPaths } = await listDirectory(realRoot, ref, limits);
  return new LazyTree(ref, into, listing, {
    readBytes: (path) => readFile(realPaths.get(path) ?? join(realRoot, path)),
    close: async () => {},
  });
}

async function listDirectory(realRoot: string, ref: string, limits: ListingLimits): Promise<{ listing: Listing; realPaths: Map<string, string> }> {
  const entries = new Map<string, SourceEntry>();
  const realPaths = new Map<string, string>();
  const warnings: Listing["warnings"] = [];
  let bytes = 0;
  const add = (rel: string, size: number) => {
    entries.set(rel, { size });
    bytes += size;
    if (entries.size > limits.maxEntries) throw new SourceError(`${ref}: more than ${limits.maxEntries} files; Shipshape refuses to read it`);
    if (bytes > limits.maxBytes) throw new SourceError(`${ref}: more than ${limits.maxBytes} bytes; Shipshape refuses to read it`);
  };
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const entry of await readdir(abs, { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(childAbs, childRel);
      } else if (entry.isFile()) {
        add(childRel, (await lstat(childAbs)).size);
      } else if (entry.isSymbolicLink()) {
        const target = await readlink(childAbs).catch(() => "?");
        const resolved = await realpath(childAbs).catch(() => undefined);
        if (!resolved) warnings.push(symlinkWarning(childRel, target, "dangling"));
        else if (resolved !== realRoot && !resolved.startsWith(realRoot + sep)) warnings.push(symlinkWarning(childRel, target, "outside"));
        else {
          const info = await stat(resolved);
          if (!info.isFile()) warnings.push(symlinkWarning(childRel, target, "directory"));
          else {
            add(childRel, info.size);
            realPaths.set(childRel, resolved);
          }
        }
      }
    }
  };
  await walk(realRoot, "");
  return { listing: { entries, warnings }, realPaths };
}
