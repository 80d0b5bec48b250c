/**
 * Files that are not UTF-8. Shipshape reads repository text as UTF-8; decoding bad bytes would
 * silently turn them into U+FFFD while the tools read the bytes themselves, so such a file is an
 * input/invalid-utf8 finding that names the first bad byte.
 */
import { TreeReadError } from "../core/ports.js";

export function invalidUtf8(path: string, bytes: Buffer): TreeReadError {
  const at = firstInvalidByte(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < at; i = bytes.indexOf(10, i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  const hex = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return new TreeReadError(
    path,
    "invalid-utf8",
    `${path}:${line}: not valid UTF-8 (byte 0x${hex} at column ${at - lineStart + 1}); Shipshape reads repository files as UTF-8 text. Save the file as UTF-8.`,
    line,
  );
}

/** Offset of the first byte that does not begin or continue a well-formed sequence (RFC 3629). */
export function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const sequence = sequenceOf(bytes[i]!);
    if (!sequence) return i;
    const [length, min, max] = sequence;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** For a lead byte: the length of its sequence and the range allowed for the second byte. */
function sequenceOf(b: number): [length: number, min: number, max: number] | undefined {
  if (b < 0x80) return [1, 0, 0];
  if (b >= 0xc2 && b <= 0xdf) return [2, 0x80, 0xbf];
  if (b === 0xe0) return [3, 0xa0, 0xbf]; // no overlong forms
  if (b === 0xed) return [3, 0x80, 0x9f]; // no surrogates
  if (b >= 0xe1 && b <= 0xef) return [3, 0x80, 0xbf];
  if (b === 0xf0) return [4, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [4, 0x80, 0xbf];
  if (b === 0xf4) return [4, 0x80, 0x8f]; // nothing above U+10FFFF
  return undefined;
}
